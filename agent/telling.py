"""What the actions of a turn did, in words, for when the model's own answer does not say
it: an answer that is only an acknowledgement ("Done.") or a call written out as JSON."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from tools.intents import plain
from tools.service import ActionResult

MAX_ITEMS, MAX_CHARS = 20, 600


# "Thank you for providing the tool response.": small models take a tool's result, which
# their template puts in a user turn, for something the person said.
THANKS = re.compile(r"^\W*(?:thank you|thanks)\b[^.!\n]*(?:provid|shar|respon|result|"
                    r"information|info)", re.I)


def hollow(answer: str) -> bool:
    """Whether an answer after tools says nothing of what they found ("Done.", "OK!",
    "Thank you for providing the tool response.")."""
    words = re.findall(r"[\w']+", answer)
    return (len(words) <= 3 and not any(c.isdigit() for c in answer)) or \
        bool(THANKS.search(answer) and len(words) <= 12)


# "I've saved the note", "Sure! I have added it": an action claimed at the answer's start.
CLAIM = re.compile(r"^\W*(?:(?:sure|ok(?:ay)?|done|great)\W+)?i(?:'ve|\s+have)?\s+"
                   r"(?:just\s+|now\s+|successfully\s+)?(?:created|saved|added|sent|written|"
                   r"wrote|deleted|removed|scheduled|moved|set|booked|updated|made|noted|"
                   r"stored|put|changed|renamed|marked)\b", re.I)


# "I'm sorry, but I can't assist with that": said after a tool did what was asked.
REFUSAL = re.compile(r"^\W*(?:i'?m sorry|i am sorry|sorry|i apologi[sz]e|unfortunately|"
                     r"i can(?:'|no)t|i am (?:not able|unable)|i'm (?:not able|unable))\b",
                     re.I)
RESULT_STATUSES = ("done", "error", "waiting for the person's approval")  # for_model()'s


def refuses(answer: str) -> bool:
    """Whether an answer begins by apologising or declining."""
    return bool(REFUSAL.search(answer))


def leaks_tools(answer: str) -> bool:
    """Whether an answer writes out the tools' definitions from the prompt (the 0.5B model
    does, as `<tools>{"type": "function", …`): never for the person to read."""
    return "<tools>" in answer or '{"type": "function"' in answer


def written_call(text: str) -> bool:
    """Whether an answer is a tool call written as JSON ({"name": …, "arguments": …}), or
    a tool's result read back as JSON ({"status": "done", …}) instead of words, bare, in a
    fence or in the template's tags (the 1.5B model echoes `<tool_response>…`), alone or
    followed by more of the same."""
    text = re.sub(r"</?tool_(?:call|response)>", "", text).strip()
    text = text.removeprefix("```json").removeprefix("```").strip()
    try:
        value, _end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError:
        return False
    return isinstance(value, dict) and (("name" in value and "arguments" in value)
                                        or value.get("status") in RESULT_STATUSES)


def claims_action(answer: str) -> bool:
    """Whether an answer begins by claiming an action was done ("I've saved the note")."""
    return bool(CLAIM.search(answer))


def in_words(result: ActionResult) -> str:
    """One action's outcome as a sentence or two, with what it found (no internal ids:
    the person finds a waiting action in the review queue by what it does)."""
    name = result.tool.replace("_", " ")
    if result.status == "review":
        why = result.decision.get("reason", "")
        what = result.extra.get("intent", "")
        head = f"{plain(what).rstrip('.')} — this" if what else _sentence(name)
        return f"{head} waits for your approval" + (f": {why}." if why else ".")
    if result.status != "done":
        how = "was not allowed" if result.status == "refused" else "did not work"
        return f"{_sentence(name)} {how}: {result.error.rstrip('.')}."
    found = _shown(result.result)
    if result.summary:  # the tool said what it did; a record of it adds nothing
        said = _sentence(result.summary.rstrip(".")) + "."
        return said + (f" {found}" if found and not isinstance(result.result, dict) else "")
    if isinstance(result.result, list):
        return f"Found {len(result.result)}: {found}" if found else "Found nothing."
    return found or f"{_sentence(name)} is done."


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shown(value: Any) -> str:
    """A tool's result as text a person reads: names of listed things, fields of a record."""
    if value is None or value == {} or value == []:
        return ""
    if isinstance(value, str):
        return _cut(value)
    if isinstance(value, dict) and isinstance(value.get("text"), str):  # a file, a note, a page
        return _cut(value["text"].strip())
    if isinstance(value, list):
        names = [_name(v) for v in value[:MAX_ITEMS]]
        more = f" and {len(value) - MAX_ITEMS} more" if len(value) > MAX_ITEMS else ""
        records = any(", " in n for n in names)  # rows of a table: one per clause
        return _cut(("; " if records else ", ").join(names) + more + ".")
    if isinstance(value, dict):
        return _cut("; ".join(f"{k}: {_scalar(v)}" for k, v in value.items()) + ".")
    return _cut(str(value))


def _name(item: Any) -> str:
    if isinstance(item, dict):
        for key in ("name", "title", "summary", "text", "path", "subject"):
            if key in item:
                return str(item[key]) + _when(item)
        return ", ".join(f"{k} {_scalar(v)}" for k, v in item.items())  # a record
    return str(item)


def _when(item: dict[str, Any]) -> str:
    """When an event or task is, in words (" on Monday 7 December at 09:00")."""
    for key, before in (("start", " on "), ("due", ", due ")):
        value = item.get(key)
        if isinstance(value, str) and value:
            try:
                at = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return f"{before}{value}"
            day = f"{at:%A} {at.day} {at:%B}"
            return before + (day if len(value) <= 10 else f"{day} at {at:%H:%M}")
    return ""


def _scalar(value: Any) -> str:
    if isinstance(value, list | dict):
        return _shown(value).rstrip(".")
    return str(value)


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS].rsplit(" ", 1)[0] + " …"


_WORD = re.compile(r"[\w:.'-]*\w")
_COMMON = frozenset(re.findall(r"\w+", """a an the and or but of to in on at for with from by
is are was were be been it its this that these those i you your my me we our note notes file
files page has have had do does did not no yes there here what which who when where how all
any some"""))


def misses_findings(answer: str, results: list[ActionResult], request: str = "") -> bool:
    """Whether an answer after tools that found something (a note's text, a list of files)
    says none of it: "I have read the trip note." after reading "Train to Lisbon at 9:15"
    (the request's own words, "trip", are not findings).
    Tools that report what they did in a sentence of their own are left to that sentence."""
    found = [_shown(r.result) for r in results if r.status == "done" and not r.summary]
    found = [f for f in found if f]
    if not found:
        return False
    said, asked = _tokens(answer), _tokens(request)
    words = {w for f in found for w in _tokens(f)} - _COMMON - asked
    return bool(words) and not words & said


def _tokens(text: str) -> set[str]:
    """Words, lower case, with numbers in one form ("5" and "5.0" are one)."""
    found = set()
    for word in _WORD.findall(text):
        word = word.lower().strip(".'")
        try:
            found.add(str(float(word)))
        except ValueError:
            found.add(word)
    return found


_NUMBER = re.compile(r"(?<![\w.:/-])\d+(?:\.\d+)?(?![\w.:/-]*\d)")


def unsupported_numbers(answer: str, results: list[ActionResult], request: str) -> list[str]:
    """Amounts in an answer after tools that neither the tools' results nor the request
    hold ("the highest price is 10.0" where the table says 9.5): small models restate a
    result wrongly. Only amounts are checked (a decimal, or a whole number from 100 that
    is not a year); days, times and small counts are left alone, and rounding is allowed."""
    done = [r.result for r in results if r.status == "done"]
    known = [abs(float(n)) for n in re.findall(r"\d+(?:\.\d+)?",
                                                json.dumps(done, default=str) + " " + request)]
    known += [len(v) for v in _lists(done)]
    if not known:
        return []
    amounts = [n for n in _NUMBER.findall(answer)
               if "." in n or (float(n) >= 100 and not 1900 <= float(n) <= 2100)]
    return [n for n in amounts
            if not any(abs(float(n) - k) <= max(0.01, k * 0.005) for k in known)]


def _lists(value: Any) -> list[list[Any]]:
    if isinstance(value, list):
        return [value, *(inner for v in value for inner in _lists(v))]
    if isinstance(value, dict):
        return [inner for v in value.values() for inner in _lists(v)]
    return []


def claims_undone(answer: str, results: list[ActionResult]) -> bool:
    """An answer that claims an action ("I have added … to your calendar") where no change
    was made (only reads, which tell no sentence of their own, or nothing done)."""
    return claims_action(answer) and not any(r.status == "done" and r.summary
                                             for r in results)
