"""The review queue: what waits for the person's decision, with approve, deny, or edit the
arguments and approve."""

from __future__ import annotations

import json
from typing import Any

from agent.telling import plain
from desktop.qt import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)


class ReviewPanel(QWidget):
    """Pending review items; `approve(review_id, edited JSON or "")` and `deny(id)`."""

    approve = Signal(str, str)
    deny = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, Any]] = []
        self.list = QListWidget()
        self.intent = QLabel()  # what it would do, in a sentence
        self.intent.setTextFormat(Qt.TextFormat.MarkdownText)
        self.intent.setWordWrap(True)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.arguments = QPlainTextEdit()
        self.arguments.setPlaceholderText("The arguments, as JSON: edit them, then approve")
        self.approve_button = QPushButton("&Approve")
        self.deny_button = QPushButton("&Deny")
        self.empty = QLabel("Nothing waits for your review.")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.deny_button)
        buttons.addWidget(self.approve_button)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting = QWidget()  # the list and the chosen item: hidden while none wait
        column = QVBoxLayout(self.waiting)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list, 1)
        column.addWidget(self.intent)
        column.addWidget(self.reason)
        column.addWidget(QLabel("Exactly what it gets (edit, then approve):"))
        column.addWidget(self.arguments, 1)
        column.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.waiting, 1)
        self.list.currentRowChanged.connect(self._select)
        self.approve_button.clicked.connect(self._approve)
        self.deny_button.clicked.connect(self._deny)
        self.show_items([])

    def show_items(self, items: list[dict[str, Any]]) -> None:
        """Replace the list with the items waiting now."""
        self.items = items
        self.list.clear()
        for item in items:
            said = item.get("intent") or item["call"]["tool"].replace("_", " ")
            entry = QListWidgetItem(plain(said))
            entry.setToolTip(f"Risk: {item['risk']}")
            entry.setData(Qt.ItemDataRole.UserRole, item["id"])
            self.list.addItem(entry)
        self.empty.setVisible(not items)
        self.waiting.setVisible(bool(items))
        for widget in (self.approve_button, self.deny_button, self.arguments):
            widget.setEnabled(bool(items))
        if items:
            self.list.setCurrentRow(0)
        else:
            self.intent.clear()
            self.reason.clear()
            self.arguments.clear()

    def select(self, review_id: str) -> None:
        """Show the item `review_id` (from a card's Edit…), its arguments ready to edit."""
        for row, item in enumerate(self.items):
            if item["id"] == review_id:
                self.list.setCurrentRow(row)
                self.arguments.setFocus()

    def _current(self) -> dict[str, Any] | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _select(self, _row: int) -> None:
        item = self._current()
        if item is None:
            return
        self.intent.setText(item.get("intent") or item["call"]["tool"].replace("_", " "))
        self.reason.setText(f"Why it waits: {item['reason']}")
        self.arguments.setPlainText(json.dumps(item["call"]["arguments"], indent=2,
                                               ensure_ascii=False))

    def _approve(self) -> None:
        item = self._current()
        if item is None:
            return
        edited = self.arguments.toPlainText().strip()
        unchanged = _same_json(edited, item["call"]["arguments"])
        self.approve.emit(item["id"], "" if unchanged else edited)

    def _deny(self) -> None:
        item = self._current()
        if item is not None:
            self.deny.emit(item["id"])


def _same_json(text: str, value: Any) -> bool:
    try:
        return json.loads(text) == value
    except json.JSONDecodeError:
        return False
