"""The desktop app offscreen with the real light model and real encrypted memory: set up,
ask, lock, a wrong passphrase refused in the dialog, unlock, chat without memory, stop an
answer, correct a fact, back up, go back in time, and restore a backup."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from unittest.mock import patch

import pytest

from app import paths, settings
from app.profile import open_profile
from desktop.qt import QMessageBox, Qt
from desktop.thread_list import ID

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
    box = app.window.chat.input
    qtbot.keyClicks(box, text)
    with qtbot.waitSignal(app.session.turn_done, timeout=120_000):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(box.isEnabled, timeout=5_000)


def set_up(qtbot, app) -> None:
    dialog = app.dialog
    dialog.passphrase.setText(PASSPHRASE)
    dialog.again.setText(PASSPHRASE)
    with qtbot.waitSignal(app.session.ready, timeout=120_000):
        dialog.ok.click()


def on_session(qtbot, app, call) -> object:
    """Run `call` on the session's thread (where the memory lives) and wait for it."""
    done: list[object] = []
    app.worker.submit(lambda: done.append(call()))
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    return done[0]


def test_set_up_ask_lock_and_unlock(qtbot, desktop) -> None:
    set_up(qtbot, desktop)
    assert desktop.recovery is not None and "-" in desktop.recovery.informativeText()
    assert "autonomy 1 · memory unlocked" in desktop.window.state.text()
    tokens: list[str] = []
    desktop.session.event.connect(lambda e: e.type == "token" and tokens.append(e.text))
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
    # unlocking keeps the view as it was: the conversation is there once
    transcript = desktop.window.chat.transcript
    assert transcript().count("You: What is the capital of Spain?") == 1

    # the sidebar lists the conversation by its first words
    sidebar = desktop.window.threads
    qtbot.waitUntil(lambda: sidebar.list.item(0).text().startswith("What is the capital"),
                    timeout=30_000)
    # a new thread opens empty; going back to the first shows it again, from memory
    desktop.window.new_thread.click()
    assert "Madrid" not in transcript() and sidebar.list.item(0).text() == "New chat"
    first = next(sidebar.list.item(i) for i in range(sidebar.list.count())
                 if sidebar.list.item(i).data(ID) == "default")
    sidebar.list.setCurrentItem(first)
    qtbot.waitUntil(lambda: "Madrid" in transcript(), timeout=30_000)
    assert transcript().count("You: What is the capital of Spain?") == 1

    # renamed, it keeps the person's title in memory
    sidebar.rename("default", "Spain questions")
    qtbot.waitUntil(lambda: on_session(qtbot, desktop, lambda: desktop.session.famulus
                                       .with_memory(lambda memory: memory.threads()))[0]
                    ["title"] == "Spain questions", timeout=30_000)

    # deleting it (confirmed) makes memory forget it
    with patch.object(QMessageBox, "question", return_value=QMessageBox.StandardButton.Yes):
        sidebar.delete("default")
    qtbot.waitUntil(lambda: "forgot its" in transcript(), timeout=30_000)
    assert on_session(qtbot, desktop, lambda: desktop.session.famulus.with_memory(
        lambda memory: memory.threads())) == []


def test_without_memory_it_still_chats(qtbot, desktop) -> None:
    with qtbot.waitSignal(desktop.session.ready, timeout=120_000):
        desktop.dialog.reject()  # Escape: continue without memory
    assert "memory and tools off" in desktop.window.state.text()
    ask(qtbot, desktop, "Say hello in one word.")
    assert "Famulus:" in desktop.window.chat.transcript()


def test_stop_an_answer_while_it_is_written(qtbot, desktop) -> None:
    set_up(qtbot, desktop)
    chat = desktop.window.chat
    seen: list[str] = []
    desktop.session.event.connect(lambda e: seen.append(e.type))
    desktop.session.event.connect(
        lambda e: e.type == "token" and chat.stop_button.isVisible() and
        chat.stop_button.click())
    qtbot.keyClicks(chat.input, "Write a long story about a lighthouse keeper.")
    with qtbot.waitSignal(desktop.session.turn_done, timeout=120_000):
        qtbot.keyClick(chat.input, Qt.Key.Key_Return)
    assert "cancelled" in seen and "turn_finished" not in seen
    qtbot.waitUntil(chat.input.isEnabled, timeout=5_000)
    assert not chat.stop_button.isVisible() and "Stopped." in chat.transcript()


def test_correct_back_up_go_back_and_restore(qtbot, desktop, tmp_path: Path,
                                             monkeypatch) -> None:
    from desktop import backup_dialogs

    set_up(qtbot, desktop)
    memory = desktop.session.famulus.memory
    on_session(qtbot, desktop, lambda: memory.assert_fact("Ann", "works at", "the libary",
                                                          0.7))
    before_correction = int(time.time() * 1000)
    time.sleep(0.05)
    browser = desktop.memory
    with qtbot.waitSignal(desktop.session.known, timeout=30_000):
        desktop.about("Ann")
    browser.facts.setCurrentRow(0)
    browser.edit = lambda _parent, fact: {**fact, "object": "the library"}
    with qtbot.waitSignal(desktop.session.known, timeout=30_000):
        browser.correct_fact.click()
    assert [f["object"] for f in browser.fact_items] == ["the library"]
    assert "Corrected" in desktop.window.chat.transcript()

    folder = tmp_path / "backup"
    monkeypatch.setattr(backup_dialogs, "backup_folder", lambda _parent: str(folder))
    with qtbot.waitSignal(desktop.session.result, timeout=60_000) as said:
        desktop.memory_action("backup")
    assert "Backup written" in said.args[0] and (folder / "manifest.json").exists()

    monkeypatch.setattr(backup_dialogs, "earlier_moment", lambda _parent: before_correction)
    with qtbot.waitSignal(desktop.session.result, timeout=30_000) as said:
        desktop.memory_action("restore_to")
    assert "Memory is back to" in said.args[0]
    objects = on_session(qtbot, desktop, lambda: [f.object for f in
                                                  desktop.session.famulus.memory.facts("Ann")])
    assert objects == ["the libary"]
    with qtbot.waitSignal(desktop.session.result, timeout=30_000):
        desktop.memory_action("undo_restore")

    monkeypatch.setattr(backup_dialogs, "restore_source",
                        lambda _parent: (str(folder), "not the passphrase"))
    with qtbot.waitSignal(desktop.session.result, timeout=60_000) as said:
        desktop.memory_action("restore")
    assert said.args[0].startswith("Not restored") and desktop.session.famulus is not None

    monkeypatch.setattr(backup_dialogs, "restore_source",
                        lambda _parent: (str(folder), PASSPHRASE))
    with qtbot.waitSignal(desktop.session.needs, timeout=60_000):
        desktop.memory_action("restore")
    assert "Memory restored from" in desktop.window.chat.transcript()
    desktop.dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(desktop.session.ready, timeout=120_000):
        desktop.dialog.ok.click()
    objects = on_session(qtbot, desktop, lambda: [f.object for f in
                                                  desktop.session.famulus.memory.facts("Ann")])
    assert objects == ["the library"]
