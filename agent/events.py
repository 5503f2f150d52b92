"""The typed events a turn and the app stream to every interface (terminal, window, voice,
API).

Interfaces receive these objects and match on their class; only the API's edge turns them
into JSON, with `to_dict` (and reads them back with `AgentEvent.from_dict`). Each class
names its `type` once, as the API shows it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar


@dataclass(frozen=True)
class AgentEvent:
    """Base of the agent's events."""

    type: ClassVar[str] = "event"
    _by_type: ClassVar[dict[str, type[AgentEvent]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        AgentEvent._by_type[cls.type] = cls

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}

    @staticmethod
    def from_dict(data: dict[str, Any]) -> AgentEvent:
        """The event a `to_dict` made; unknown fields are left out, a wrong type raises
        ValueError."""
        try:
            cls = AgentEvent._by_type[data["type"]]
        except KeyError:
            raise ValueError(f"not an agent event: {data.get('type')!r}") from None
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class Token(AgentEvent):
    """A piece of the answer's text."""

    type: ClassVar[str] = "token"
    text: str


@dataclass(frozen=True)
class Heard(AgentEvent):
    """What a spoken message was heard as; empty when no speech was heard."""

    type: ClassVar[str] = "heard"
    text: str


@dataclass(frozen=True)
class AnswerReset(AgentEvent):
    """The text streamed so far is void: a backend failed and the `next` one answers
    (`failed` names it), or, with `failed` empty, the model wrote a tool call where words
    belong and what follows replaces it (nothing to tell the person)."""

    type: ClassVar[str] = "answer_reset"
    failed: str
    next: str
    reason: str


@dataclass(frozen=True)
class PlanMade(AgentEvent):
    """A multi-step request was broken into steps."""

    type: ClassVar[str] = "plan_made"
    steps: list[str]


@dataclass(frozen=True)
class ToolProposed(AgentEvent):
    """The model asked for a tool call; the gate decides next."""

    type: ClassVar[str] = "tool_proposed"
    tool: str
    arguments: Any
    intent: str = ""  # what the call will do, one sentence (Markdown, values escaped)
    preview: str = ""  # what it would change: a diff of the file or note, the e-mail


@dataclass(frozen=True)
class ToolAwaitingApproval(AgentEvent):
    """The call waits in the review queue."""

    type: ClassVar[str] = "tool_awaiting_approval"
    action_id: str
    review_id: str
    tool: str
    reason: str


@dataclass(frozen=True)
class ToolDone(AgentEvent):
    """The call ran; `undoable` when it can be taken back."""

    type: ClassVar[str] = "tool_done"
    action_id: str
    tool: str
    result: Any
    undoable: bool
    summary: str = ""  # what it did, in the tool's own sentence


@dataclass(frozen=True)
class ToolFailed(AgentEvent):
    """The gate refused the call, or it ran and failed; the model sees why."""

    type: ClassVar[str] = "tool_failed"
    action_id: str
    tool: str
    error: str
    refused: bool
    set_up: str = ""  # the settings section that would make it work, if it is not set up


@dataclass(frozen=True)
class ToolUndone(AgentEvent):
    """An action was taken back."""

    type: ClassVar[str] = "tool_undone"
    action_id: str
    message: str


@dataclass(frozen=True)
class MemorySaved(AgentEvent):
    """Something the person asked to remember is stored and was read back."""

    type: ClassVar[str] = "memory_saved"
    id: str
    text: str


@dataclass(frozen=True)
class Notification(AgentEvent):
    """Something to tell the person outside the answer (a reminder, a waiting review).

    `next_step` names what the person may do about it (agent.errors.NextStep), which each
    front end says in its own words."""

    type: ClassVar[str] = "notification"
    title: str
    text: str
    kind: str = "info"
    next_step: str = ""


@dataclass(frozen=True)
class ErrorEvent(AgentEvent):
    """The turn could not be answered; `message` says why, in words."""

    type: ClassVar[str] = "error"
    message: str


@dataclass(frozen=True)
class Cancelled(AgentEvent):
    """The person stopped the turn; what it had written is not kept."""

    type: ClassVar[str] = "cancelled"


@dataclass(frozen=True)
class TurnFinished(AgentEvent):
    """The turn is over: the answer, what happened, and where the time went."""

    type: ClassVar[str] = "turn_finished"
    answer: str
    thread: str
    timings: dict[str, float | None] = field(default_factory=dict)
    backend: str = ""
    model: str = ""
    tokens_per_s: float | None = None
    steps: int = 0
    memories_used: list[str] = field(default_factory=list)
    generation: dict[str, Any] = field(default_factory=dict)  # the last model call's stats


ActionEvent = ToolDone | ToolFailed | ToolAwaitingApproval


def action_event(result: Any) -> ActionEvent:
    """The event for an action's outcome (a tools ActionResult): done, waiting for
    approval, or failed (refused by the gate, or ran and failed)."""
    if result.status == "done":
        return ToolDone(result.action_id, result.tool, result.result, result.undoable,
                        result.summary)
    if result.status == "review":
        return ToolAwaitingApproval(result.action_id, result.review_id, result.tool,
                                    result.decision.get("reason", ""))
    return ToolFailed(result.action_id, result.tool, result.error, result.status == "refused",
                      result.extra.get("set_up", ""))
