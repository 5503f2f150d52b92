"""Scripted stand-ins for fast tests of logic (the real components have their own tests)."""

from __future__ import annotations

from collections.abc import Iterator

from inference.backend import Backend
from inference.errors import BackendTimeout
from inference.messages import ChatRequest, Finished, GenerationStats, StreamEvent, TextDelta


class ScriptedBackend(Backend):
    """Says `words`; fails with a timeout after `fail_after` of them if set."""

    def __init__(self, name: str, words: list[str], fail_after: int | None = None) -> None:
        self.name, self.words, self.fail_after = name, words, fail_after
        self.requests: list[ChatRequest] = []

    @property
    def calls(self) -> int:
        return len(self.requests)

    def stream(self, request: ChatRequest) -> Iterator[StreamEvent]:
        self.requests.append(request)
        for index, word in enumerate(self.words):
            if index == self.fail_after:
                raise BackendTimeout(f"{self.name} did not answer within 1 s")
            yield TextDelta(word)
        yield Finished(GenerationStats(self.name, "scripted"))


class ScriptedModel:
    """A router stand-in that answers each request with the next scripted reply: a string
    (streamed word by word) or a list of (tool name, arguments) calls."""

    def __init__(self, replies: list[str | list[tuple[str, dict]]]) -> None:
        self.replies = list(replies)
        self.requests: list[ChatRequest] = []

    def stream(self, request: ChatRequest) -> Iterator[StreamEvent]:
        from inference.messages import ToolCall, ToolCallReady

        self.requests.append(request)
        reply = self.replies.pop(0) if self.replies else "(no more replies)"
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, str):
            for word in reply.split(" "):
                yield TextDelta(word + " ")
        else:
            for name, arguments in reply:
                yield ToolCallReady(ToolCall(name, arguments))
        yield Finished(GenerationStats("scripted", "scripted"))

    def close(self) -> None:
        pass
