"""The everyday requests through the real desktop window: the vault unlocked in its dialog,
each request typed into the chat box of a new thread and sent with Enter, waiting actions
approved with their card's Approve button, a restart by closing the app and opening it
again. The answer is the one the window received (its TurnFinished event)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.everyday import Reply, send_held_mail
from bench.everyday_world import PASSPHRASE

TURN_TIMEOUT_S = 600


class WindowFront:
    """Types into the window as a person would."""

    def __init__(self, home: Path, model: str) -> None:
        from desktop.qt import QApplication

        self.app = QApplication.instance() or QApplication([])
        self.home, self.model = home, model
        self.desktop: Any = None
        self.events: list[Any] = []
        self._open()

    def _open(self) -> None:
        from app import paths, settings
        from app.profile import open_profile
        from desktop.app import DesktopApp

        found = paths.resolve(self.home)
        self.desktop = DesktopApp(open_profile(found, settings.load(found.config_file)),
                                  self.model)
        self.desktop.session.event.connect(self.events.append)
        self.desktop.start()
        self._wait(lambda: self.desktop.dialog is not None, "the unlock dialog")
        self._type_passphrase()
        self._wait(lambda: self.desktop.window.chat.input.isEnabled(), "the chat to be ready")

    def _type_passphrase(self) -> None:
        from PySide6.QtTest import QTest

        from desktop.qt import QLineEdit, Qt

        field = next(f for f in self.desktop.dialog.findChildren(QLineEdit) if f.isVisible())
        QTest.keyClicks(field, PASSPHRASE)
        QTest.keyClick(field, Qt.Key.Key_Return)

    def _wait(self, done: Callable[[], bool], what: str,
              timeout_s: float = TURN_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while not done():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout_s:.0f} s for {what}")
            self.app.processEvents()
            time.sleep(0.01)

    def say(self, text: str, thread: str) -> Reply:
        from PySide6.QtTest import QTest

        from agent.events import ToolAwaitingApproval, ToolDone, ToolFailed, TurnFinished
        from desktop.qt import Qt

        window = self.desktop.window
        if window.thread != thread:  # each request in its own thread, as the bench's
            window.threads.open(thread)
        start, mark = time.perf_counter(), len(self.events)
        QTest.keyClicks(window.chat.input, text)
        QTest.keyClick(window.chat.input, Qt.Key.Key_Return)
        self._wait(lambda: any(isinstance(e, TurnFinished) for e in self.events[mark:]),
                   f"the answer to {text!r}")
        seconds = time.perf_counter() - start
        self._wait(lambda: window.chat.input.isEnabled(), "the chat to be ready again")
        mine = self.events[mark:]
        answer = next(e.answer for e in mine if isinstance(e, TurnFinished))
        tools = [e.tool for e in mine if isinstance(e, ToolDone | ToolFailed |
                                                     ToolAwaitingApproval)]
        return Reply(answer, tools, seconds)

    def approve_waiting(self) -> None:
        from desktop.chat_view import ToolCard

        chat = self.desktop.window.chat
        for card in chat.findChildren(ToolCard):
            if card.approve_button.isVisible():
                mark = len(self.events)
                card.approve_button.click()
                self._wait(lambda m=mark: len(self.events) > m, "the approved action")
        famulus = self.desktop.session.famulus
        with famulus.turn_lock:
            send_held_mail(famulus)

    def deny_waiting(self) -> None:
        famulus = self.desktop.session.famulus
        for item in famulus.pending():
            famulus.deny(item.id)

    def restart(self) -> None:
        self.close()
        self._open()

    def close(self) -> None:
        self.desktop.stop()
        self.desktop.window.close()
        self.app.processEvents()


@contextlib.contextmanager
def window_front(home: Path, model: str) -> Iterator[WindowFront]:
    front = WindowFront(home, model)
    try:
        yield front
    finally:
        front.close()
