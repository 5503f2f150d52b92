"""Start the desktop app: the window appears at once, the model loads behind it."""

from __future__ import annotations

import sys

from agent.runtime import Profile
from desktop.chat_window import ChatWindow
from desktop.qt import QApplication, Qt, QThread
from desktop.worker import ChatWorker


class DesktopApp:
    """The window, its worker thread and the wiring between them."""

    def __init__(self, profile: Profile) -> None:
        self.window = ChatWindow()
        self.thread = QThread()
        self.worker = ChatWorker(profile)
        self.worker.moveToThread(self.thread)
        w, win = self.worker, self.window
        # Queued both ways, said explicitly: widgets are touched only on the GUI thread and
        # the model only on the worker's.
        queued = Qt.ConnectionType.QueuedConnection
        w.progress.connect(win.show_progress, queued)
        w.ready.connect(win.model_ready, queued)
        w.token.connect(win.add_token, queued)
        w.fallback.connect(win.note, queued)
        w.finished.connect(win.answer_done, queued)
        w.failed.connect(win.show_error, queued)
        win.ask.connect(w.ask, queued)
        self.thread.started.connect(w.prepare)

    def start(self) -> None:
        self.window.show()
        self.thread.start()

    def stop(self) -> None:
        self.thread.quit()
        self.thread.wait(5000)
        if self.worker.chat is not None:
            self.worker.chat.router.close()


def run(profile: Profile) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Famulus")
    desktop = DesktopApp(profile)
    desktop.start()
    code = app.exec()
    desktop.stop()
    return code
