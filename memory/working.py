"""Working memory: the context for one turn, assembled under a token budget.

Candidates come in priority order (recent turns of the thread, episodic hits, graph facts
about the entities the query mentions, preferences, open goals); each is taken if it still
fits, and what did not fit is reported, not silently lost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

TokenCounter = Callable[[str], int]
PRIORITY = ("recent", "episodic", "facts", "preferences", "goals")


def rough_tokens(text: str) -> int:
    """A stand-in when no tokenizer is at hand: about four characters per token."""
    return max(1, len(text) // 4)


@dataclass
class Item:
    """One candidate line of context."""

    kind: str
    id: str
    text: str
    tokens: int = 0
    untrusted: bool = False  # it came from (or after) content from outside: a page, a mail


@dataclass
class WorkingContext:
    """What goes into the prompt, and what was left out for lack of room."""

    items: list[Item] = field(default_factory=list)
    dropped: list[Item] = field(default_factory=list)
    budget_tokens: int = 0

    @property
    def used_tokens(self) -> int:
        return sum(i.tokens for i in self.items)

    @property
    def untrusted(self) -> list[str]:
        """The ids of the items in the prompt that carry the untrusted mark."""
        return [i.id for i in self.items if i.untrusted]

    def render(self) -> str:
        """The context as text sections, in priority order."""
        titles = {"recent": "Recent conversation", "episodic": "Related memories",
                  "facts": "Known facts", "preferences": "Preferences", "goals": "Open goals"}
        parts = []
        for kind in PRIORITY:
            lines = [i.text for i in self.items if i.kind == kind]
            if kind == "recent":  # gathered newest first (for the budget); read oldest first
                lines.reverse()
            if lines:
                parts.append(f"{titles[kind]}:\n" + "\n".join(f"- {line}" for line in lines))
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"budget_tokens": self.budget_tokens, "used_tokens": self.used_tokens,
                "items": [i.__dict__ for i in self.items],
                "dropped": [{"kind": i.kind, "id": i.id, "tokens": i.tokens}
                            for i in self.dropped]}


def mentioned(query: str, names: Iterable[str]) -> list[str]:
    """Known entity names that appear in the query (whole words, any case)."""
    text = query.casefold()
    return [n for n in names if re.search(rf"\b{re.escape(n.casefold())}\b", text)]


def candidates(memory: Any, query: str, thread: str | None, k: int,
               goals: Iterable[str]) -> list[Item]:
    items: list[Item] = []
    recent_ids = set()
    if thread:
        for row in reversed(memory.recent(thread, limit=8)):
            recent_ids.add(row["id"])
            items.append(Item("recent", row["id"], f"{row['speaker'] or 'someone'}: "
                              f"{row['text']}", untrusted=marked(row.get("metadata"))))
    for hit in memory.search(query, k=k) if query.strip() else []:
        # Outside text from other conversations stays out of the prompt, where it could
        # steer this turn's tools (and would make every change wait for review); the
        # memory_recall tool still finds it, and marks the turn that asks.
        # Famulus's own answers from other conversations stay out too: small models
        # copied them as the answer to a new question ("the average is 9.5" for "which
        # rows …"); the person's words are what it should remember.
        if hit.id not in recent_ids and not marked(getattr(hit, "metadata", None)) and \
                hit.speaker != "famulus":
            items.append(Item("episodic", hit.id, f"{hit.speaker or 'someone'}: {hit.text}"))
    for name in mentioned(query, memory.entity_names()):
        for fact in memory.facts(name, limit=10):
            items.append(Item("facts", fact.id, f"{fact.subject} {fact.relation} {fact.object}"))
    for key, pref in memory.preferences().items():
        if pref.kind not in ("goal", "title"):  # goals come ranked; titles are the window's
            items.append(Item("preferences", key, f"{key}: {pref.value}"))
    items += [Item("goals", f"goal-{i}", goal) for i, goal in enumerate(goals)]
    return items


def marked(metadata: Any) -> bool:
    """Whether an episode's metadata (a dict, or its JSON) carries the untrusted mark."""
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata or "{}")
        except ValueError:
            return True  # unreadable: assume the worst
    return bool(isinstance(metadata, dict) and metadata.get("untrusted"))


def assemble(memory: Any, query: str, budget_tokens: int, *, thread: str | None = None,
             count_tokens: TokenCounter = rough_tokens, k: int = 8,
             goals: Iterable[str] = ()) -> WorkingContext:
    """The context for one turn that fits in `budget_tokens`."""
    context = WorkingContext(budget_tokens=budget_tokens)
    seen: set[tuple[str, str]] = set()
    for item in candidates(memory, query, thread, k, goals):
        if (item.kind, item.id) in seen:
            continue
        seen.add((item.kind, item.id))
        item.tokens = count_tokens(item.text) + 2  # the "- " and the newline
        if context.used_tokens + item.tokens <= budget_tokens:
            context.items.append(item)
        else:
            context.dropped.append(item)
    return context
