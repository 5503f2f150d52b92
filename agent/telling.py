"""What the actions of a turn did, in words, for when the model's own answer does not say
it: an answer that is only an acknowledgement ("Done.") or a call written out as JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from tools.service import ActionResult

MAX_ITEMS, MAX_CHARS = 20, 600


def hollow(answer: str) -> bool:
    """Whether an answer after tools says nothing of what they found ("Done.", "OK!")."""
    words = re.findall(r"[\w']+", answer)
    return len(words) <= 3 and not any(c.isdigit() for c in answer)


# "I've saved the note", "Sure! I have added it": an action claimed at the answer's start.
CLAIM = re.compile(r"^\W*(?:(?:sure|ok(?:ay)?|done|great)\W+)?i(?:'ve|\s+have)?\s+"
                   r"(?:just\s+|now\s+|successfully\s+)?(?:created|saved|added|sent|written|"
                   r"wrote|deleted|removed|scheduled|moved|set|booked|updated|made|noted|"
                   r"stored|put|changed|renamed|marked)\b", re.I)


def claims_action(answer: str) -> bool:
    """Whether an answer begins by claiming an action was done ("I've saved the note")."""
    return bool(CLAIM.search(answer))


def in_words(result: ActionResult) -> str:
    """One action's outcome as a sentence or two, with what it found."""
    if result.status == "review":
        return f"{result.tool} waits for your approval ({result.review_id})."
    if result.status != "done":
        how = "was refused" if result.status == "refused" else "failed"
        return f"{result.tool} {how}: {result.error}"
    summary = result.summary.rstrip(".")
    said = f"{summary[0].upper()}{summary[1:]}." if summary else f"{result.tool} is done."
    found = _shown(result.result)
    return said + (f" {found}" if found else "")


def _shown(value: Any) -> str:
    """A tool's result as text a person reads: names of listed things, fields of a record."""
    if value is None or value == {} or value == []:
        return ""
    if isinstance(value, str):
        return _cut(value)
    if isinstance(value, list):
        names = [_name(v) for v in value[:MAX_ITEMS]]
        more = f" and {len(value) - MAX_ITEMS} more" if len(value) > MAX_ITEMS else ""
        return _cut(", ".join(names) + more + ".")
    if isinstance(value, dict):
        return _cut("; ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + ".")
    return _cut(str(value))


def _name(item: Any) -> str:
    if isinstance(item, dict):
        for key in ("name", "title", "summary", "text", "path", "subject"):
            if key in item:
                return str(item[key])
        return json.dumps(item, ensure_ascii=False, default=str)
    return str(item)


def _scalar(value: Any) -> str:
    if isinstance(value, list | dict):
        return _shown(value).rstrip(".")
    return str(value)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS].rsplit(" ", 1)[0] + " …"
