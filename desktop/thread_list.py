"""The conversations in a sidebar, latest first, each titled by its first words: start a new
one, find one by its words, open one, rename one, and delete one (Famulus then forgets it,
after the person confirms)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from desktop.qt import (
    QInputDialog,
    QKeySequence,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

DEFAULT = "default"
UNTITLED = "New chat"
ID = Qt.ItemDataRole.UserRole


class ThreadList(QWidget):
    """The sidebar; `opened(thread)` when the person opens one (or starts a new one),
    `delete_wanted(thread)` once they confirmed deleting one."""

    opened = Signal(str)
    delete_wanted = Signal(str)
    search_wanted = Signal(str)  # Enter in the search box: look in what was said
    renamed = Signal(str, str)  # a conversation and the title the person gave it

    def __init__(self) -> None:
        super().__init__()
        self.new_button = QPushButton("New chat")
        self.new_button.setToolTip("Start a new conversation (Ctrl+N)")
        self.new_button.setShortcut(QKeySequence("Ctrl+N"))
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search conversations (Enter: what was said)")
        self.search.setAccessibleName("Search conversations")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Conversations")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setUniformItemSizes(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.new_button)
        column.addWidget(self.search)
        column.addWidget(self.list, 1)
        self.new_button.clicked.connect(self.start_new)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(lambda: self.search_wanted.emit(self.search.text()))
        self.list.currentItemChanged.connect(self._changed)
        self.list.customContextMenuRequested.connect(self._menu)
        self.known: set[str] = set()  # the threads memory listed last time
        self._add(DEFAULT, "", 0, at=0)
        self.list.setCurrentRow(0)

    @property
    def current(self) -> str:
        item = self.list.currentItem()
        return item.data(ID) if item is not None else DEFAULT

    def set_threads(self, threads: list[dict[str, Any]]) -> None:
        """The threads memory knows (EpisodicStore.threads), plus the open one and any new
        one not yet said anything in."""
        current = self.current
        known = self.known = {t["thread"] for t in threads}
        kept = [self.list.item(i) for i in range(self.list.count())]
        unsaid = [(i.data(ID), i.text()) for i in kept if i.data(ID) not in known
                  and (i.data(ID) == current or i.text() == UNTITLED)]
        self.list.blockSignals(True)
        self.list.clear()
        for thread, _title in unsaid:
            self._add(thread, "", 0)
        for t in threads:
            self._add(t["thread"], t["title"], t["last_ms"])
        if self.list.count() == 0:
            self._add(DEFAULT, "", 0)
        self.list.setCurrentItem(self._item(current) or self.list.item(0))
        self.list.blockSignals(False)
        self._filter(self.search.text())

    def start_new(self) -> None:
        """A new, empty conversation, at the top and open."""
        thread = datetime.now().strftime("chat-%Y%m%d-%H%M%S")
        self._add(thread, "", 0, at=0)
        self.search.clear()
        self.list.setCurrentRow(0)

    def open(self, thread: str) -> None:
        """Open the conversation `thread`, adding it at the top if it is not listed."""
        if self._item(thread) is None:
            self._add(thread, "", 0, at=0)
        self.list.setCurrentItem(self._item(thread))

    def titled(self, thread: str, words: str) -> None:
        """The first words of a new conversation become its title."""
        item = self._item(thread)
        if item is not None and item.text() == UNTITLED:
            item.setText(_title(words))

    def _add(self, thread: str, title: str, last_ms: int, at: int | None = None) -> None:
        item = QListWidgetItem(_title(title))
        item.setData(ID, thread)
        if last_ms:
            item.setToolTip(f"Last used {datetime.fromtimestamp(last_ms / 1000):%d %B %H:%M}")
        if at is None:
            self.list.addItem(item)
        else:
            self.list.insertItem(at, item)

    def _item(self, thread: str) -> QListWidgetItem | None:
        return next((self.list.item(i) for i in range(self.list.count())
                     if self.list.item(i).data(ID) == thread), None)

    def _filter(self, words: str) -> None:
        words = words.casefold().strip()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(words) and words not in item.text().casefold())

    def show_found(self, threads: list[str]) -> None:
        """Only the conversations where the search was found (by what was said)."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(item.data(ID) not in threads)

    def _changed(self, item: QListWidgetItem | None, _before: Any) -> None:
        if item is not None:
            self.opened.emit(item.data(ID))

    def _menu(self, point: Any) -> None:
        item = self.list.itemAt(point)
        if item is None:
            return
        menu = QMenu(self)
        menu.addAction("Rename…", lambda: self.rename(item.data(ID)))
        menu.addAction("Delete…", lambda: self.delete(item.data(ID)))
        menu.exec(self.list.mapToGlobal(point))

    def rename(self, thread: str, title: str | None = None) -> None:
        """Give a conversation a title of the person's own (asked for when not given)."""
        item = self._item(thread)
        if item is None:
            return
        if title is None:
            title, ok = QInputDialog.getText(self, "Rename the conversation", "Title:",
                                             text=item.text())
            if not ok:
                return
        title = " ".join(title.split())[:80]
        if title:
            item.setText(title)
            self.renamed.emit(thread, title)

    def delete(self, thread: str) -> None:
        """Ask, then forget the conversation and take it from the list."""
        item = self._item(thread)
        if item is None:
            return
        asked = QMessageBox.question(
            self, "Delete the conversation?",
            f"Delete “{item.text()}”? Famulus forgets everything said in it, for good.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if asked != QMessageBox.StandardButton.Yes:
            return
        self.list.takeItem(self.list.row(item))
        self.delete_wanted.emit(thread)
        if self.list.count() == 0:
            self.start_new()


def _title(words: str) -> str:
    words = " ".join(words.split())
    return (words[:40].rsplit(" ", 1)[0] + "…" if len(words) > 40 else words) or UNTITLED
