"""Drives the real desktop app as a person would, in an X window (run under Xvfb with a
tray host by test_desktop_window.py): sets the memory up, asks a question, approves a
tool call from the review panel, hides the window and clicks the tray notification, and
speaks through the virtual microphone, then stops a long answer with Escape. Each step
waits for what the person would see, then acts with key presses and clicks; screenshots
of each view go to the folder given.

    python -m tests.e2e.drive_window SCREENSHOT_DIR [QUESTION_WAV]
"""

from __future__ import annotations

import faulthandler
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtTest import QTest

from app import paths, settings
from app.profile import open_profile
from desktop.app import DesktopApp
from desktop.qt import (
    QApplication,
    QLabel,
    QLineEdit,
    QObject,
    QPalette,
    QSystemTrayIcon,
    Qt,
    QTimer,
    QWidget,
)

PASSPHRASE = "correct horse battery"
QUESTION = "What is the capital of Spain? Answer in one sentence."
NOTE_REQUEST = "Write a note titled groceries with the text: milk and eggs."
STEP_TIMEOUT_S = 240

Step = tuple[str, Callable[[], bool], Callable[[], None]]


def say(*words: Any) -> None:
    print(*words, flush=True)


class Driver(QObject):
    """Runs the steps in order: each waits for its condition, then acts."""

    def __init__(self, app: QApplication, desktop: DesktopApp, shots: Path,
                 question_wav: Path | None) -> None:
        super().__init__()
        self.app, self.desktop, self.shots, self.wav = app, desktop, shots, question_wav
        self.window = desktop.window
        self.events: list[Any] = []
        self.mark = 0
        desktop.session.event.connect(self.events.append)
        self.steps = self._steps()
        self.begun = time.monotonic()
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._poll)

    def start(self) -> None:
        self.timer.start()

    def _poll(self) -> None:
        if not self.steps:
            self.timer.stop()
            say("DONE")
            self.desktop.quit()
            return
        name, ready, act = self.steps[0]
        if ready():
            say("STEP", name, f"{time.monotonic() - self.begun:.1f}s")
            self.steps.pop(0)
            self.begun = time.monotonic()
            act()
        elif time.monotonic() - self.begun > STEP_TIMEOUT_S:
            say("TIMEOUT waiting for", name)
            self.shot(f"timeout-{name}")
            self.app.exit(1)

    def shot(self, name: str) -> None:
        self.window.grab().save(str(self.shots / f"{name}.png"))

    def typing_allowed(self) -> bool:
        return self.window.chat.input.isEnabled()

    def finished_turns(self) -> list[Any]:
        return [e for e in self.events if e.type == "turn_finished"]

    # The steps ---------------------------------------------------------------------------
    def _steps(self) -> list[Step]:
        steps: list[Step] = [
            ("setup dialog", lambda: self.desktop.dialog is not None and
             self.desktop.dialog.isVisible(), self.set_up),
            ("ready", lambda: self.window.chat.input.isEnabled(), self.ask),
            ("answered", lambda: len(self.finished_turns()) >= 1 and self.typing_allowed(),
             self.request_note),
            ("review waiting", lambda: bool(self.desktop.reviews) and
             len(self.finished_turns()) >= 2, self.approve),
            ("approved", lambda: any(e.type == "tool_done" for e in self.events) and
             self.typing_allowed(), self.undo),
            ("undone", lambda: any(e.type == "tool_undone" for e in self.events),
             self.hide_and_ask),
            ("notification", lambda: self.balloon() is not None, self.click_balloon),
            ("window back", lambda: self.window.isVisible(), self.after_click),
        ]
        if self.wav is not None:
            steps += [("voice ready", lambda: self.window.talk.isEnabled() and
                       self.window.chat.input.isEnabled(), self.speak),
                      ("heard", lambda: any(e.type == "heard" for e in self.events),
                       self.heard)]
        steps += [
            ("idle", lambda: self.typing_allowed(), self.ask_long),
            ("writing", lambda: self.window.chat.stop_button.isVisible() and any(
                e.type == "token" for e in self.events[self.mark:]), self.press_escape),
            ("stopped", lambda: any(e.type == "cancelled" for e in self.events) and
             self.typing_allowed(), self.search_memory),
            ("memory found", self.memory_found, self.open_metrics),
            ("metrics shown", lambda: "turns" in self.desktop.metrics_view.summary.text(),
             self.open_settings),
            ("settings shown", lambda: self.desktop.settings_dialog.isVisible(),
             self.close_settings),
            ("dark", lambda: not self.desktop.settings_dialog.isVisible(), self.go_dark),
            ("dark drawn", lambda: self.app.palette().color(QPalette.ColorRole.Base)
             .lightness() < 128, self.dark_shots),
        ]
        return steps

    def ask_long(self) -> None:
        self.mark = len(self.events)
        self.type_and_send("Write a long story about a lighthouse keeper and a storm.")

    def press_escape(self) -> None:
        QTest.keyClick(self.window, Qt.Key.Key_Escape)  # the Stop button's shortcut

    def set_up(self) -> None:
        dialog = self.desktop.dialog
        fields = dialog.findChildren(QLineEdit)
        for field in fields[:2]:
            QTest.keyClicks(field, PASSPHRASE)
        dialog.autonomy.setCurrentIndex(0)  # ask before every action
        self.shot_widget(dialog, "unlock-dialog")
        QTest.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    def shot_widget(self, widget: QWidget, name: str) -> None:
        widget.grab().save(str(self.shots / f"{name}.png"))

    def ask(self) -> None:
        recovery = self.desktop.recovery
        if recovery is not None:  # written down, ticked, closed
            say("RECOVERY", recovery.informativeText())
            self.shot_widget(recovery, "recovery-key")
            recovery.checkBox().setChecked(True)
            QTest.mouseClick(recovery.buttons()[0], Qt.MouseButton.LeftButton)
            self.welcome()
        self.type_and_send(QUESTION)

    def welcome(self) -> None:
        """The first run's pages after the recovery key: each shown, the choices kept."""
        wizard = self.desktop.first_run
        say("FIRST RUN", wizard is not None and wizard.isVisible())
        if wizard is None:
            return
        for number in range(1, len(wizard.pageIds()) + 1):
            self.app.processEvents()
            self.shot_widget(wizard, f"first-run-{number}")
            if number < len(wizard.pageIds()):
                wizard.next()
        wizard.accept()  # Finish

    def type_and_send(self, text: str) -> None:
        box = self.window.chat.input
        box.setFocus()
        QTest.keyClicks(box, text)
        QTest.keyClick(box, Qt.Key.Key_Return)

    def request_note(self) -> None:
        say("TRANSCRIPT", self.window.chat.transcript().replace("\n", " | "))
        self.shot("chat")
        self.type_and_send(NOTE_REQUEST)

    def approve(self) -> None:
        self.window.open_view("review")
        say("REVIEW", self.desktop.reviews[0]["call"]["tool"])
        self.shot("review")
        QTest.mouseClick(self.window.review.approve_button, Qt.MouseButton.LeftButton)

    def undo(self) -> None:
        """The note's card in the conversation: Undo, as a person who changed their mind."""
        from desktop.tool_card import ToolCard

        self.shot("approved")
        self.window.open_view("chat")
        card = next(c for c in self.window.chat.findChildren(ToolCard)
                    if c.undo_button.isVisible())
        say("CARD", card.words())
        QTest.mouseClick(card.undo_button, Qt.MouseButton.LeftButton)

    def hide_and_ask(self) -> None:
        self.shot("undone")
        self.window.open_view("chat")
        self.type_and_send("Say hello in one word.")
        self.window.close()  # to the tray: the reply comes as a notification
        say("TRAY", QSystemTrayIcon.isSystemTrayAvailable(), self.window.isVisible())

    def balloon(self, title: str = "Famulus replied") -> QWidget | None:
        """The tray's notification (Qt draws it as a QBalloonTip) with this title."""
        for widget in QApplication.topLevelWidgets():
            if widget.metaObject().className() == "QBalloonTip" and widget.isVisible() and \
                    any(label.text() == title for label in widget.findChildren(QLabel)):
                return widget
        return None

    def click_balloon(self) -> None:
        tip = self.balloon()
        tip.grab().save(str(self.shots / "notification.png"))
        say("BALLOON", tip.isVisible())
        QTest.mouseClick(tip, Qt.MouseButton.LeftButton)

    def after_click(self) -> None:
        say("VIEW", self.window.tabs.currentIndex())

    def speak(self) -> None:
        window = self.window
        window.activateWindow()
        QTest.keyPress(window, Qt.Key.Key_F9)
        player = subprocess.Popen(["paplay", "--device=famulus_mic_feed", str(self.wav)])
        # the key stays down while the question is spoken, and a moment after
        QTimer.singleShot(100, lambda: self._release_when_done(player))

    def _release_when_done(self, player: subprocess.Popen[bytes]) -> None:
        if player.poll() is None:
            QTimer.singleShot(100, lambda: self._release_when_done(player))
            return
        QTimer.singleShot(400, lambda: QTest.keyRelease(self.window, Qt.Key.Key_F9))

    def search_memory(self) -> None:
        self.window.open_view("memory")
        box = self.desktop.memory.query
        box.setFocus()
        QTest.keyClicks(box, "capital of Spain")
        QTest.keyClick(box, Qt.Key.Key_Return)

    def memory_found(self) -> bool:
        found = self.desktop.memory.episodes
        return found.count() > 0 and "Madrid" in " ".join(
            found.item(i).text() for i in range(found.count()))

    def open_metrics(self) -> None:
        say("MEMORY", self.desktop.memory.episodes.item(0).text())
        self.shot("memory")
        self.window.open_view("metrics")

    def open_settings(self) -> None:
        say("METRICS", self.desktop.metrics_view.summary.text())
        self.shot("metrics")
        QTest.keyClick(self.window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)

    def close_settings(self) -> None:
        dialog = self.desktop.settings_dialog
        self.shot_widget(dialog, "settings")
        dialog.reject()

    def go_dark(self) -> None:
        from desktop import theme

        self.window.open_view("chat")
        theme.apply(self.app, "dark")

    def dark_shots(self) -> None:
        self.app.processEvents()
        self.shot("chat-dark")
        self.window.open_view("review")
        self.shot("review-dark")

    def heard(self) -> None:
        heard = next(e for e in self.events if e.type == "heard")
        say("HEARD", heard.text)
        self.shot("voice")


def main() -> int:
    shots = Path(sys.argv[1])
    shots.mkdir(parents=True, exist_ok=True)
    wav = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    app = QApplication(sys.argv[:1])
    deadline = time.monotonic() + 20
    while not QSystemTrayIcon.isSystemTrayAvailable() and time.monotonic() < deadline:
        time.sleep(0.2)  # the tray host may still be starting
    found = paths.resolve()
    desktop = DesktopApp(open_profile(found, settings.load(found.config_file)))
    driver = Driver(app, desktop, shots, wav)
    desktop.start()
    driver.start()
    code = app.exec()
    faulthandler.dump_traceback_later(90, exit=True)  # a hang while closing shows where
    desktop.stop()
    faulthandler.cancel_dump_traceback_later()
    say("PLATFORM", app.platformName())
    return code


if __name__ == "__main__":
    sys.exit(main())
