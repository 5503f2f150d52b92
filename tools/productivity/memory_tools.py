"""Memory as tools the model can call (through the gate like any other): remember, recall.

`memory_remember` reads what it stored back through search before it reports success, so
"I'll remember that" is only ever said of a memory that can be found again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tools.context import Outcome, ToolContext, UndoRecord
from tools.declare import tool
from tools.errors import ToolFailed, ToolInputError
from tools.manifest import Risk
from tools.undo import undoes


@tool("productivity", Risk.WRITE, undo="forgets it again")
def memory_remember(ctx: ToolContext, text: str) -> Outcome:
    """Store something the person wants remembered in long-term memory.

    Args:
        text: the thing to remember, as a full sentence (e.g. "My sister's birthday is
            June 3rd").
    """
    if not text.strip():
        raise ToolInputError("text must not be empty")
    memory = ctx.service("memory")
    mark = {"untrusted": True} if ctx.untrusted else {}  # re-taints the turns that read it
    episode = memory.add_episode(text.strip(), speaker="user", channel="memory",
                                 metadata={"remembered": True, **mark})
    found = {hit.id for hit in memory.search(text, k=10)}
    if episode.id not in found:
        raise ToolFailed("the memory was written but could not be found again, so it is "
                         "not confirmed as saved")
    return Outcome({"saved": True, "id": episode.id, "text": episode.text},
                   UndoRecord("memory.forget", {"id": episode.id}),
                   f"remembered {episode.id}")


@tool("productivity", Risk.READ, untrusted_output=True)  # memories may hold stored orders
def memory_recall(ctx: ToolContext, query: str, k: int = 5) -> list[dict[str, Any]]:
    """Recall from long-term memory what the person said, told you or asked you to
    remember earlier.

    Args:
        query: what to look for, in words.
        k: how many memories to return.
    """
    hits = ctx.service("memory").search(query, k=max(1, min(k, 20)))
    return [{"text": h.text, "speaker": h.speaker,
             "when": datetime.fromtimestamp(h.time_ms / 1000).isoformat(timespec="minutes")}
            for h in hits]


@undoes("memory.forget")
def forget_again(ctx: ToolContext, data: dict[str, Any], blob: bytes | None) -> str:
    ctx.service("memory").forget(data["id"])
    return "forgot it again"


TOOLS = [memory_remember, memory_recall]
