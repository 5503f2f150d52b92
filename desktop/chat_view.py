"""The conversation: messages rendered as Markdown as they stream, tool calls as cards with
their state and an Undo button, thumbs up/down on answers, and a box to type in."""

from __future__ import annotations

import json
from typing import Any

from agent.events import (
    AgentEvent,
    AnswerReset,
    Cancelled,
    ErrorEvent,
    Heard,
    MemorySaved,
    PlanMade,
    Token,
    ToolAwaitingApproval,
    ToolDone,
    ToolFailed,
    ToolProposed,
    ToolUndone,
    TurnFinished,
)
from desktop.qt import (
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

STATES: dict[type[AgentEvent], str] = {
    ToolProposed: "running", ToolAwaitingApproval: "awaiting approval", ToolDone: "done",
    ToolFailed: "failed", ToolUndone: "undone"}


class MessageBox(QPlainTextEdit):
    """Enter sends; Shift+Enter starts a new line."""

    submitted = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            text = self.toPlainText().strip()
            if text and self.isEnabled():
                self.clear()
                self.submitted.emit(text)
            return
        super().keyPressEvent(event)


class Bubble(QLabel):
    """One message, as Markdown (code blocks, lists, links)."""

    def __init__(self, who: str, text: str = "") -> None:
        super().__init__()
        self.who, self.text_so_far = who, text
        self.setTextFormat(Qt.TextFormat.MarkdownText)
        self.setWordWrap(True)
        self.setOpenExternalLinks(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setObjectName("you" if who == "You" else "famulus")
        self._render()

    def add(self, text: str) -> None:
        self.text_so_far += text
        self._render()

    def reset(self, note: str) -> None:
        self.text_so_far = f"*{note}*\n\n" if note else ""
        self._render()

    def _render(self) -> None:
        self.setText(f"**{self.who}:** {self.text_so_far}")


class ToolCard(QFrame):
    """A tool call and its state; Undo where the action allows it, approve or deny while
    it waits."""

    undo = Signal(str)
    approve = Signal(str)
    deny = Signal(str)
    set_up = Signal(str)  # the settings section that would make the tool work

    def __init__(self, tool: str, arguments: Any) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.tool, self.action_id, self.review_id, self.state = tool, "", "", "running"
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.detail = json.dumps(arguments, ensure_ascii=False)[:300]
        self.undo_button = QPushButton("Undo")
        self.approve_button = QPushButton("Approve")
        self.deny_button = QPushButton("Deny")
        self.set_up_button = QPushButton("Set up…")
        self.set_up_button.setToolTip("Open the settings that make this work")
        self.section = ""
        row = QHBoxLayout(self)
        row.addWidget(self.label, 1)
        for button in (self.approve_button, self.deny_button, self.undo_button,
                       self.set_up_button):
            row.addWidget(button)
            button.setVisible(False)
        self.undo_button.clicked.connect(lambda: self.undo.emit(self.action_id))
        self.approve_button.clicked.connect(lambda: self.approve.emit(self.review_id))
        self.deny_button.clicked.connect(lambda: self.deny.emit(self.review_id))
        self.set_up_button.clicked.connect(lambda: self.set_up.emit(self.section))
        self._render("")

    def update_from(self, event: AgentEvent) -> None:
        self.state = STATES.get(type(event), self.state)
        self.action_id = getattr(event, "action_id", "") or self.action_id
        self.review_id = getattr(event, "review_id", "") or self.review_id
        waiting = self.state == "awaiting approval"
        self.approve_button.setVisible(waiting)
        self.deny_button.setVisible(waiting)
        self.undo_button.setVisible(isinstance(event, ToolDone) and event.undoable)
        self.section = getattr(event, "set_up", "")
        self.set_up_button.setVisible(bool(self.section))
        match event:
            case ToolFailed(error=why) | ToolAwaitingApproval(reason=why) | \
                    ToolUndone(message=why):
                self._render(why)
            case _:
                self._render("")

    def _render(self, why: str) -> None:
        self.label.setText(f"Tool {self.tool}: {self.state}"
                           + (f" ({why[:160]})" if why else "") + f"\n{self.detail}")


class ChatView(QWidget):
    """The transcript and the box to type in; the window wires its signals."""

    send = Signal(str)
    undo = Signal(str)
    approve = Signal(str)
    deny = Signal(str)
    set_up = Signal(str)  # open the settings at this section
    feedback = Signal(bool)
    stop = Signal()  # stop the answer being written

    def __init__(self) -> None:
        super().__init__()
        self.column = QVBoxLayout()
        self.column.addStretch(1)
        inner = QWidget()
        inner.setLayout(self.column)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(inner)
        bar = self.scroll.verticalScrollBar()
        bar.rangeChanged.connect(lambda _lo, hi: bar.setValue(hi))  # follow the answer
        self.input = MessageBox()
        self.input.setPlaceholderText("Preparing…")
        self.input.setFixedHeight(72)
        self.send_button = QPushButton("Send")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the answer (Escape)")
        self.stop_button.setShortcut(QKeySequence("Escape"))
        self.stop_button.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.send_button)
        row.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(row)
        self.input.submitted.connect(self._submit)
        self.send_button.clicked.connect(lambda: self._submit(self.input.toPlainText()))
        self.stop_button.clicked.connect(self.stop)
        self.answer: Bubble | None = None
        self.cards: dict[str, ToolCard] = {}
        self.set_ready(False)

    # What the person does ---------------------------------------------------------------
    def _submit(self, text: str) -> None:
        text = text.strip()
        if not text or not self.input.isEnabled():
            return
        self.input.clear()
        self.add_message("You", text)
        self.set_ready(False)
        self.send.emit(text)

    def set_ready(self, ready: bool) -> None:
        self.input.setEnabled(ready)
        self.send_button.setEnabled(ready)
        if ready:
            self.input.setPlaceholderText("Type a message; Enter sends, Shift+Enter breaks "
                                          "the line")
            self.input.setFocus()

    def set_busy(self, busy: bool) -> None:
        """While an answer is written, Stop (or Escape) ends it."""
        self.stop_button.setVisible(busy)
        self.send_button.setVisible(not busy)

    # What the agent reports ---------------------------------------------------------------
    def add_message(self, who: str, text: str = "") -> Bubble:
        bubble = Bubble(who, text)
        self._add(bubble)
        return bubble

    def is_empty(self) -> bool:
        return self.column.count() <= 1  # only the stretch

    def clear(self) -> None:
        """An empty conversation (a new thread, or before a thread's history)."""
        while self.column.count() > 1:  # the stretch at the end stays
            item = self.column.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.answer, self.cards = None, {}

    def show_history(self, messages: list[dict[str, Any]]) -> None:
        """A thread's earlier messages, above anything said since it opened."""
        for at, message in enumerate(messages):
            who = "Famulus" if message["speaker"] == "famulus" else "You"
            self.column.insertWidget(at, Bubble(who, message["text"]))

    def _add(self, widget: QWidget) -> None:
        self.column.insertWidget(self.column.count() - 1, widget)

    def show_event(self, event: AgentEvent) -> None:
        """Render one agent event (agent.events)."""
        match event:
            case Heard(text=""):
                self.note("no speech heard")
            case Heard(text=text):
                self.add_message("You (spoken)", text)
            case Token(text=text):
                if self.answer is None:
                    self.answer = self.add_message("Famulus")
                self.answer.add(text)
            case AnswerReset() if self.answer is not None:
                self.answer.reset(f"{event.failed}: {event.reason}; {event.next} answers"
                                  if event.failed else "")
            case PlanMade(steps=steps):
                self.note("Plan: " + "; ".join(steps))
            case ToolProposed():
                self._card(event)
            case ToolAwaitingApproval() | ToolDone() | ToolFailed() | ToolUndone():
                self._card(event).update_from(event)
            case _:
                self._show_end(event)

    def _show_end(self, event: AgentEvent) -> None:
        """The turn's last words: saved, failed, finished or stopped."""
        match event:
            case MemorySaved(text=text):
                self.note(f"remembered: {text}")
            case ErrorEvent(message=message):
                self.note(f"error: {message}")
            case TurnFinished():
                self._finish()
            case Cancelled():
                self.note("stopped")
                self.answer = None
                self.cards.pop("", None)

    def _card(self, event: AgentEvent) -> ToolCard:
        key = getattr(event, "action_id", "")
        card = self.cards.get(key) or self.cards.pop("", None)
        if card is None:
            card = ToolCard(getattr(event, "tool", "?"), getattr(event, "arguments", {}))
            card.undo.connect(self.undo)
            card.approve.connect(self.approve)
            card.deny.connect(self.deny)
            card.set_up.connect(self.set_up)
            self._add(card)
            self.answer = None  # words after a tool call start a new bubble
        self.cards[key] = card
        return card

    def note(self, text: str) -> None:
        label = QLabel(f"<i>{text}</i>")
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        self._add(label)

    def _finish(self) -> None:
        row = QWidget()
        buttons = QHBoxLayout(row)
        buttons.setContentsMargins(0, 0, 0, 0)
        for text, good in (("Good", True), ("Not good", False)):
            button = QPushButton(text)
            button.setToolTip("Tell Famulus this answer was " + ("good" if good else
                                                                  "not good"))
            button.clicked.connect(lambda _=False, g=good: self.feedback.emit(g))
            buttons.addWidget(button)
        buttons.addStretch(1)
        self._add(row)
        self.answer = None
        self.cards.pop("", None)

    def transcript(self) -> str:
        """The conversation as plain text (for tests and copying)."""
        parts = []
        for i in range(self.column.count()):
            widget = self.column.itemAt(i).widget()
            if isinstance(widget, Bubble):
                parts.append(f"{widget.who}: {widget.text_so_far}")
            elif isinstance(widget, ToolCard):
                parts.append(widget.label.text())
            elif isinstance(widget, QLabel):
                parts.append(widget.text())
        return "\n".join(parts)
