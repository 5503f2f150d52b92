"""The memory browser: search what was said, see what is known about someone or something
as a small graph, where each fact came from; correct a fact, or forget (after a
confirmation)."""

from __future__ import annotations

import math
from typing import Any

from desktop.qt import (
    QColor,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPainter,
    QPushButton,
    QRectF,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)


class FactGraph(QWidget):
    """The entity in the middle, what it relates to around it, the relation on each edge."""

    def __init__(self) -> None:
        super().__init__()
        self.entity, self.facts = "", []
        self.setMinimumHeight(220)

    def show_facts(self, entity: str, facts: list[dict[str, Any]]) -> None:
        self.entity, self.facts = entity, facts[:12]
        self.update()

    def paintEvent(self, _event: object) -> None:
        if not self.entity:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().text().color()
        cx, cy = self.width() / 2, self.height() / 2
        radius = min(cx, cy) - 40
        for i, fact in enumerate(self.facts):
            angle = 2 * math.pi * i / max(1, len(self.facts))
            x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            painter.setPen(QColor("#8a8a8a"))
            painter.drawLine(int(cx), int(cy), int(x), int(y))
            painter.setPen(text)
            painter.drawText(QRectF((cx + x) / 2 - 60, (cy + y) / 2 - 10, 120, 20),
                             Qt.AlignmentFlag.AlignCenter, fact["relation"])
            other = fact["object"] if _same(fact["subject"], self.entity) else fact["subject"]
            self._node(painter, x, y, other, "#5b7fa6")
        self._node(painter, cx, cy, self.entity, "#8e24aa")
        painter.end()

    def _node(self, painter: QPainter, x: float, y: float, label: str, colour: str) -> None:
        box = QRectF(x - 60, y - 14, 120, 28)
        painter.setBrush(QColor(colour))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(box, 8, 8)
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label[:18])


def _same(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


class MemoryBrowser(QWidget):
    """Two pages: episodes (search) and knowledge (an entity's facts)."""

    search = Signal(str)
    about = Signal(str)
    forget = Signal(str, str)  # the item, and what to show again afterwards
    correct = Signal(object, str)  # the corrected fact, and what to show again

    def __init__(self) -> None:
        super().__init__()
        self.query = QLineEdit()
        self.query.setPlaceholderText("Search what was said (Enter)")
        self.episodes = QListWidget()
        self.forget_episode = QPushButton("Forget this…")
        episodes = QWidget()
        column = QVBoxLayout(episodes)
        column.addWidget(self.query)
        column.addWidget(self.episodes, 1)
        column.addWidget(self.forget_episode, 0, Qt.AlignmentFlag.AlignRight)
        self.entity = QComboBox()
        self.entity.setEditable(True)
        self.entity.setToolTip("Someone or something Famulus knows about")
        self.graph = FactGraph()
        self.facts = QListWidget()
        self.sources = QLabel()
        self.sources.setWordWrap(True)
        self.forget_fact = QPushButton("Forget this fact…")
        self.correct_fact = QPushButton("Correct this fact…")
        knowledge = QWidget()
        column = QVBoxLayout(knowledge)
        row = QHBoxLayout()
        row.addWidget(QLabel("About:"))
        row.addWidget(self.entity, 1)
        column.addLayout(row)
        column.addWidget(self.graph, 1)
        column.addWidget(self.facts, 1)
        column.addWidget(self.sources)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.correct_fact)
        buttons.addWidget(self.forget_fact)
        column.addLayout(buttons)
        pages = QTabWidget()
        pages.addTab(episodes, "What was said")
        pages.addTab(knowledge, "What is known")
        layout = QVBoxLayout(self)
        layout.addWidget(pages)
        self.pages = pages
        self.fact_items: list[dict[str, Any]] = []
        self.query.returnPressed.connect(lambda: self.search.emit(self.query.text().strip()))
        self.entity.activated.connect(lambda _i: self.about.emit(self.entity.currentText()))
        self.entity.lineEdit().returnPressed.connect(
            lambda: self.about.emit(self.entity.currentText().strip()))
        self.facts.currentRowChanged.connect(self._show_sources)
        self.forget_episode.clicked.connect(self._forget_episode)
        self.forget_fact.clicked.connect(self._forget_fact)
        self.correct_fact.clicked.connect(self._correct_fact)
        self.confirm, self.edit = _confirm, _edit

    def show_episodes(self, hits: list[dict[str, Any]]) -> None:
        self.episodes.clear()
        for hit in hits:
            when = str(hit.get("time", ""))[:16].replace("T", " ")
            entry = QListWidgetItem(f"{when}  {hit.get('speaker') or 'someone'}: "
                                    f"{hit['text'][:200]}")
            entry.setData(Qt.ItemDataRole.UserRole, hit.get("source_id") or hit["id"])
            self.episodes.addItem(entry)
        if not hits:
            self.episodes.addItem("(nothing found)")

    def show_known(self, known: dict[str, Any]) -> None:
        current = known["entity"]
        self.entity.blockSignals(True)
        self.entity.clear()
        self.entity.addItems(known["entities"])
        self.entity.setCurrentText(current)
        self.entity.blockSignals(False)
        self.fact_items = known["facts"]
        self.graph.show_facts(current, known["facts"])
        self.facts.clear()
        for fact in known["facts"]:
            self.facts.addItem(f"{fact['subject']} {fact['relation']} {fact['object']}  "
                               f"({fact['confidence']:.0%} sure)")
        self.sources.clear()

    def _show_sources(self, row: int) -> None:
        if 0 <= row < len(self.fact_items):
            sources = self.fact_items[row]["sources"]
            self.sources.setText("Learned from: " + (" · ".join(
                f"“{s[:140]}”" for s in sources) if sources else "(no source recorded)"))

    def _forget_episode(self) -> None:
        entry = self.episodes.currentItem()
        item_id = entry.data(Qt.ItemDataRole.UserRole) if entry else None
        if item_id and self.confirm(self, entry.text()):
            self.forget.emit(item_id, "search:" + self.query.text().strip())

    def _forget_fact(self) -> None:
        row = self.facts.currentRow()
        if 0 <= row < len(self.fact_items) and self.confirm(self, self.facts.item(row).text()):
            self.forget.emit(self.fact_items[row]["id"],
                             "entity:" + self.entity.currentText().strip())


    def _correct_fact(self) -> None:
        row = self.facts.currentRow()
        if not 0 <= row < len(self.fact_items):
            return
        fact = self.fact_items[row]
        edited = self.edit(self, fact)
        if edited is not None:
            self.correct.emit({**fact, **edited}, "entity:" + self.entity.currentText().strip())


def _edit(parent: QWidget, fact: dict[str, Any]) -> dict[str, str] | None:
    """The person's correction of a fact's three parts, or None."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Correct this fact")
    fields = {part: QLineEdit(fact[part]) for part in ("subject", "relation", "object")}
    form = QFormLayout(dialog)
    for part, line in fields.items():
        form.addRow(part.capitalize(), line)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                               QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return {part: line.text().strip() for part, line in fields.items()}


def _confirm(parent: QWidget, what: str) -> bool:
    answer = QMessageBox.question(
        parent, "Forget for good?",
        f"Famulus will forget this for good; it cannot be undone:\n\n{what[:300]}")
    return answer == QMessageBox.StandardButton.Yes
