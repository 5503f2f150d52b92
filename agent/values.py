"""A call's values checked against the person's words and the tool's schema before it runs.

Small models copy values from the request imperfectly: "UK" where the schema allows "GB"'s
neighbour "uk", "bitter" for the allowed "slightly bitter", a longitude without its minus
sign. Each repair here is one the request or the schema proves; anything else is left for
the gate's validation to refuse with a reason the model can act on.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime, timedelta
from typing import Any


def grounded(arguments: dict[str, Any], parameters: Any, request: str,
             today: date | None = None) -> dict[str, Any]:
    """`arguments` with enum near-misses mapped to the one allowed value they mean, a
    number's sign restored where the request has it, a place's qualifier put back, and
    the day of a date made the one the request names ("tomorrow", "on Friday")."""
    properties = parameters.get("properties") if isinstance(parameters, dict) else None
    if not isinstance(properties, dict) or not isinstance(arguments, dict):
        return arguments
    fixed = on_the_day(dict(arguments), request, today or date.today())
    fixed = without_unasked_dates(fixed, parameters, request)
    fixed = without_unsaid_times(fixed, request)
    fixed = without_unasked_limits(fixed, parameters, request)
    for name, value in fixed.items():
        schema = properties.get(name)
        if not isinstance(schema, dict):
            continue
        if isinstance(value, str) and isinstance(schema.get("enum"), list):
            fixed[name] = nearest(value, schema["enum"])
        elif isinstance(value, str) and is_place(name, schema):
            fixed[name] = whole(value, request)

        elif isinstance(value, int | float) and not isinstance(value, bool):
            fixed[name] = signed(value, request)
    return fixed


def nearest(value: str, allowed: list[Any]) -> Any:
    """The allowed value `value` means: itself, the one equal but for case, the one that
    contains it (or it contains), or a close spelling; else `value` unchanged."""
    if value in allowed:
        return value
    texts = [a for a in allowed if isinstance(a, str)]
    folded = value.casefold().strip()
    for match in ([a for a in texts if a.casefold() == folded],
                  [a for a in texts if folded and (folded in a.casefold() or
                                                    a.casefold() in folded)],
                  difflib.get_close_matches(value, texts, n=2, cutoff=0.8)):
        if len(match) == 1:
            return match[0]
    return value


# ", CA", ", Spain": what follows a place in the request and belongs to its name
QUALIFIER = re.compile(r",\s?(?:[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")


PLACE = re.compile(r"city|location|place|town|destination|origin|address|region|venue",
                   re.I)


def is_place(name: str, schema: dict[str, Any]) -> bool:
    """Whether a parameter names a place (by its name, or its description's first words)."""
    return bool(PLACE.search(name) or PLACE.search(str(schema.get("description", ""))[:60]))


def whole(value: str, request: str) -> str:
    """A place's name as the request writes it, where the model dropped its qualifier
    ("San Francisco" for "San Francisco, CA"): only when the request has the value followed
    by a comma and a capitalised word or a two-letter code, once."""
    if not value.strip() or value not in request:
        return value
    found = {value + m.group(0) for at in _places(value, request)
             if (m := QUALIFIER.match(request, at))}
    return found.pop() if len(found) == 1 else value


def _places(value: str, request: str) -> list[int]:
    """Where each mention of `value` in `request` ends."""
    return [m.end() for m in re.finditer(re.escape(value), request)]


def signed(value: float, request: str) -> float:
    """`value` negative when the request says it with a minus sign and never without."""
    if value <= 0:
        return value
    plain = str(value) if isinstance(value, int) else repr(value)
    written = re.findall(rf"(-?)\b{re.escape(plain)}\b", request)
    if written and all(sign == "-" for sign in written):
        return -value
    return value


ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A date written out in the request ("March 15", "15/3", "2026-12-04"): then the model's
# day stands.
WRITTEN_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|"
                          r"oct|nov|dec)[a-z]*\.?\s+\d|\d(?:st|nd|rd|th)\b", re.I)


def named_day(request: str, today: date) -> date | None:
    """The one day the request names in words (today, tomorrow, a weekday: the next one
    after today), or None when it names none, several, or writes a date out."""
    text = request.lower()
    if WRITTEN_DATE.search(text):
        return None
    found = set()
    if re.search(r"\bday after tomorrow\b", text):
        found.add(today + timedelta(days=2))
        text = text.replace("day after tomorrow", "")
    if re.search(r"\btomorrow\b", text):
        found.add(today + timedelta(days=1))
    if re.search(r"\btoday\b|\btonight\b", text):
        found.add(today)
    for number, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", text):
            found.add(today + timedelta(days=(number - today.weekday() - 1) % 7 + 1))
    return found.pop() if len(found) == 1 else None


def on_the_day(arguments: dict[str, Any], request: str, today: date) -> dict[str, Any]:
    """A call's dates moved to the day the request names, together (a span keeps its
    length, the times stay), unless one of them is on that day already: small models count
    "tomorrow" and "this Friday" a day off."""
    day = named_day(request, today)
    dates = {k: _day_of(v) for k, v in arguments.items()}
    dates = {k: d for k, d in dates.items() if d is not None}
    if day is None or not dates or day in dates.values():
        return arguments
    shift = day - next(iter(dates.values()))
    return {**arguments, **{k: (dates[k] + shift).isoformat() + arguments[k][10:]
                            for k in dates}}


# Words that put a request in time; without any, a date the model filled in is its own.
TIME_WORDS = re.compile(r"\b(?:today|tonight|tomorrow|yesterday|week|weekend|month|year|"
                        r"morning|afternoon|evening|night|noon|midnight|next|last|coming|"
                        r"ago|since|until|before|after|am|pm|o'clock|" + "|".join(WEEKDAYS) +
                        r")\b|\d{1,2}:\d{2}|\b\d{1,2}\s*(?:am|pm)\b", re.I)


def without_unasked_dates(arguments: dict[str, Any], parameters: dict[str, Any],
                          request: str) -> dict[str, Any]:
    """Optional dates left out where the request says nothing about when: "when is my
    dentist appointment?" asks for no range, and the model's guess (often today only)
    hides the answer; the tool's own default (the coming week) is the better guess."""
    if TIME_WORDS.search(request) or WRITTEN_DATE.search(request):
        return arguments
    required = set(parameters.get("required") or ())
    return {k: v for k, v in arguments.items()
            if k in required or _day_of(v) is None}


CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|h)\b|\b\d{1,2}:\d{2}\b|"
                   r"\b(?:at|by|from|until|till|to)\s+\d{1,2}\b|\b(?:noon|midday|midnight|"
                   r"o'clock|morning|afternoon|evening|tonight|lunchtime)\b", re.I)
SPANS = ("start", "end")  # when an event begins and ends (a reminder's `at` keeps its time)


def without_unsaid_times(arguments: dict[str, Any], request: str) -> dict[str, Any]:
    """An event's times of day left out where the request says no time: "move my dentist
    appointment to Friday" keeps the appointment's hour (the tool keeps it for a day
    alone), where the model wrote the clock's current time."""
    if CLOCK.search(request):
        return arguments
    return {k: v[:10] if k in SPANS and _day_of(v) is not None and len(v) > 10 else v
            for k, v in arguments.items()}


LIMITS = re.compile(r"^(?:max_\w+|limit|k|count|top_?k|n)$")
COUNTED = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|first|last|"
                     r"latest|top|few|couple)\b", re.I)


def without_unasked_limits(arguments: dict[str, Any], parameters: dict[str, Any],
                           request: str) -> dict[str, Any]:
    """An optional limit ("max_results": 1) left out where the request asks for no
    number: the model's invented 1 hid the dentist behind the team lunch."""
    if COUNTED.search(request):
        return arguments
    required = set(parameters.get("required") or ())
    return {k: v for k, v in arguments.items()
            if k in required or not LIMITS.match(k) or not isinstance(v, int)}


def _day_of(value: Any) -> date | None:
    if not isinstance(value, str) or not ISO_DAY.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None
