"""Which tools the model sees in a turn: the few whose names and descriptions share the
most words with the request (a small model's prompt cannot hold forty schemas, and tools
that have nothing to do with the request only distract it)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from inference.messages import ToolSpec
from tools.manifest import Manifest

# "time" and "now" too: "What time is it?" offered calendar and reminder tools, whose
# schemas made the 1.5B model's first token 7 s instead of 0.5 s on 2 cores. A request
# that needs them names them ("remind", "calendar", "event").
STOP = {"the", "a", "an", "to", "of", "and", "or", "in", "on", "for", "my", "me", "is",
        "it", "what", "please", "can", "you", "i", "with", "at", "be", "do", "this", "that",
        "time", "times", "now"}


def words(text: str) -> set[str]:
    found = set()
    for w in re.findall(r"[a-z]+", text.lower()):
        if w not in STOP and len(w) > 2:
            found.add(w[:5])  # a crude stem: "emails" meets "email", "notes" meets "note"
    return found


def select(manifests: Iterable[Manifest], request: str, k: int = 6) -> list[ToolSpec]:
    """Up to `k` tools for `request`, best matches first; none when nothing matches."""
    asked = words(request)
    scored = []
    for m in manifests:
        overlap = len(asked & words(m.name.replace("_", " ") + " " + m.description))
        if overlap:
            scored.append((-overlap, m.name, m))
    scored.sort()
    return [ToolSpec(m.name, m.description, m.parameters) for *_, m in scored[:k]]
