"""What a change will look like, shown before it is made: a file write as a diff against
the file as it is now, a note likewise, an e-mail as the message that will be sent. Only
read, never written; anything that cannot be read (outside the granted folders, not text)
gets no preview, and the gate decides about the call as always."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tools.boundaries import Boundaries
from tools.errors import ToolError
from tools.productivity.notes import new_text, note_file

MAX_BYTES = 200_000
MAX_LINES = 60


def _diff(before: str, after: str, name: str) -> str:
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(),
                                      f"{name} (now)", f"{name} (after)", lineterm="", n=2))
    more = len(lines) - MAX_LINES
    return "\n".join(lines[:MAX_LINES] + ([f"… {more} more lines"] if more > 0 else []))


def _text(path: Path) -> str:
    if not path.is_file() or path.stat().st_size > MAX_BYTES:
        return ""
    return path.read_text("utf-8", errors="replace")


def _file_write(args: dict[str, Any], boundaries: Boundaries, _notes: Path | None) -> str:
    file = boundaries.resolve(str(args.get("path", "")))
    before, content = _text(file), str(args.get("content", ""))
    after = before + content if args.get("mode") == "append" else content
    return _diff(before, after, file.name)


def _notes_write(args: dict[str, Any], _b: Boundaries, notes: Path | None) -> str:
    if notes is None:
        return ""
    file = note_file(notes, str(args.get("title", "")))
    before = _text(file)
    kept = before if args.get("mode") == "append" else ""
    return _diff(before, new_text(kept, str(args.get("text", ""))), file.name)


def _email_send(args: dict[str, Any], _b: Boundaries, _notes: Path | None) -> str:
    def listed(value: Any) -> str:
        return ", ".join(value) if isinstance(value, list) else str(value or "")

    head = [f"To: {listed(args.get('to'))}"]
    if args.get("cc"):
        head.append(f"Cc: {listed(args.get('cc'))}")
    head.append(f"Subject: {args.get('subject', '')}")
    return "\n".join(head) + "\n\n" + str(args.get("body", ""))


PREVIEWS: dict[str, Callable[[dict[str, Any], Boundaries, Path | None], str]] = {
    "file_write": _file_write, "notes_write": _notes_write, "email_send": _email_send}


def preview(tool: str, arguments: Any, boundaries: Boundaries,
            notes_dir: Path | None = None) -> str:
    """The change `tool` would make with these arguments, as text; "" when there is no
    preview for it or it cannot be read."""
    make = PREVIEWS.get(tool)
    if make is None or not isinstance(arguments, dict):
        return ""
    try:
        return make(arguments, boundaries, notes_dir)
    except (ToolError, OSError, ValueError):
        return ""
