"""The system prompt: who Famulus is, the person's chosen personality, the date and time,
and what it remembers for this turn.

The time in the system prompt changes its first tokens every minute, and llama.cpp then
evaluates the whole conversation again (a 2 s first token instead of 0.1 s on 2 cores,
once a minute). Moving it into the message confused the light model's arithmetic, so it
stays here for now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

TONES = {"friendly": "Be warm and friendly.", "neutral": "Be plain and matter-of-fact.",
         "formal": "Be courteous and formal."}
VERBOSITY = {"brief": "Answer in as few words as will do.",
             "normal": "Answer clearly and concisely.",
             "detailed": "Answer thoroughly, with the details that matter."}


@dataclass(frozen=True)
class Personality:
    """How Famulus speaks and how much it volunteers (from the agent.* settings)."""

    tone: str = "friendly"
    verbosity: str = "normal"
    proactivity: str = "normal"  # off | low | normal | high


def system_prompt(personality: Personality, memory_text: str = "", tools: bool = False,
                  now: datetime | None = None) -> str:
    now = now or datetime.now().astimezone()
    parts = [
        "You are Famulus, a personal assistant running on the user's own computer.",
        TONES.get(personality.tone, ""), VERBOSITY.get(personality.verbosity, ""),
        f"Now is {now.strftime('%A %d %B %Y, %H:%M')}.",
    ]
    if tools:
        parts.append("Use a tool when the request needs one; otherwise answer directly. "
                     "If a tool waits for the user's approval, say so. Never claim an "
                     "action happened unless a tool result says it did.")
    if memory_text:
        parts.append("What you remember that may help (use it when relevant; 'user' is the "
                     "person you are talking to, so answer them as 'you'):\n" + memory_text)
    return "\n".join(p for p in parts if p)

