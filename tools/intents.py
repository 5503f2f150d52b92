"""What a tool call is about to do, in one sentence a person reads on its card ("Create the
note **groceries**: milk and eggs"). Built from the call's arguments, so it is written
before the call runs and while it waits for approval; the arguments themselves stay one
click away. The values come from the model (and through it from outside content), so
they are shown as text, never as Markdown or links."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from tools.context import short
from tools.productivity.caldav_service import in_words as time_in_words

Arguments = dict[str, Any]

_MARKUP = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def text(value: Any, limit: int = 80) -> str:
    """A value from the model as plain text inside Markdown: trimmed, markup escaped."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return _MARKUP.sub(r"\\\1", short(str(value), limit))


def bold(value: Any, limit: int = 60) -> str:
    return f"**{text(value, limit)}**"


def when(value: Any) -> str:
    """A date or time the model wrote ("2026-12-04T12:00"), as a person says it."""
    raw = str(value or "").strip()
    try:
        parsed: datetime | date = datetime.fromisoformat(raw)
        if len(raw) <= 10:
            parsed = parsed.date()
    except ValueError:
        return text(raw, 40)
    return time_in_words(parsed)


def _item(uid: Any) -> str:
    """An event or task the model names: its words, or "it" for an internal id."""
    words = str(uid or "")
    looks_internal = "@" in words or re.fullmatch(r"[0-9a-fA-F-]{16,}", words)
    return "it" if looks_internal or not words else bold(words)


def _folder(args: Arguments) -> str:
    path = str(args.get("path") or ".")
    return "your folder" if path in (".", "") else bold(path)


def _notes_write(args: Arguments) -> str:
    title, body = bold(args.get("title", "")), text(args.get("text", ""))
    mode = args.get("mode", "create")
    if mode == "append":
        return f"Add to the note {title}: {body}"
    if mode == "replace":
        return f"Replace the text of the note {title} with: {body}"
    return f"Create the note {title}: {body}"


def _file_write(args: Arguments) -> str:
    path, body = bold(args.get("path", "")), text(args.get("content", ""))
    verb = {"append": "Add to the file", "overwrite": "Replace the file"}.get(
        str(args.get("mode")), "Write the file")
    return f"{verb} {path}: {body}"


def _calendar_add(args: Arguments) -> str:
    place = f" at {text(args['location'])}" if args.get("location") else ""
    return f"Add {bold(args.get('summary', ''))} to your calendar on " \
           f"{when(args.get('start'))}{place}"


def _calendar_change(args: Arguments) -> str:
    changes = [f"to {when(args['start'])}" if args.get("start") else "",
               f"renamed {bold(args['summary'])}" if args.get("summary") else "",
               f"at {text(args['location'])}" if args.get("location") else ""]
    said = ", ".join(c for c in changes if c)
    return f"Change {_item(args.get('uid'))} in your calendar" + (f": {said}" if said else "")


def _calendar_events(args: Arguments) -> str:
    if args.get("start"):
        return f"Look at your calendar from {when(args['start'])}"
    return "Look at your calendar"


def _tasks_add(args: Arguments) -> str:
    due = f", due {when(args['due'])}" if args.get("due") else ""
    return f"Add the task {bold(args.get('summary', ''))}{due}"


def _email_send(args: Arguments) -> str:
    return f"Send an e-mail to {bold(args.get('to', ''))} about " \
           f"{bold(args.get('subject', ''))}: {text(args.get('body', ''))}"


SENTENCES: dict[str, Callable[[Arguments], str]] = {
    "file_list": lambda a: f"List the files in {_folder(a)}",
    "file_read": lambda a: f"Read the file {bold(a.get('path', ''))}",
    "file_search": lambda a: f"Search your files for {bold(a.get('query', ''))}",
    "file_write": _file_write,
    "file_move": lambda a: f"Move {bold(a.get('source', ''))} to "
                           f"{bold(a.get('destination', ''))}",
    "notes_list": lambda a: f"Look for notes about {bold(a['query'])}" if a.get("query")
    else "List your notes",
    "notes_read": lambda a: f"Read the note {bold(a.get('title', ''))}",
    "notes_write": _notes_write,
    "notes_delete": lambda a: f"Delete the note {bold(a.get('title', ''))}",
    "calendar_events": _calendar_events,
    "calendar_add": _calendar_add,
    "calendar_change": _calendar_change,
    "calendar_remove": lambda a: f"Remove {_item(a.get('uid'))} from your calendar",
    "tasks_list": lambda a: "Look at your to-do list",
    "tasks_add": _tasks_add,
    "tasks_done": lambda a: f"Mark the task {_item(a.get('uid'))} as done",
    "reminders_add": lambda a: f"Remind you to {bold(a.get('text', ''))} on "
                               f"{when(a.get('at'))}",
    "reminders_due": lambda a: "Look for reminders that are due",
    "email_send": _email_send,
    "email_read": lambda a: "Read your latest e-mail",
    "webhook_post": lambda a: f"Post a message to {bold(a.get('url', ''))}: "
                              f"{text(a.get('text', ''))}",
    "table_summary": lambda a: f"Summarise the table {bold(a.get('path', ''))}",
    "table_query": lambda a: f"Look up rows in the table {bold(a.get('path', ''))}",
    "json_read": lambda a: f"Read the file {bold(a.get('path', ''))}",
    "pdf_read": lambda a: f"Read the PDF {bold(a.get('path', ''))}",
    "pdf_search": lambda a: f"Search the PDF {bold(a.get('path', ''))} for "
                            f"{bold(a.get('query', ''))}",
    "python_run": lambda a: "Run a short Python program in the sandbox",
    "web_fetch": lambda a: f"Open the web page {bold(a.get('url', ''), 80)}",
    "memory_remember": lambda a: f"Remember: {text(a.get('text', ''))}",
    "memory_recall": lambda a: f"Look in your memory for {bold(a.get('query', ''))}",
}


def plain(sentence: str) -> str:
    """An intent sentence without its Markdown (bold marks, escapes), for plain text."""
    return re.sub(r"\\(.)", r"\1", sentence.replace("**", ""))


def intent(tool: str, arguments: Any, description: str = "") -> str:
    """The sentence for a call of `tool` with these arguments. A tool without a sentence of
    its own (a JSON tool, a connector, an MCP tool) is described by its manifest's first
    sentence and the values it gets."""
    args = arguments if isinstance(arguments, dict) else {}
    sentence = SENTENCES.get(tool)
    if sentence is not None:
        try:
            return sentence(args)
        except (KeyError, TypeError, ValueError):
            pass  # arguments of the wrong shape: the generic sentence below
    first = re.split(r"(?<=[.!?])\s", description.strip(), maxsplit=1)[0].rstrip(".")
    head = text(first, 100) if first else f"Use {text(tool.replace('_', ' '))}"
    values = [f"{text(k.replace('_', ' '), 30)} {bold(v, 40)}" for k, v in args.items()
              if v not in ("", None, [], {})][:4]
    return head + (": " + ", ".join(values) if values else "")
