"""Reflection: the daily review, weekly planning and monthly assessment.

The daily review turns a day of episodes into knowledge: a short summary (kept as an
episode of the `reflection` channel) and facts and preferences, extracted under a JSON
grammar (the model must call `record_knowledge`) so that small local models produce valid
structures. Each fact carries its provenance: the episodes it came from.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from inference.messages import (
    ChatMessage,
    ChatRequest,
    Finished,
    GenerationOptions,
    TextDelta,
    ToolCallReady,
    ToolSpec,
)

log = logging.getLogger(__name__)
CHUNK_CHARS = 1800
RECORD = ToolSpec(
    "record_knowledge",
    "Record what the notes say about people, places and the user: facts and preferences.",
    {"type": "object", "properties": {
        "facts": {"type": "array", "items": {"type": "object", "properties": {
            "subject": {"type": "string"}, "relation": {"type": "string"},
            "object": {"type": "string"}}, "required": ["subject", "relation", "object"]}},
        "preferences": {"type": "array", "items": {"type": "object", "properties": {
            "key": {"type": "string"}, "value": {"type": "string"}},
            "required": ["key", "value"]}}},
     "required": ["facts", "preferences"]})
EXTRACT_PROMPT = (
    "You extract lasting knowledge from a person's notes and conversations. 'user' is the "
    "person writing. A fact is about the person or thing it names: subject, a short "
    "relation, object. Example: from 'user: My brother Tom works at the bakery.' record "
    "{'subject': 'Tom', 'relation': 'is brother of', 'object': 'user'} and {'subject': "
    "'Tom', 'relation': 'works at', 'object': 'the bakery'}. Record preferences the user "
    "states (key, value), e.g. 'coffee': 'black'. Record only what the notes say, and "
    "nothing for small talk or the weather.")


@dataclass
class ReflectionReport:
    """What one reflection did."""

    job: str
    period: str
    episodes: int = 0
    facts: list[dict[str, Any]] = field(default_factory=list)
    preferences: list[dict[str, Any]] = field(default_factory=list)
    summary: str = ""
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _chunks(episodes: list[Any]) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    size = 0
    for e in episodes:
        if chunk and size + len(e.text) > CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
        chunk.append(e)
        size += len(e.text) + 20
    if chunk:
        yield chunk


def _lines(chunk: list[Any]) -> str:
    return "\n".join(f"- {e.speaker or 'someone'}: {e.text}" for e in chunk)


def _extract(router: Any, chunk: list[Any]) -> dict[str, Any]:
    request = ChatRequest((ChatMessage("system", EXTRACT_PROMPT),
                           ChatMessage("user", "Notes:\n" + _lines(chunk))), (RECORD,),
                          GenerationOptions(max_tokens=400, temperature=0.0),
                          require_tool_call=True)
    for event in router.stream(request):
        if isinstance(event, ToolCallReady) and event.call.name == RECORD.name:
            return event.call.arguments
    return {"facts": [], "preferences": []}


def _provenance(chunk: list[Any], fact: dict[str, Any]) -> list[str]:
    """The episodes of the chunk that mention the fact's subject or object, else all."""
    words = {w.lower() for part in (fact["subject"], fact["object"])
             for w in part.split() if len(w) > 2}
    named = [e.id for e in chunk if any(w in e.text.lower() for w in words)]
    return named or [e.id for e in chunk]


def _summary(router: Any, episodes: list[Any]) -> str:
    text = _lines(episodes)[-6000:]
    request = ChatRequest((ChatMessage("system", "Summarise the day's notes and "
                                                 "conversations in at most three sentences "
                                                 "of plain prose, in your own words, for the "
                                                 "user to read later. Do not list the notes."),
                           ChatMessage("user", text)),
                          options=GenerationOptions(max_tokens=150, temperature=0.2))
    out = []
    for event in router.stream(request):
        if isinstance(event, TextDelta):
            out.append(event.text)
        elif isinstance(event, Finished):
            break
    return "".join(out).strip()


def daily_review(memory: Any, router: Any, day: datetime, summarise: bool = True
                 ) -> ReflectionReport:
    """Reflect on the episodes of `day` (a local date): facts, preferences, a summary."""
    start = time.perf_counter()
    begin = datetime(day.year, day.month, day.day).astimezone()
    since, until = int(begin.timestamp() * 1000), int((begin + timedelta(days=1)).timestamp()
                                                       * 1000)
    of_day = [e for e in memory.state().episodes.values()
              if since <= e.time_ms < until and e.channel != "reflection"
              and e.speaker != "famulus"]
    # Text that came from outside (a page, a mail) never becomes a fact or a preference:
    # an order planted there would otherwise enter every prompt as knowledge, untainted.
    episodes = sorted((e for e in of_day if not e.metadata.get("untrusted")),
                      key=lambda e: e.time_ms)
    report = ReflectionReport("daily", begin.date().isoformat(), len(episodes))
    if len(episodes) < len(of_day):
        report.notes.append(f"{len(of_day) - len(episodes)} episodes that followed outside "
                            "content were not learned from")
    for chunk in _chunks(episodes):
        found = _extract(router, chunk)
        for fact in found.get("facts", []):
            if all(str(fact.get(k, "")).strip() for k in ("subject", "relation", "object")):
                stored = memory.assert_fact(fact["subject"].strip(), fact["relation"].strip(),
                                            fact["object"].strip(), 0.8,
                                            _provenance(chunk, fact))
                report.facts.append(stored.to_dict())
        for pref in found.get("preferences", []):
            if str(pref.get("key", "")).strip():
                memory.set_preference(pref["key"].strip(), pref.get("value"))
                report.preferences.append(pref)
    if summarise and episodes:
        report.summary = _summary(router, episodes)
        if report.summary:
            memory.add_episode(report.summary, speaker="famulus", channel="reflection",
                               thread=f"daily-{report.period}",
                               metadata={"kind": "daily_summary", "day": report.period})
    report.seconds = round(time.perf_counter() - start, 3)
    return report
