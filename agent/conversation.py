"""A conversation with the model: the thread's messages, and one turn at a time.

The agent loop (memory, tools) grows from here; this keeps the history, trims it to the
model's window, and drops a backend's partial answer when the router falls back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from inference.messages import (
    ChatMessage,
    ChatRequest,
    Fallback,
    Finished,
    GenerationOptions,
    StreamEvent,
    TextDelta,
    ToolCall,
    ToolCallReady,
)
from inference.router import Router

SYSTEM_PROMPT = (
    "You are Famulus, a personal assistant running on the user's own computer. "
    "Answer clearly and concisely."
)
CHARS_PER_TOKEN = 3.5  # a cautious average, enough to keep the history inside the window


@dataclass
class Turn:
    """What one turn produced."""

    answer: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    finished: Finished | None = None
    fallbacks: list[Fallback] = field(default_factory=list)


class Conversation:
    """One thread of messages with the router that answers them."""

    def __init__(self, router: Router, options: GenerationOptions | None = None,
                 system_prompt: str = SYSTEM_PROMPT, context_tokens: int = 4096) -> None:
        self.router = router
        self.options = options or GenerationOptions()
        self.system = ChatMessage("system", system_prompt)
        self.history: list[ChatMessage] = []
        self.context_tokens = context_tokens

    def _window(self) -> tuple[ChatMessage, ...]:
        room = (self.context_tokens - self.options.max_tokens) * CHARS_PER_TOKEN
        room -= len(self.system.content)
        kept: list[ChatMessage] = []
        for message in reversed(self.history):
            room -= len(message.content) + 16
            if room < 0 and kept:
                break
            kept.append(message)
        return (self.system, *reversed(kept))

    def send(self, text: str, turn: Turn | None = None) -> Iterator[StreamEvent]:
        """Stream the answer to `text`; the exchange joins the history when it ends."""
        turn = turn if turn is not None else Turn()
        user = ChatMessage("user", text)
        self.history.append(user)
        try:
            request = ChatRequest(self._window(), options=self.options)
            for event in self.router.stream(request):
                if isinstance(event, TextDelta):
                    turn.answer += event.text
                elif isinstance(event, ToolCallReady):
                    turn.tool_calls.append(event.call)
                elif isinstance(event, Fallback):
                    turn.answer, turn.tool_calls = "", []
                    turn.fallbacks.append(event)
                elif isinstance(event, Finished):
                    turn.finished = event
                yield event
        except BaseException:
            self.history.remove(user)
            raise
        self.history.append(ChatMessage("assistant", turn.answer, tuple(turn.tool_calls)))

    def reset(self) -> None:
        self.history.clear()
