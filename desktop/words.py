"""How the window says the next steps the core names (agent.errors.NextStep): as the
menus and views a person uses here, never as a command."""

from __future__ import annotations

from typing import Any

from app.errors import NextStep

STEPS = {
    NextStep.SET_UP_MEMORY: "Famulus offers to set it up when it starts",
    NextStep.UNLOCK_MEMORY: "unlock it with your passphrase when Famulus asks",
    NextStep.REVIEW: "see the Review tab",
    NextStep.SEE_AUDIT: "see the Review tab",
    NextStep.CHECK_MEMORY: "see the Memory tab",
    NextStep.CONFIGURE: "see Famulus ▸ Settings",
}


def next_step(step: NextStep | str) -> str:
    """The window's words for a next step, or ""."""
    return STEPS.get(NextStep.of(step), "")


def with_next_step(text: str, step: NextStep | str) -> str:
    """`text`, and what to do about it in the window's words when there is something."""
    words = next_step(step)
    return f"{text} ({words})" if words else text


def status_line(info: Any) -> str:
    """The status bar's line once the session is open (a session.Ready): where the model
    runs, the level, the memory ("Local model on CPU · autonomy 1 · memory unlocked"); the
    details are in its tooltip."""
    where = info.where.split(",")[0].split(" (")[0]
    model = "Cloud model" if where == "cloud" else f"Local model on {where}"
    if info.autonomy is None:
        return f"{model} · memory and tools off"
    memory = "memory unlocked" if info.memory else "memory off"
    return f"{model} · autonomy {info.autonomy} · {memory}"
