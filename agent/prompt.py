"""The system prompt: who Famulus is, the person's chosen personality, the date, and what
it remembers for this turn; and the time of day, in its own short system message just
before the person's message.

The minute changes every minute: in the system prompt it changed the prompt's first
tokens, and llama.cpp then evaluated the whole conversation again (a 2 s first token
instead of 0.1 s on 2 cores, once a minute). Written into the person's message it confused
the light model's arithmetic. In a system message of its own, after the history, only the
last few tokens change; it is marked as context, because said plainly the 1.5B model
sometimes answered a remark with the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

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
        f"Today is {now.strftime('%A %d %B %Y')}.",
    ]
    if tools:
        parts.append("Use a tool when the request needs one; otherwise answer directly. "
                     "If a tool waits for the user's approval, say so. Never claim an "
                     "action happened unless a tool result says it did.")
        parts.append(coming_days(now))
    if memory_text:
        parts.append(context_note(memory_text))
    return "\n".join(p for p in parts if p)


def context_note(memory_text: str, note: str = "") -> str:
    """This turn's working context (what memory brings, and a note for the turn), for a
    message just before the person's: the part of the prompt that changes every turn."""
    parts = []
    if memory_text:
        parts.append("What you remember that may help (use it when relevant; 'user' is the "
                     "person you are talking to, so answer them as 'you'):\n" + memory_text)
    if note:
        parts.append(note)
    return "\n\n".join(parts)



def coming_days(now: datetime) -> str:
    """The dates of the next seven days: small models count "this Friday" wrong (the 1.5B
    model put Wednesday's "Friday" on Saturday); a tool's dates come from this list."""
    days = [now + timedelta(days=n) for n in range(1, 8)]
    return "Dates: today " + now.strftime("%Y-%m-%d") + "; " + ", ".join(
        f"{'tomorrow ' if n == 0 else ''}{d.strftime('%A %Y-%m-%d')}"
        for n, d in enumerate(days)) + "."


def time_note(now: datetime | None = None) -> str:
    """The time of day, for a system message just before the person's message."""
    now = now or datetime.now().astimezone()
    # Said plainly ("The time now is 13:41.") the 1.5B model sometimes answered with it;
    # marked as context it does not.
    return (f"(Context, not from the user: the time now is {now.strftime('%H:%M')}, "
            f"{part_of_day(now.hour)}. Mention it only if asked.)")


def part_of_day(hour: int) -> str:
    """Small models misjudge 13:43 as morning: the note says which part of the day it is."""
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 18:
        return "afternoon"
    return "evening" if 18 <= hour < 22 else "night"
