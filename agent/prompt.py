"""The system prompt: who Famulus is, the person's chosen personality, today's date, and
what it remembers for this turn; and the time of day, which goes with the message.

The time is not in the system prompt: it would change the prompt's first tokens every
minute, and llama.cpp would then evaluate the whole conversation again instead of reusing
its cache of the unchanged prefix (a 2 s first token instead of 0.1 s on 2 cores)."""

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
        f"Today is {now.strftime('%A %d %B %Y')}. Each message ends with the time it was "
        "sent; mention the time only when asked.",
    ]
    if tools:
        parts.append("Use a tool when the request needs one; otherwise answer directly. "
                     "If a tool waits for the user's approval, say so. Never claim an "
                     "action happened unless a tool result says it did.")
    if memory_text:
        parts.append("What you remember that may help (use it when relevant; 'user' is the "
                     "person you are talking to, so answer them as 'you'):\n" + memory_text)
    return "\n".join(p for p in parts if p)


def with_time(text: str, now: datetime | None = None) -> str:
    """The person's message as the model sees it: with the time it was sent."""
    now = now or datetime.now().astimezone()
    return f"{text}\n\n(sent at {now.strftime('%H:%M')})"
