"""The main window: chat, review queue, memory and metrics in tabs; the model's state and
push-to-talk in the status bar. It shows what the session reports and sends what the
person does; it never waits for the model itself."""

from __future__ import annotations

from desktop.backup_dialogs import ACTIONS
from desktop.chat_view import ChatView
from desktop.qt import (
    QCloseEvent,
    QKeySequence,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QWidget,
    Signal,
)
from desktop.review_panel import ReviewPanel
from desktop.thread_list import ThreadList


class MainWindow(QMainWindow):
    """Tabs and a status bar; `DesktopApp` wires it to the session, the tray and voice."""

    closing = Signal()  # the window was closed (to the tray, or to quit)
    settings_wanted = Signal()
    lock_wanted = Signal()
    quit_wanted = Signal()
    thread_changed = Signal(str)
    memory_action = Signal(str)  # backup, restore, restore_to, undo_restore

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Famulus")
        self.resize(820, 640)
        self.chat = ChatView()
        self.review = ReviewPanel()
        self.tabs = QTabWidget()
        self.threads = ThreadList()
        self.new_thread = self.threads.new_button
        chat_page = QSplitter()
        chat_page.addWidget(self.threads)
        chat_page.addWidget(self.chat)
        chat_page.setStretchFactor(1, 1)
        chat_page.setSizes([200, 620])
        chat_page.setChildrenCollapsible(False)
        self.tabs.addTab(chat_page, "&Chat")
        self.tabs.addTab(self.review, "&Review")
        self.views = {"chat": chat_page, "review": self.review}
        self.setCentralWidget(self.tabs)
        self._status_bar()
        self.threads.opened.connect(self.thread_changed)
        self.to_tray = False  # set by the app when a tray host is there
        self._menus()

    def _status_bar(self) -> None:
        """The state, the model's progress, the input level and the talk buttons."""
        self.state = QLabel("Starting…")
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.level = QProgressBar()
        self.level.setRange(0, 100)
        self.level.setMaximumWidth(80)
        self.level.setTextVisible(False)
        self.level.setVisible(False)
        self.level.setToolTip("Input level")
        self.talk = QPushButton("Hold to talk")
        self.talk.setEnabled(False)
        self.stop_speaking = QPushButton("Stop speaking")
        self.stop_speaking.setVisible(False)
        bar = self.statusBar()
        bar.addWidget(self.state, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.level)
        bar.addPermanentWidget(self.stop_speaking)
        bar.addPermanentWidget(self.talk)

    def _menus(self) -> None:
        menu = self.menuBar().addMenu("&Famulus")
        for text, keys, signal in (("&Settings…", "Ctrl+,", self.settings_wanted),
                                   ("&Lock", "Ctrl+L", self.lock_wanted),
                                   ("&Quit", "Ctrl+Q", self.quit_wanted)):
            action = menu.addAction(text)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(signal)
        memory = self.menuBar().addMenu("&Memory")
        for name, text in ACTIONS.items():
            action = memory.addAction(text)
            action.triggered.connect(lambda _=False, n=name: self.memory_action.emit(n))

    @property
    def thread(self) -> str:
        return self.threads.current

    def open_view(self, name: str) -> None:
        """Show the window with the view `name` (chat, review, memory, metrics)."""
        view = self.views.get(name)
        if view is not None:
            self.tabs.setCurrentWidget(view)
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def add_view(self, name: str, widget: QWidget, title: str) -> None:
        self.views[name] = widget
        self.tabs.addTab(widget, title)

    def set_reviews(self, count: int) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self.review),
                             f"&Review ({count})" if count else "&Review")

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setVisible(done < total)
        self.progress.setMaximum(1000)
        self.progress.setValue(int(1000 * done / max(total, 1)))
        self.state.setText(f"Preparing the model: {done >> 20} of {total >> 20} MiB")

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.to_tray:  # keeps running in the tray; Quit is in the tray's menu
            event.ignore()
            self.hide()
        else:
            event.accept()
        self.closing.emit()
