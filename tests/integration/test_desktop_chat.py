"""The desktop app offscreen with the real light model and real encrypted memory: set up,
ask, lock, a wrong passphrase refused in the dialog, unlock, and chat without memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent import paths, settings
from agent.runtime import open_profile

pytestmark = pytest.mark.slow
ENV = {"FAMULUS_MODELS_CHAT": "light", "FAMULUS_MODELS_THREADS": "1",
       "FAMULUS_INFERENCE_MAX_TOKENS": "32", "FAMULUS_INFERENCE_TEMPERATURE": "0"}
PASSPHRASE = "correct horse battery"


@pytest.fixture
def desktop(qtbot, famulus_home: Path, light_model: Path, monkeypatch) -> Iterator:
    from desktop import session
    from desktop.app import DesktopApp

    # no sound devices here: voice says why it is off, quickly
    monkeypatch.setattr(session.AgentSession, "load_voice",
                        lambda self: self.voice_ready.emit("no microphone in this test"))
    found = paths.resolve()
    app = DesktopApp(open_profile(found, settings.load(found.config_file, env=ENV)))
    qtbot.addWidget(app.window)
    with qtbot.waitSignal(app.session.needs, timeout=30_000) as needed:
        app.start()
    assert needed.args == ["setup"]
    yield app
    app.stop()


def ask(qtbot, app, text: str) -> None:
    from desktop.qt import Qt

    box = app.window.chat.input
    qtbot.keyClicks(box, text)
    with qtbot.waitSignal(app.session.turn_done, timeout=120_000):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(box.isEnabled, timeout=5_000)


def test_set_up_ask_lock_and_unlock(qtbot, desktop) -> None:
    dialog = desktop.dialog
    dialog.passphrase.setText(PASSPHRASE)
    dialog.again.setText(PASSPHRASE)
    with qtbot.waitSignal(desktop.session.ready, timeout=120_000):
        dialog.ok.click()
    assert desktop.recovery is not None and "-" in desktop.recovery.informativeText()
    assert "autonomy level 1" in desktop.window.state.text()
    tokens: list[str] = []
    desktop.session.event.connect(lambda e: e["type"] == "token" and tokens.append(e["text"]))
    ask(qtbot, desktop, "What is the capital of Spain?")
    assert len(tokens) > 1 and "Madrid" in desktop.window.chat.transcript()

    with qtbot.waitSignal(desktop.session.needs, timeout=30_000) as needed:
        desktop.lock()
    assert needed.args == ["passphrase"] and not desktop.window.chat.input.isEnabled()
    dialog = desktop.dialog
    dialog.passphrase.setText("not the passphrase")
    with qtbot.waitSignal(desktop.session.unlock_failed, timeout=30_000):
        dialog.ok.click()
    qtbot.waitUntil(lambda: "passphrase" in dialog.message.text().lower(), timeout=5_000)
    assert dialog.isVisible()
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(desktop.session.ready, timeout=120_000):
        dialog.ok.click()
    desktop.search_memory("capital of Spain")
    qtbot.waitUntil(lambda: desktop.memory.episodes.count() > 0, timeout=30_000)
    texts = [desktop.memory.episodes.item(i).text()
             for i in range(desktop.memory.episodes.count())]
    assert any("Madrid" in t for t in texts)  # remembered across the lock


def test_without_memory_it_still_chats(qtbot, desktop) -> None:
    with qtbot.waitSignal(desktop.session.ready, timeout=120_000):
        desktop.dialog.reject()  # Escape: continue without memory
    assert "memory and tools off" in desktop.window.state.text()
    ask(qtbot, desktop, "Say hello in one word.")
    assert "Famulus:" in desktop.window.chat.transcript()
