"""The data that crosses the inference layer: chat messages, tools, tool calls, stream events.

Every backend takes a `ChatRequest` and yields the same stream events, so the router and
the interfaces never care which backend answered.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from typing import Any


def _new_call_id() -> str:
    return "call_" + uuid.uuid4().hex[:12]


@dataclass(frozen=True)
class ToolCall:
    """A request from the model to run one tool with arguments."""

    name: str
    arguments: dict[str, Any]
    id: str = field(default_factory=_new_call_id)
    # How sure the model was that a call was wanted (the probability it gave to starting
    # one), where the backend can tell; the gate sends unsure calls to review.
    confidence: float | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = {"id": self.id, "name": self.name, "arguments": self.arguments}
        if self.confidence is not None:
            data["confidence"] = round(self.confidence, 4)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ToolCall:
        call_id = data.get("id") or _new_call_id()
        return cls(data["name"], dict(data.get("arguments") or {}), call_id)


@dataclass(frozen=True)
class ToolSpec:
    """What the model is told about a tool: name, description, JSON Schema of its parameters."""

    name: str
    description: str
    parameters: dict[str, Any]

    def to_openai(self) -> dict[str, Any]:
        return {"type": "function", "function": asdict(self)}

    def to_anthropic(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description,
                "input_schema": self.parameters}


@dataclass(frozen=True)
class ChatMessage:
    """One message of a conversation: system, user, assistant (maybe with tool calls) or tool."""

    role: str
    content: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            data["tool_calls"] = [c.to_dict() for c in self.tool_calls]
        if self.tool_call_id:
            data["tool_call_id"] = self.tool_call_id
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChatMessage:
        calls = tuple(ToolCall.from_dict(c) for c in data.get("tool_calls") or ())
        return cls(data["role"], data.get("content") or "", calls, data.get("tool_call_id"))


@dataclass(frozen=True)
class GenerationOptions:
    """Sampling limits for one request."""

    max_tokens: int = 512
    temperature: float = 0.2
    top_p: float = 0.95
    stop: tuple[str, ...] = ()
    seed: int | None = None
    # Below this confidence a local model's tool call is not made: it answers in words.
    min_call_confidence: float = 0.0


@dataclass(frozen=True)
class ChatRequest:
    """A conversation to continue, the tools the model may call, and sampling options."""

    messages: tuple[ChatMessage, ...]
    tools: tuple[ToolSpec, ...] = ()
    options: GenerationOptions = field(default_factory=GenerationOptions)
    constrain_tool_calls: bool = True
    # The answer must be a call (structured extraction): local models skip straight to the
    # grammar, cloud APIs get tool_choice "required" / "any".
    require_tool_call: bool = False

    def validate(self) -> None:
        """Refuse a request with nothing to answer."""
        from inference.errors import InvalidRequest

        if not self.messages:
            raise InvalidRequest("the request has no messages")
        last = self.messages[-1]
        if last.role == "user" and not last.content.strip():
            raise InvalidRequest("the prompt is empty: type a question or an instruction")


@dataclass
class GenerationStats:
    """How one answer was produced: by whom, how fast, how many tokens."""

    backend: str
    model: str
    device: str = ""
    prompt_tokens: int = 0
    reused_prompt_tokens: int = 0
    completion_tokens: int = 0
    time_to_first_token_s: float | None = None
    total_s: float = 0.0
    finish_reason: str = "stop"
    tool_call_errors: list[str] = field(default_factory=list)
    call_confidence: float | None = None  # the model's probability of calling a tool
    calls_declined: int = 0  # calls not made for low confidence

    @property
    def tokens_per_s(self) -> float | None:
        """Generation speed after the first token (the prompt's reading excluded)."""
        if self.time_to_first_token_s is None or self.completion_tokens < 2:
            return None
        span = self.total_s - self.time_to_first_token_s
        return (self.completion_tokens - 1) / span if span > 0 else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tokens_per_s"] = self.tokens_per_s
        return data


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer's text, as it streams."""

    text: str


@dataclass(frozen=True)
class ToolCallReady:
    """A complete, parsed tool call."""

    call: ToolCall


@dataclass(frozen=True)
class Fallback:
    """The router gave up on one backend and goes on with the next; text so far is void."""

    failed: str
    next: str
    reason: str


@dataclass(frozen=True)
class Finished:
    """The answer is complete."""

    stats: GenerationStats


StreamEvent = TextDelta | ToolCallReady | Fallback | Finished
