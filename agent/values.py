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


def signed(value: float, request: str) -> float:
    """`value` negative when the request says it with a minus sign and never without."""
    if value <= 0:
        return value
    plain = str(value) if isinstance(value, int) else repr(value)
    written = re.findall(rf"(-?)\b{re.escape(plain)}\b", request)
    if written and all(sign == "-" for sign in written):
        return -value
    return value
