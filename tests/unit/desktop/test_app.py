"""The app's wiring without a session: a microphone that stops delivering sound is
noticed by the meter's tick, while held or not, and voice goes off with the reason."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from app import paths, settings
from app.profile import open_profile
from voice.errors import NoAudioDevice


class Silent:
    """Push-to-talk whose microphone has stopped."""

    def __init__(self, recording: bool) -> None:
        self.recorder = SimpleNamespace(recording=recording)
        self.present, self.speaking, self.level = False, False, 0.0

    def release(self) -> None:
        raise NoAudioDevice("the microphone went away while recording; type instead")


@pytest.mark.parametrize("recording", [False, True])
def test_a_lost_microphone_is_noticed_at_once(qtbot, tmp_path: Path, recording: bool) -> None:
    from desktop.app import DesktopApp

    found = paths.resolve(tmp_path)
    app = DesktopApp(open_profile(found, settings.load(found.config_file, env={})))
    qtbot.addWidget(app.window)
    app.session.famulus = object()  # as if unlocked
    app._voice_ready(Silent(recording))
    assert app.window.talk.isEnabled()
    app._tick()
    assert app.push_to_talk is None and not app.window.talk.isEnabled()
    said = app.window.chat.transcript()
    assert ("went away" if recording else "stopped delivering sound") in said
    app.session.famulus = None


def test_a_held_key_whose_repeats_come_as_release_press_pairs_is_one_hold(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under X11 without detectable auto-repeat, one spoken question was sent nine times."""
    from desktop.app import DesktopApp
    from desktop.qt import QEvent, QKeyEvent, Qt

    found = paths.resolve(tmp_path)
    app = DesktopApp(open_profile(found, settings.load(found.config_file, env={})))
    qtbot.addWidget(app.window)
    monkeypatch.setattr(app.window, "isActiveWindow", lambda: True)
    edges: list[str] = []
    app.key_edges.pressed.connect(lambda: edges.append("press"))
    app.key_edges.released.connect(lambda: edges.append("release"))

    def key(kind: QEvent.Type) -> None:
        event = QKeyEvent(kind, Qt.Key.Key_F9, Qt.KeyboardModifier.NoModifier)
        assert app.eventFilter(app.window, event)  # the key is the window's, not a widget's

    key(QEvent.Type.KeyPress)
    for _ in range(8):  # repeats without the auto-repeat mark
        key(QEvent.Type.KeyRelease)
        key(QEvent.Type.KeyPress)
    key(QEvent.Type.KeyRelease)
    qtbot.waitUntil(lambda: edges == ["press", "release"], timeout=2_000)
