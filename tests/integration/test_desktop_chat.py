"""The chat window with the real light model, offscreen: type, send, see the streamed answer."""

from pathlib import Path

import pytest

from agent import paths, settings
from agent.runtime import open_profile

pytestmark = pytest.mark.slow


@pytest.fixture
def desktop(qtbot, famulus_home: Path, light_model: Path):
    from desktop.app import DesktopApp

    env = {"FAMULUS_MODELS_CHAT": "light", "FAMULUS_MODELS_THREADS": "1",
           "FAMULUS_INFERENCE_MAX_TOKENS": "32", "FAMULUS_INFERENCE_TEMPERATURE": "0"}
    found = paths.resolve()
    profile = open_profile(found, settings.load(found.config_file, env=env))
    app = DesktopApp(profile)
    qtbot.addWidget(app.window)
    with qtbot.waitSignal(app.worker.ready, timeout=120_000):
        app.start()
    yield app
    app.stop()


def test_typed_question_gets_a_streamed_answer(qtbot, desktop) -> None:
    from desktop.qt import Qt

    window = desktop.window
    assert window.input.isEnabled() and "Ready" in window.state.text()
    tokens: list[str] = []
    desktop.worker.token.connect(tokens.append)
    qtbot.keyClicks(window.input, "What is the capital of Spain?")
    with qtbot.waitSignal(desktop.worker.finished, timeout=120_000):
        qtbot.keyClick(window.input, Qt.Key.Key_Return)
    assert len(tokens) > 1
    assert "Madrid" in window.transcript.toPlainText()
    assert window.input.isEnabled() and window.input.toPlainText() == ""


def test_shift_enter_breaks_the_line_without_sending(qtbot, desktop) -> None:
    from desktop.qt import Qt

    window = desktop.window
    qtbot.keyClicks(window.input, "first line")
    qtbot.keyClick(window.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.input.toPlainText() == "first line\n"
    assert "You:" not in window.transcript.toPlainText()
