"""The typed events a turn streams to every interface (terminal, window, voice, API).

Each event knows its `type` and how to become a dict (the API streams them as JSON).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from inference.errors import InferenceError
from inference.messages import Fallback, Finished, StreamEvent, TextDelta, ToolCallReady


@dataclass(frozen=True)
class AgentEvent:
    """Base of the agent's events."""

    @property
    def type(self) -> str:
        name = type(self).__name__
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}


@dataclass(frozen=True)
class Token(AgentEvent):
    """A piece of the answer's text."""

    text: str


@dataclass(frozen=True)
class AnswerReset(AgentEvent):
    """The text streamed so far is void (a backend failed and the next one answers)."""

    failed: str
    next: str
    reason: str


@dataclass(frozen=True)
class PlanMade(AgentEvent):
    """A multi-step request was broken into steps."""

    steps: list[str]


@dataclass(frozen=True)
class ToolProposed(AgentEvent):
    """The model asked for a tool call; the gate decides next."""

    tool: str
    arguments: Any


@dataclass(frozen=True)
class ToolAwaitingApproval(AgentEvent):
    """The call waits in the review queue."""

    action_id: str
    review_id: str
    tool: str
    reason: str


@dataclass(frozen=True)
class ToolDone(AgentEvent):
    action_id: str
    tool: str
    result: Any
    undoable: bool


@dataclass(frozen=True)
class ToolFailed(AgentEvent):
    """The gate refused the call, or it ran and failed; the model sees why."""

    action_id: str
    tool: str
    error: str
    refused: bool


@dataclass(frozen=True)
class ToolUndone(AgentEvent):
    action_id: str
    message: str


@dataclass(frozen=True)
class MemorySaved(AgentEvent):
    """Something the person asked to remember is stored and was read back."""

    id: str
    text: str


@dataclass(frozen=True)
class Notification(AgentEvent):
    """Something to tell the person outside the answer (a reminder, a waiting review)."""

    title: str
    text: str
    kind: str = "info"


@dataclass(frozen=True)
class ErrorEvent(AgentEvent):
    """The turn could not be answered; `message` says why, in words."""

    message: str


@dataclass(frozen=True)
class TurnFinished(AgentEvent):
    """The turn is over: the answer, what happened, and where the time went."""

    answer: str
    thread: str
    timings: dict[str, float | None] = field(default_factory=dict)
    backend: str = ""
    model: str = ""
    tokens_per_s: float | None = None
    steps: int = 0
    memories_used: list[str] = field(default_factory=list)
    generation: dict[str, Any] = field(default_factory=dict)  # the last model call's stats


__all__ = ["AgentEvent", "AnswerReset", "ErrorEvent", "Fallback", "Finished",
           "InferenceError", "MemorySaved", "Notification", "PlanMade", "StreamEvent",
           "TextDelta", "Token",
           "ToolAwaitingApproval", "ToolCallReady", "ToolDone", "ToolFailed", "ToolProposed",
           "ToolUndone", "TurnFinished"]


def action_event(result: Any) -> AgentEvent:
    """The event for an action's outcome (a tools ActionResult): done, waiting for
    approval, or failed (refused by the gate, or ran and failed)."""
    if result.status == "done":
        return ToolDone(result.action_id, result.tool, result.result, result.undoable)
    if result.status == "review":
        return ToolAwaitingApproval(result.action_id, result.review_id, result.tool,
                                    result.decision.get("reason", ""))
    return ToolFailed(result.action_id, result.tool, result.error, result.status == "refused")
