"""How the window says the next steps the core names (agent.errors.NextStep): as the
menus and views a person uses here, never as a command."""

from __future__ import annotations

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
