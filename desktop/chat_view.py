"""The conversation: messages as bubbles rendered as Markdown as they stream, a typing
indicator while Famulus thinks, tool calls as cards in plain words with their state and
buttons, quiet notes for what happened on the side, and a box to type in."""

from __future__ import annotations

from datetime import datetime
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
from desktop.bubbles import Bubble, Typing
from desktop.qt import (
    QEvent,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QPalette,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.tool_card import ToolCard

__all__ = ["Bubble", "ChatView", "MessageBox", "ToolCard"]

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


class ChatView(QWidget):
    """The transcript and the box to type in; the window wires its signals."""

    send = Signal(str)
    undo = Signal(str)
    approve = Signal(str)
    deny = Signal(str)
    set_up = Signal(str)  # open the settings at this section
    edit = Signal(str)  # a waiting action to change in the Review tab
    feedback = Signal(bool)
    stop = Signal()  # stop the answer being written

    def __init__(self) -> None:
        super().__init__()
        self.column = QVBoxLayout()
        self.column.addStretch(1)
        inner = QWidget()
        inner.setLayout(self.column)
        inner.setBackgroundRole(QPalette.ColorRole.Base)  # bubbles stand out on it
        inner.setAutoFillBackground(True)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(inner)
        bar = self.scroll.verticalScrollBar()
        bar.rangeChanged.connect(lambda _lo, hi: bar.setValue(hi))  # follow the answer
        self.input = MessageBox()
        self.input.setPlaceholderText("Preparing…")
        self.input.setFixedHeight(72)
        self.input.setAccessibleName("Message to Famulus")
        self.scroll.setAccessibleName("Conversation")
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
        self.typing: Typing | None = None
        self.set_ready(False)

    def changeEvent(self, event: QEvent) -> None:
        """A new theme: the cards' colours follow (a widget with its own style sheet is
        not told of the palette's change)."""
        if event.type() == QEvent.Type.PaletteChange:
            for card in self.findChildren(ToolCard):
                card.restyle()
        super().changeEvent(event)

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
        """While an answer is written, Stop (or Escape) ends it; until its first word the
        conversation shows that Famulus is thinking."""
        self.stop_button.setVisible(busy)
        self.send_button.setVisible(not busy)
        self._thinking(busy and self.answer is None)

    def _thinking(self, shown: bool) -> None:
        if shown and self.typing is None:
            self.typing = Typing()
            self.typing.stop.connect(self.stop)
            self._add(self.typing)
        elif not shown and self.typing is not None:
            self.typing.timer.stop()
            self.column.removeWidget(self.typing)
            self.typing.deleteLater()
            self.typing = None

    # What the agent reports ---------------------------------------------------------------
    def add_message(self, who: str, text: str = "", spoken: bool = False,
                    at: datetime | None = None) -> Bubble:
        self._thinking(False)
        bubble = Bubble(who, text, spoken, at)
        bubble.feedback.connect(self.feedback)
        self._add(bubble)
        if who == "You" and self.stop_button.isVisible():  # a spoken turn already runs
            self._thinking(True)
        return bubble

    def is_empty(self) -> bool:
        return self.column.count() <= 1  # only the stretch

    def clear(self) -> None:
        """An empty conversation (a new thread, or before a thread's history)."""
        while self.column.count() > 1:  # the stretch at the end stays
            item = self.column.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.answer, self.cards, self.typing = None, {}, None

    def show_history(self, messages: list[dict[str, Any]]) -> None:
        """A thread's earlier messages, above anything said since it opened."""
        for place, message in enumerate(messages):
            who = "Famulus" if message["speaker"] == "famulus" else "You"
            at = datetime.fromtimestamp(message["time_ms"] / 1000) \
                if message.get("time_ms") else None
            bubble = Bubble(who, message["text"], message.get("channel") == "voice", at)
            bubble.feedback.connect(self.feedback)
            self.column.insertWidget(place, bubble)

    def _add(self, widget: QWidget) -> None:
        at = self.column.count() - 1  # before the stretch, and above the typing dots
        if self.typing is not None and widget is not self.typing:
            at = self.column.indexOf(self.typing)
        self.column.insertWidget(at, widget)

    def show_event(self, event: AgentEvent) -> None:
        """Render one agent event (agent.events)."""
        match event:
            case Heard(text=""):
                self.note("No speech heard.")
            case Heard(text=text):
                self.add_message("You", text, spoken=True)
            case Token(text=text):
                if self.answer is None:
                    self.answer = self.add_message("Famulus")
                self.answer.add(text)
            case AnswerReset() if self.answer is not None:
                self.answer.reset("")
                if event.failed:  # another model answers; the reason is for the curious
                    self.note(f"The {event.failed} model did not answer; the {event.next} "
                              "model answers instead.", details=event.reason)
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
                self.note(f"Remembered: {text}")
            case ErrorEvent(message=message):
                self._thinking(False)
                self.note(f"Something went wrong: {message}")
            case TurnFinished():
                self._finish()
            case Cancelled():
                self._thinking(False)
                self.note("Stopped.")
                self.answer = None
                self.cards.pop("", None)

    def _card(self, event: AgentEvent) -> ToolCard:
        key = getattr(event, "action_id", "")
        card = self.cards.get(key) or self.cards.pop("", None)
        if card is None:
            self._thinking(False)
            card = ToolCard(getattr(event, "tool", "?"), getattr(event, "arguments", {}),
                            getattr(event, "intent", ""), getattr(event, "preview", ""))
            card.undo.connect(self.undo)
            card.approve.connect(self.approve)
            card.deny.connect(self.deny)
            card.set_up.connect(self.set_up)
            card.edit.connect(self.edit)
            self._add(card)
            self.answer = None  # words after a tool call start a new bubble
        self.cards[key] = card
        return card

    def note(self, text: str, details: str = "") -> None:
        """A quiet line in the middle: something that happened beside the conversation."""
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setObjectName("note")
        quiet = label.palette().color(QPalette.ColorRole.PlaceholderText).name()
        label.setStyleSheet(f"color: {quiet}; font-style: italic;")
        if details:
            label.setToolTip(details)
        self._add(label)

    def _finish(self) -> None:
        self._thinking(False)
        if self.answer is not None:
            self.answer.finish()
        self.answer = None
        self.cards.pop("", None)

    def transcript(self) -> str:
        """The conversation as plain text (for tests and copying)."""
        parts = []
        for i in range(self.column.count()):
            widget = self.column.itemAt(i).widget()
            if isinstance(widget, Bubble):
                who = "You (spoken)" if widget.spoken else widget.who
                parts.append(f"{who}: {widget.text_so_far}")
            elif isinstance(widget, ToolCard):
                parts.append(widget.words())
            elif isinstance(widget, QLabel):
                parts.append(widget.text())
        return "\n".join(parts)
