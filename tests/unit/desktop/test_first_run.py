"""The first run's pages: each can be skipped, what was chosen is written to the settings
file, and a model file that does not exist is refused before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import SettingError, load
from desktop.first_run import Choices, FirstRun, words_per_second, write_choices


def test_choices_and_skipped_pages(qtbot) -> None:
    wizard = FirstRun(autonomy=1)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.models.buttons()[1].setChecked(True)  # light
    wizard.next()
    wizard.talk_key.setText("F12")
    wizard.next()
    wizard.button(wizard.WizardButton.CustomButton1).click()  # "Skip this step": folders
    wizard.levels.button(2).setChecked(True)
    with qtbot.wait_signal(wizard.chosen) as chosen:
        wizard.accept()
    assert chosen.args == [Choices(model="light", talk_key="F12", folders=None, autonomy=2)]


def test_an_unknown_key_is_said_at_once(qtbot) -> None:
    wizard = FirstRun(autonomy=1)
    qtbot.addWidget(wizard)
    wizard.talk_key.setText("not a key")
    assert "F9 is used" in wizard.key_check.text()
    wizard.talk_key.setText("Pause")
    assert wizard.key_check.text() == ""


def test_choices_are_written_to_the_settings_file(tmp_path: Path) -> None:
    config = tmp_path / "famulus.toml"
    folder = tmp_path / "Documents"
    written = write_choices(Choices("light", "F12", [str(folder)], 0), config)
    assert written == ["models.chat", "voice.push_to_talk_key", "tools.allowed_paths",
                       "tools.autonomy_level"]
    settings = load(config, env={})
    assert settings.tools.allowed_paths == [str(folder)] and settings.tools.autonomy_level == 0
    with pytest.raises(SettingError):
        write_choices(Choices(model=str(tmp_path / "missing.gguf")), config)
    assert load(config, env={}).models.chat == "light"  # unchanged


def test_the_expected_speed_grows_with_the_cores() -> None:
    assert words_per_second("light", 2) > words_per_second("default", 2) > 0
    assert words_per_second("default", 8) > words_per_second("default", 2)


class FakeRecorder:
    def __init__(self) -> None:
        self.pressed = self.released = 0

    def press(self) -> None:
        self.pressed += 1

    def release(self) -> object:
        self.released += 1
        return object()


class FakeMicrophone:
    level = 0.4

    def __init__(self) -> None:
        self.recorder = FakeRecorder()


def test_the_microphone_test_shows_its_level(qtbot) -> None:
    wizard = FirstRun(autonomy=1)
    qtbot.addWidget(wizard)
    assert not wizard.test.isEnabled() and "cannot be tested" in wizard.heard.text()
    microphone = FakeMicrophone()
    wizard.set_microphone(microphone)
    wizard.test.pressed.emit()
    qtbot.waitUntil(lambda: wizard.meter.value() == 40)
    wizard.test.released.emit()
    assert (microphone.recorder.pressed, microphone.recorder.released) == (1, 1)
    assert wizard.heard.text() == "The microphone hears you."
    wizard.set_microphone("no microphone found")
    assert "no microphone found" in wizard.heard.text()
