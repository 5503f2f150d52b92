"""A call's values checked against the person's words and the tool's schema before it runs.

Small models copy values from the request imperfectly: "UK" where the schema allows "GB"'s
neighbour "uk", "bitter" for the allowed "slightly bitter", a longitude without its minus
sign. Each repair here is one the request or the schema proves; anything else is left for
the gate's validation to refuse with a reason the model can act on.
"""

from __future__ import annotations

import difflib
import re
from typing import Any


def grounded(arguments: dict[str, Any], parameters: Any, request: str) -> dict[str, Any]:
    """`arguments` with enum near-misses mapped to the one allowed value they mean, and a
    number's sign restored where the request has it."""
    properties = parameters.get("properties") if isinstance(parameters, dict) else None
    if not isinstance(properties, dict) or not isinstance(arguments, dict):
        return arguments
    fixed = dict(arguments)
    for name, value in arguments.items():
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
