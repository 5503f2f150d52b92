"""A tool call in the conversation: what it does in a sentence ("Create the note
**groceries**: milk and eggs"), its outcome in words, Approve / Deny while it waits, Undo
when it can be undone, Set up… when its service is missing, and the arguments one click
away under Details."""

from __future__ import annotations

import json
from typing import Any

from agent.events import (
    AgentEvent,
    ToolAwaitingApproval,
    ToolDone,
    ToolFailed,
    ToolProposed,
    ToolUndone,
)
from desktop.qt import (
    QApplication,
    QEvent,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPalette,
    QPushButton,
    Qt,
    QVBoxLayout,
    Signal,
)

STATES: dict[type[AgentEvent], str] = {
    ToolProposed: "running", ToolAwaitingApproval: "awaiting approval", ToolDone: "done",
    ToolFailed: "failed", ToolUndone: "undone"}

STILL_OPEN = ("running", "awaiting approval")
# the card's edge says the state at a glance; the words say it for everyone
EDGES = {"running": "#8a8a8a", "awaiting approval": "#d08a00", "done": "#2e8b57",
         "failed": "#c0392b", "refused": "#c0392b", "undone": "#8a8a8a"}


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text[:1].upper() + text[1:] + "." if text else ""


class ToolCard(QFrame):
    """A tool call and its state; Undo where the action allows it, approve or deny while
    it waits."""

    undo = Signal(str)
    approve = Signal(str)
    deny = Signal(str)
    set_up = Signal(str)  # the settings section that would make the tool work
    edit = Signal(str)  # change what it gets before approving (in the Review tab)

    def __init__(self, tool: str, arguments: Any, intent: str = "", preview: str = "") -> None:
        super().__init__()
        self.setObjectName("toolcard")
        self.tool, self.action_id, self.review_id, self.state = tool, "", "", "running"
        self.intent = intent or _sentence(tool.replace("_", " "))
        self.label = QLabel()  # what it does
        self.label.setTextFormat(Qt.TextFormat.MarkdownText)
        self.label.setWordWrap(True)
        self.outcome = QLabel()  # what came of it
        self.outcome.setWordWrap(True)
        self.preview = QLabel(preview)  # what it changes: a diff, the e-mail as sent
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setStyleSheet("font-family: monospace;")
        self.preview.setVisible(bool(preview))
        self.details = QLabel(json.dumps(arguments, ensure_ascii=False, indent=2)[:2000])
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setStyleSheet("font-family: monospace;")
        self.details.setVisible(False)
        self.details_button = QPushButton("Details")
        self.details_button.setCheckable(True)
        self.details_button.setFlat(True)
        self.details_button.setToolTip("Show what the tool gets, exactly")
        self.details_button.toggled.connect(self.details.setVisible)
        self.approve_button = QPushButton("Approve")
        self.deny_button = QPushButton("Deny")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Change what it gets, then approve (in the Review tab)")
        self.undo_button = QPushButton("Undo")
        self.set_up_button = QPushButton("Set up…")
        self.set_up_button.setToolTip("Open the settings that make this work")
        self.section = ""
        self._lay_out()
        self.undo_button.clicked.connect(lambda: self.undo.emit(self.action_id))
        self.approve_button.clicked.connect(lambda: self.approve.emit(self.review_id))
        self.deny_button.clicked.connect(lambda: self.deny.emit(self.review_id))
        self.edit_button.clicked.connect(lambda: self.edit.emit(self.review_id))
        self.set_up_button.clicked.connect(lambda: self.set_up.emit(self.section))
        self._render("running", "Working on it…")

    def _lay_out(self) -> None:
        words = QVBoxLayout()
        words.setSpacing(2)
        words.addWidget(self.label)
        words.addWidget(self.preview)
        words.addWidget(self.outcome)
        words.addWidget(self.details)
        buttons = QHBoxLayout()
        for button in (self.approve_button, self.deny_button, self.edit_button,
                       self.undo_button, self.set_up_button):
            buttons.addWidget(button)
            button.setVisible(False)
        buttons.addWidget(self.details_button)
        buttons.addStretch(1)
        words.addLayout(buttons)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 4)
        row.addLayout(words, 1)

    def update_from(self, event: AgentEvent) -> None:
        self.state = STATES.get(type(event), self.state)
        self.action_id = getattr(event, "action_id", "") or self.action_id
        self.review_id = getattr(event, "review_id", "") or self.review_id
        waiting = self.state == "awaiting approval"
        for button in (self.approve_button, self.deny_button, self.edit_button):
            button.setVisible(waiting)
        self.undo_button.setVisible(isinstance(event, ToolDone) and event.undoable)
        self.section = getattr(event, "set_up", "")
        self.set_up_button.setVisible(bool(self.section))
        # the change is shown while it can still be declined; afterwards the outcome says
        self.preview.setVisible(bool(self.preview.text()) and self.state in STILL_OPEN)
        match event:
            case ToolAwaitingApproval(reason=why):
                self._render(self.state, "Waiting for your approval"
                             + (f": {why.rstrip('.')}." if why else "."))
            case ToolDone(summary=said):
                self._render("done", f"Done. {_sentence(said)}" if said else "Done.")
            case ToolFailed(error=why, refused=True):
                self._render("refused", f"Not allowed: {_sentence(why)}")
            case ToolFailed(error=why):
                self._render("failed", f"It did not work: {_sentence(why)}")
            case ToolUndone(message=why):
                self._render("undone", f"Undone. {_sentence(why)}")

    def _render(self, state: str, outcome: str) -> None:
        self.label.setText(self.intent)
        self.outcome.setText(outcome)
        self.edge = EDGES[state]
        self.restyle()

    def restyle(self) -> None:
        """Colours from the application's palette, set again when the theme changes."""
        palette = QApplication.palette()  # its own follows its style sheet, not the theme
        sheet = (  # indented in line with Famulus's answers
            f"#toolcard {{ margin-left: 34px; border-left: 4px solid {self.edge}; "
            f"border-top: 1px solid {palette.color(QPalette.ColorRole.Mid).name()}; "
            f"border-right: 1px solid {palette.color(QPalette.ColorRole.Mid).name()}; "
            f"border-bottom: 1px solid {palette.color(QPalette.ColorRole.Mid).name()}; "
            "border-radius: 6px; "
            f"background: {palette.color(QPalette.ColorRole.Base).name()}; "
            "padding: 2px 4px 2px 8px; }")
        if sheet != self.styleSheet():  # setting it sends PaletteChange again
            self.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.restyle()
        super().changeEvent(event)

    def words(self) -> str:
        """What the card says, as plain text (the transcript)."""
        return f"{self.label.text()} — {self.outcome.text()}"
