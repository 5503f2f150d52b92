"""Memory in a turn: the working context before it, the episodes stored after it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from memory.events import Episode
from memory.working import WorkingContext, assemble, rough_tokens


class Grounding:
    """Reads working memory for a query and writes each finished turn as episodes."""

    def __init__(self, memory: Any, budget_tokens: int = 700,
                 count_tokens: Callable[[str], int] = rough_tokens,
                 goals: Callable[[], list[str]] = list) -> None:
        self.memory, self.budget_tokens = memory, budget_tokens
        self.count_tokens, self.goals = count_tokens, goals

    def context(self, query: str, thread: str | None = None) -> WorkingContext:
        """What memory brings to `query`; with `thread`, that thread's latest turns too."""
        return assemble(self.memory, query, self.budget_tokens, thread=thread,
                        count_tokens=self.count_tokens, goals=self.goals())

    def store_turn(self, thread: str, channel: str, sender: str, question: str,
                   answer: str, untrusted_by: Sequence[str] = ()) -> list[str]:
        """The exchange as two episodes of the thread, in one durable write. A turn that
        read untrusted content stores its answer with the untrusted mark (and what it came
        from), so a later turn of the thread that sees it is tainted too; the person's own
        words are theirs and stay unmarked (a message from anyone else is marked)."""
        import time
        import uuid

        now = int(time.time() * 1000)
        mark = {"untrusted": True, "source": ", ".join(untrusted_by)[:200]} \
            if untrusted_by else {}
        episodes = [Episode(uuid.uuid4().hex, question, now, sender, channel, thread,
                            metadata=dict(mark) if sender != "user" else {}),
                    Episode(uuid.uuid4().hex, answer, now + 1, "famulus", channel, thread,
                            metadata=dict(mark))]
        stored = self.memory.add_episodes([e for e in episodes if e.text.strip()])
        return [e.id for e in stored]
