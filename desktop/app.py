"""Start the desktop app: the window appears at once; the vault's dialog comes first, and
the models load behind it on the session's thread."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

from agent.events import AgentEvent, Notification, TurnFinished
from app.profile import Profile
from desktop import theme
from desktop.first_run import FirstRun, FirstRunControls
from desktop.global_hotkey import KeyEdges
from desktop.keys import key_code
from desktop.main_window import MainWindow
from desktop.memory_browser import MemoryBrowser
from desktop.memory_controls import MemoryControls
from desktop.metrics_view import MetricsView
from desktop.qt import QApplication, QEvent, QObject, QSettings, QTimer
from desktop.session import AgentSession, Ready
from desktop.settings_dialog import SettingsDialog, field_text
from desktop.talk import TalkControls
from desktop.tray import Tray, state_icon
from desktop.unlock_dialog import UnlockDialog, show_recovery_key
from desktop.words import status_line, with_next_step
from desktop.worker import Worker


class DesktopApp(FirstRunControls, MemoryControls, TalkControls, QObject):
    """The window, the tray, the session on its thread, and the wiring between them."""

    def __init__(self, profile: Profile, model: str | None = None) -> None:
        super().__init__()
        self.profile = profile
        look = profile.settings.desktop
        theme.apply(QApplication.instance(), look.theme, look.font_size)
        self.window = MainWindow()
        self.memory = MemoryBrowser()
        self.metrics_view = MetricsView()
        self.window.add_view("memory", self.memory, "&Memory")
        self.window.add_view("metrics", self.metrics_view, "M&etrics")
        self.tray = Tray()
        self.session = AgentSession(profile, model)
        self.worker = Worker()
        self.dialog: UnlockDialog | None = None
        self.place: QSettings | None = None  # the window's size and position (window.ini)
        self.recovery: Any = None
        self.first_run: FirstRun | None = None
        self.level_chosen = 1
        self.push_to_talk: Any = None
        self.hotkey: Any = None  # the global key on X11, when voice.global_hotkey is on
        self.busy = False
        self.ready_text = "Ready"
        self.reviews: list[dict[str, Any]] = []
        self.last_use = time.monotonic()
        self.talk_key = key_code(profile.settings.voice.push_to_talk_key)
        self.key_edges = KeyEdges()  # the window's hold-to-talk key, one press per hold
        self.key_edges.pressed.connect(self.press_to_talk)
        self.key_edges.released.connect(self.release_to_talk)
        self._wire()
        self.meter = QTimer(self)
        self.meter.setInterval(100)
        self.meter.timeout.connect(self._tick)
        self.idle_check = QTimer(self)
        self.idle_check.setInterval(15_000)
        self.idle_check.timeout.connect(self._auto_lock)

    # Requests to the session, run on its thread in order --------------------------------
    def ask(self, text: str, thread: str) -> None:
        self.worker.submit(self.session.ask, text, thread)

    def hear(self, utterance: Any) -> None:
        self.worker.submit(self.session.hear, utterance)

    def unlock(self, passphrase: str) -> None:
        self.worker.submit(self.session.unlock, passphrase)

    def create(self, passphrase: str, autonomy: int) -> None:
        self.level_chosen = autonomy
        self.worker.submit(self.session.create, passphrase, autonomy)

    def without_memory(self) -> None:
        self.worker.submit(self.session.without_memory)

    def approve(self, review_id: str, arguments: str) -> None:
        self.worker.submit(self.session.approve, review_id, arguments)

    def deny(self, review_id: str) -> None:
        self.worker.submit(self.session.deny, review_id)

    def undo(self, action_id: str) -> None:
        self.worker.submit(self.session.undo, action_id)

    def feedback(self, up: bool) -> None:
        self.worker.submit(self.session.feedback, up)

    def lock(self) -> None:
        self.worker.submit(self.session.lock)

    def load_voice(self) -> None:
        self.worker.submit(self.session.load_voice)

    def metrics(self) -> None:
        self.worker.submit(self.session.metrics)

    def _wire(self) -> None:
        s, w = self.session, self.window
        s.needs.connect(self._ask_passphrase)
        s.created.connect(self._show_recovery)
        s.unlock_failed.connect(self._refused)
        s.progress.connect(w.show_progress)
        s.ready.connect(self._ready)
        s.voice_ready.connect(self._voice_ready)
        s.event.connect(self._event)
        s.turn_done.connect(self._turn_done)
        s.failed.connect(self._failed)
        s.reviews.connect(self._reviews)
        s.notified.connect(self._notified)
        s.result.connect(self._result)
        s.figures.connect(self.metrics_view.show_figures)
        self._wire_memory()
        self.metrics_view.refresh.connect(self.metrics)
        w.tabs.currentChanged.connect(self._view_changed)
        w.settings_wanted.connect(self.open_settings)
        w.chat.set_up.connect(self.open_settings)
        w.chat.edit.connect(lambda review_id: (w.open_view("review"),
                                               w.review.select(review_id)))
        w.lock_wanted.connect(self.lock)
        w.quit_wanted.connect(self.quit)
        w.chat.send.connect(self._send)
        w.chat.undo.connect(self.undo)
        w.chat.approve.connect(lambda review_id: self.approve(review_id, ""))
        w.chat.deny.connect(self.deny)
        w.chat.feedback.connect(self.feedback)
        w.chat.stop.connect(self.session.cancel)  # only raises a flag: safe from here
        w.review.approve.connect(self.approve)
        w.review.deny.connect(self.deny)
        w.talk.pressed.connect(self.press_to_talk)
        w.talk.released.connect(self.release_to_talk)
        w.stop_speaking.clicked.connect(self._stop_speaking)
        t = self.tray
        t.show_window.connect(lambda: w.open_view("chat"))
        t.opened.connect(w.open_view)
        t.push_to_talk.connect(self._toggle_talk)
        t.new_chat.connect(lambda: (w.open_view("chat"), w.threads.start_new()))
        t.lock.connect(self.lock)
        t.quit.connect(self.quit)

    def start(self) -> None:
        self.place = QSettings(str(self.profile.paths.config_dir / "window.ini"),
                               QSettings.Format.IniFormat)
        geometry = self.place.value("geometry")
        if geometry is not None:  # where and how large the person left it
            self.window.restoreGeometry(geometry)
        self.window.show()
        self.window.to_tray = self.tray.start() and \
            self.profile.settings.desktop.close_to_tray
        QApplication.instance().installEventFilter(self)
        QApplication.instance().setQuitOnLastWindowClosed(not self.window.to_tray)
        self.worker.start()
        self.worker.submit(self.session.start)
        self.meter.start()
        if self.profile.settings.desktop.auto_lock_minutes:
            self.idle_check.start()

    def quit(self) -> None:
        """Quit for good. Not QApplication.quit(): since Qt 6 that first closes the windows,
        and a window that closes to the tray refuses, so the app would stay."""
        self.window.to_tray = False
        QApplication.exit(0)

    def stop(self) -> None:
        """Let a running turn end, then close the agent and seal the memory."""
        if self.place is not None:
            self.place.setValue("geometry", self.window.saveGeometry())
            self.place.sync()
        self.meter.stop()
        if self.hotkey is not None:
            self.hotkey.stop()
        self.worker.stop(finally_run=self.session.shutdown)
        self.tray.icon.hide()

    # The vault ----------------------------------------------------------------------------
    def _ask_passphrase(self, need: str) -> None:
        self.window.chat.set_ready(False)
        self.window.talk.setEnabled(False)
        self.tray.set_state("locked")
        self.window.state.setText("Locked" if need == "passphrase" else "Set up your memory")
        self.dialog = UnlockDialog(first_run=need == "setup", parent=self.window)
        self.dialog.unlock.connect(self.unlock)
        self.dialog.create.connect(self.create)
        self.dialog.skip.connect(self.without_memory)
        self.dialog.open()

    def _show_recovery(self, key: str) -> None:
        self.recovery = show_recovery_key(self.window, key)
        self.recovery.finished.connect(self._welcome)  # then the rest of the first run

    def _refused(self, why: str) -> None:
        if self.dialog is not None:
            self.dialog.refuse(why)

    def _auto_lock(self) -> None:
        idle = time.monotonic() - self.last_use
        if self.session.famulus is not None and not self.busy and \
                idle >= 60 * self.profile.settings.desktop.auto_lock_minutes:
            self.lock()

    # The session's reports ----------------------------------------------------------------
    def _ready(self, info: Ready) -> None:
        if self.dialog is not None:
            self.dialog.accept()
            self.dialog = None
        w = self.window
        w.progress.setVisible(False)
        self.ready_text = status_line(info)
        w.state.setText(self.ready_text)
        w.state.setToolTip(f"The model runs on {info.where}")
        if w.chat.is_empty():  # a start: the conversation as it was before; after an
            self.show_thread(w.thread)  # unlock the view (cards, Undo) stays as it was
        self.list_threads()
        for limit in info.limitations:
            w.chat.note(with_next_step(limit.text, limit.next_step))
        w.chat.set_ready(True)
        self.tray.set_state("idle")
        self.load_voice()

    def open_settings(self, section: str = "") -> SettingsDialog:
        """The settings dialog (non-modal), at `section` if given; the autonomy level applies
        at once, the rest at the next start."""
        dialog = SettingsDialog(self.profile.settings, self.profile.paths.config_file,
                                self.window, memory_action=self.memory_action)
        dialog.show_setting(section)
        dialog.accepted.connect(lambda: self._settings_saved(dialog))
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def _settings_saved(self, dialog: SettingsDialog) -> None:
        if not dialog.saved:
            return
        at_once = {"tools.autonomy_level", "desktop.theme", "desktop.font_size"}
        later = [name for name in dialog.saved if name not in at_once]
        if later:
            self.window.chat.note("Saved: " + ", ".join(later) + ". They apply the next "
                                  "time Famulus starts.")
        if at_once & set(dialog.saved) - {"tools.autonomy_level"}:  # the look: at once
            theme.apply(QApplication.instance(), field_text(dialog.fields["desktop.theme"]),
                        int(field_text(dialog.fields["desktop.font_size"]) or 0))
        if "tools.autonomy_level" in dialog.saved:
            level = int(field_text(dialog.fields["tools.autonomy_level"]))
            self.worker.submit(self.session.set_autonomy, level)

    def _view_changed(self, _index: int) -> None:
        """Fresh figures when a view opens (the session answers on its thread)."""
        if self.session.famulus is None:
            return
        current = self.window.tabs.currentWidget()
        if current is self.memory:
            self.about(self.memory.entity.currentText())
        elif current is self.metrics_view:
            self.metrics()

    def _send(self, text: str) -> None:
        self._set_busy(True)
        self.window.threads.titled(self.window.thread, text)
        self.ask(text, self.window.thread)

    def _event(self, event: AgentEvent) -> None:
        self.window.chat.show_event(event)
        if isinstance(event, TurnFinished) and not self.window.isVisible():
            self.tray.notify("Famulus replied", event.answer[:200] or "(no words)", "chat")

    def _turn_done(self) -> None:
        self._set_busy(False)
        if self.window.thread not in self.window.threads.known:  # a new one: list it
            self.list_threads()  # (not after every turn: it reads every episode's thread)

    def _failed(self, message: str) -> None:
        self.window.chat.note(f"Something went wrong: {message}")
        self.window.state.setText("Error: " + message[:160])
        self._set_busy(False)

    def _result(self, text: str) -> None:
        self.window.chat.note(text)

    def _reviews(self, items: list[dict[str, Any]]) -> None:
        known = {i["id"] for i in self.reviews}
        new = [i for i in items if i["id"] not in known]
        self.reviews = items
        self.window.review.show_items(items)
        self.window.set_reviews(len(items))
        if new and not (self.window.isVisible() and self.window.isActiveWindow()):
            first = new[0]
            self.tray.notify("An action waits for your review",
                             f"{first['call']['tool']}: {first['reason']}", "review")
        self._show_state()

    def _notified(self, note: Notification) -> None:
        view = "review" if "review" in note.kind else "chat"
        text = with_next_step(note.text, note.next_step)
        if not self.tray.notify(note.title, text, view):
            self.window.chat.note(f"{note.title}: {text}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            self.last_use = time.monotonic()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and \
                event.key() == self.talk_key and self.window.isActiveWindow():
            # A held key repeats. Qt marks the repeats where the X server says so; where it
            # does not, they come as plain release+press pairs, which KeyEdges folds into
            # the one hold they are (else one question was sent many times).
            if not event.isAutoRepeat():
                self.key_edges.key(kind == QEvent.Type.KeyPress)
            return True
        return False

    # State --------------------------------------------------------------------------------
    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.window.chat.set_ready(not busy and self.session.famulus is not None)
        self.window.chat.set_busy(busy)
        self._show_state()

    def _show_state(self) -> None:
        ptt = self.push_to_talk
        if ptt is not None and ptt.recorder.recording:
            state = "listening"
        elif ptt is not None and ptt.speaking:
            state = "speaking"
        elif self.busy:
            state = "thinking"
        elif self.reviews:
            state = "review"
        else:
            state = "idle"
        self.tray.set_state(state)
        if state == "thinking":
            self.window.state.setText("Thinking…")
        elif state in ("idle", "review") and self.session.famulus is not None:
            self.window.state.setText(self.ready_text)


def run(profile: Profile, model: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Famulus")
    app.setDesktopFileName("famulus")
    app.setWindowIcon(state_icon("idle", 256))
    desktop = DesktopApp(profile, model)
    desktop.start()
    with _quit_on_signals(app):
        code = app.exec()
    desktop.stop()
    return code


@contextlib.contextmanager
def _quit_on_signals(app: QApplication) -> Iterator[None]:
    """SIGTERM and SIGHUP (a logout, `kill`) quit the way the Quit menu does, so the memory
    is sealed and its copy in RAM wiped. Python handles a signal only between bytecodes;
    the level meter's timer runs some every 100 ms, which is soon enough."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signals = (signal.SIGTERM, signal.SIGHUP)
    before = {s: signal.getsignal(s) for s in signals}
    for s in signals:
        signal.signal(s, lambda signum, _frame: app.exit(128 + signum))
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
