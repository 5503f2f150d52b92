"""Each thread's earlier turns in this process, as the messages the model saw them: sent
again exactly as they were (without memory; with it they come in the working context), so
every prompt of a thread opens with the same tokens and llama.cpp reuses its cache of
them. The oldest turns are dropped in bulk when the room runs out."""

from __future__ import annotations

from dataclasses import dataclass, field

from inference.messages import ChatMessage

CHARS_PER_TOKEN = 3.5


@dataclass
class _Thread:
    turns: list[list[ChatMessage]] = field(default_factory=list)
    untrusted: list[bool] = field(default_factory=list)  # per turn: it read outside content
    start: int = 0  # the oldest turn still sent


class Conversations:
    """The threads' histories: the messages to send before this turn's, trimmed in bulk."""

    def __init__(self, context_tokens: int) -> None:
        self.room = context_tokens * CHARS_PER_TOKEN / 3  # a third of the context
        self._threads: dict[str, _Thread] = {}

    def messages(self, thread: str) -> list[ChatMessage]:
        """The turns to send before this one's messages, oldest first."""
        kept = self._thread(thread)
        if _size(kept.turns[kept.start:]) > self.room:
            # Drop the oldest turns in one go, down to half the room: the kept turns then
            # open every prompt the same way for several turns, and llama.cpp reuses its
            # cache of them. Dropping one turn per turn would change the prompt's start,
            # and the cache with it, every time.
            while kept.start < len(kept.turns) and \
                    _size(kept.turns[kept.start:]) > self.room / 2:
                kept.start += 1
        return [m for turn in kept.turns[kept.start:] for m in turn]

    def untrusted(self, thread: str) -> bool:
        """Whether the turns sent for `thread` carry outside content."""
        kept = self._thread(thread)
        return any(kept.untrusted[kept.start:])

    def add(self, thread: str, messages: list[ChatMessage], untrusted: bool) -> None:
        """A finished turn, as it was sent and answered."""
        kept = self._thread(thread)
        kept.turns.append(messages)
        kept.untrusted.append(untrusted)

    def reset(self, thread: str) -> None:
        self._threads.pop(thread, None)

    def _thread(self, thread: str) -> _Thread:
        return self._threads.setdefault(thread, _Thread())


def _size(turns: list[list[ChatMessage]]) -> int:
    return sum(len(m.content) + 16 for turn in turns for m in turn)

