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
