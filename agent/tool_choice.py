"""Which tools the model sees in a turn: a small model's prompt cannot hold forty schemas,
and tools that have nothing to do with the request only distract it.

Two signals. Words: the tools whose names and descriptions share words with the request.
Meaning (when an embedding model is at hand, as it is wherever tools are on): the tools
one of whose example requests is close to this one, so that "what is in my documents" finds
`file_list` and "move my dentist appointment to Friday" finds `calendar_change` although
they share no word. Tools close in meaning come first. With meaning at hand, one shared
word is not enough ("Say hello in one word" is not about notes); a request close to no
tool and sharing too few words with any gets none (small talk, the time of day)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from inference.messages import ToolSpec
from tools.manifest import Manifest

log = logging.getLogger(__name__)
# "time" and "now" too: "What time is it?" offered calendar and reminder tools, whose
# schemas made the 1.5B model's first token 7 s instead of 0.5 s on 2 cores. A request
# that needs them names them ("remind", "calendar", "event").
STOP = {"the", "a", "an", "to", "of", "and", "or", "in", "on", "for", "my", "me", "is",
        "it", "what", "please", "can", "you", "i", "with", "at", "be", "do", "this", "that",
        "time", "times", "now", "are", "which", "did", "does", "tell", "about", "there",
        "have", "has", "was", "were", "will", "would", "could", "should", "from", "into",
        "your", "how", "why", "when", "where", "who", "not", "any", "some", "just", "also",
        "one"}
# Cosine similarity (all-MiniLM-L6-v2) above which a request is about a tool's example:
# requests that need a tool measured 0.5–1.0 against the examples, small talk up to 0.49.
CLOSE = 0.55
# A request this close to a tool that reads ("when is my dentist appointment", "what's on
# my todo list": 0.58-0.99 measured, small talk at most 0.49) needs a look at the person's
# data: the model is then made to call a tool first, where small models otherwise answer
# from the conversation (or make something up) instead of looking.
SURE = 0.55
# A request this close to a tool's example is plainly about it: the tools offered are then
# only those nearly as close (within MARGIN, or twice that for a tool the request names),
# not every tool that shares a word with it. Each schema costs about 130
# prompt tokens, about 1.3 s to read with the 1.5B model on 2 cores (bench/tool_turn.py).
PLAIN, MARGIN = 0.8, 0.2
# A request the model declined without tools ("I can't assist with that") gets a second
# look at the tools this close: "cancel my yoga class" is 0.51 from calendar_remove's
# examples, under CLOSE, yet a tool was what it needed.
SECOND_LOOK = 0.42
Embed = Callable[[Sequence[str]], np.ndarray]
URL = re.compile(r"\bhttps?://\S+", re.I)


def words(text: str) -> set[str]:
    found = set()
    for w in re.findall(r"[a-z]+", text.lower()):
        if w not in STOP and len(w) > 2:
            w = w[:-1] if len(w) > 3 and w.endswith("s") else w
            found.add(w[:5])  # a crude stem: "emails" meets "email", "notes" meets "note"
    return found


class ToolChooser:
    """How close a request is to each tool by meaning: the best cosine similarity between
    the request and the tool's examples (or its description, for a tool without any)."""

    def __init__(self, embed: Embed, close: float = CLOSE) -> None:
        self.embed, self.close = embed, close
        self._examples: dict[str, np.ndarray] = {}  # tool name → its examples' vectors

    def prepare(self, manifests: Sequence[Manifest]) -> None:
        """Embed the tools' examples now (about 0.15 s on 2 cores), not in the first turn."""
        missing = [m for m in manifests if m.name not in self._examples]
        if missing:
            texts = [list(m.examples) or [f"{m.name.replace('_', ' ')}: {m.description}"]
                     for m in missing]
            vectors = self.embed([t for group in texts for t in group])
            at = 0
            for m, group in zip(missing, texts, strict=True):
                self._examples[m.name] = vectors[at:at + len(group)]
                at += len(group)

    def closeness(self, manifests: Sequence[Manifest], request: str) -> dict[str, float]:
        self.prepare(manifests)
        asked = self.embed([request])[0]
        return {m.name: float(np.max(self._examples[m.name] @ asked)) for m in manifests}


def select(manifests: Iterable[Manifest], request: str, k: int = 6,
           chooser: ToolChooser | None = None) -> list[ToolSpec]:
    """Up to `k` tools for `request`, best first; none when nothing fits."""
    return choose(manifests, request, k, chooser)[0]


def choose(manifests: Iterable[Manifest], request: str, k: int = 6,
           chooser: ToolChooser | None = None) -> tuple[list[ToolSpec], bool]:
    """`select`, and whether the request is plainly about the first tool (by meaning,
    to a tool that reads, at least SURE): then a tool should be called before anything is
    answered."""
    found = list(manifests)
    asked = words(request)
    closeness: dict[str, float] = {}
    if chooser is not None:
        try:
            closeness = chooser.closeness(found, request)
        except Exception:  # an embedding failure costs the meaning, not the turn
            log.exception("tool choice by meaning failed; choosing by words")
    scored = []
    for m in found:
        named = asked & words(m.name.replace("_", " "))  # "remind me …": reminders_add
        overlap = len(asked & words(m.name.replace("_", " ") + " " + m.description))
        near = closeness.get(m.name, 0.0)
        is_close = chooser is not None and near >= chooser.close
        if is_close or named or overlap >= (2 if closeness else 1):
            scored.append((not is_close, -near if is_close else 0.0, -overlap, m.name, m))
    if URL.search(request):  # a web address: the page is what it is about
        scored = [(m.name != "web_fetch", *rest) for _, *rest in scored] + \
            [(False, -1.0, 0, m.name, m) for m in found if m.name == "web_fetch" and
             all(s[4] is not m for s in scored)]
    scored.sort(key=lambda s: s[:4])
    # the model still chooses among all the tools offered; the closeness that decides is
    # a reading tool's, since a question sits close to the tool that changes the same thing
    reads = [s for s in scored[:k] if str(getattr(s[4], "risk", "")) == "read"]
    look = max(reads, key=lambda s: closeness.get(s[3], 0.0), default=None)
    sure = look is not None and closeness.get(look[3], 0.0) >= SURE
    best = max(closeness.values(), default=0.0)
    if best >= PLAIN:  # plainly about one tool: only those nearly as close come along
        scored = [s for s in scored if closeness.get(s[3], 0.0) >= best - MARGIN or
                  (sure and s is look) or (asked & words(s[3].replace("_", " ")) and
                                            closeness.get(s[3], 0.0) >= best - 2 * MARGIN)]
    sure = sure or bool(scored and scored[0][3] == "web_fetch" and URL.search(request))
    return [ToolSpec(m.name, m.description, m.parameters) for *_, m in scored[:k]], sure


def nearest_tools(manifests: Iterable[Manifest], request: str, chooser: ToolChooser,
                  k: int = 3, floor: float = SECOND_LOOK) -> list[ToolSpec]:
    """The `k` tools closest in meaning to a request, down to `floor`: the second look
    after the model declined a request for which no tool was offered."""
    found = list(manifests)
    try:
        closeness = chooser.closeness(found, request)
    except Exception:  # as in choose: the meaning is lost, not the turn
        log.exception("tool choice by meaning failed")
        return []
    ranked = sorted((m for m in found if closeness[m.name] >= floor),
                    key=lambda m: -closeness[m.name])
    return [ToolSpec(m.name, m.description, m.parameters) for m in ranked[:k]]


# "also add sunscreen to it", "and the highest?": a request that leans on the one before.
FOLLOW_UP = re.compile(r"^\W*(?:and|also|then|now|ok|okay|what about|how about)\b|"
                       r"\b(?:it|its|that one|this one|them|there)\b", re.I)


def with_what_came_before(request: str, before: str) -> str:
    """The text to choose tools by: a follow-up with the request it follows ("make a note
    called packing … / also add sunscreen to it" is about notes, not the to-do list)."""
    return f"{before}\n{request}" if before and FOLLOW_UP.search(request) else request
