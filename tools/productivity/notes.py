"""Notes: one Markdown file per note in the notes folder (services['notes_dir'])."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from tools.context import Outcome, ToolContext, UndoRecord, short
from tools.declare import tool
from tools.errors import NotUndoable, ToolInputError
from tools.file_system.undo import replace_file, write_atomic
from tools.manifest import Risk
from tools.undo import undoes

UNDO = "restores the note's previous text (or removes a note it created)"


def _folder(ctx: ToolContext) -> Path:
    folder = Path(ctx.service("notes_dir"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def note_path(ctx: ToolContext, title: str) -> Path:
    """The file of the note called `title` (a slug of it, never a path)."""
    return note_file(_folder(ctx), title)


def note_file(folder: Path, title: str) -> Path:
    """The file in `folder` of the note called `title`."""
    slug = re.sub(r"[^\w\- ]+", "", title).strip().replace(" ", "-").lower()[:80]
    if not slug:
        raise ToolInputError("a note title needs letters or digits")
    return folder / f"{slug}.md"


def new_text(old: str, text: str) -> str:
    """A note's text after `text` is written: added after `old`, or on its own."""
    return (old.rstrip("\n") + "\n\n" + text if old else text).rstrip("\n") + "\n"


def existing_note(ctx: ToolContext, title: str) -> Path | None:
    """The note `title` means: its own file, else the one note whose title is all in it
    ("my trip note" means the note "trip")."""
    path = note_path(ctx, title)
    if path.exists():
        return path
    words = set(path.stem.split("-")) - {"note", "my", "the"}
    named = [p for p in _folder(ctx).glob("*.md") if set(p.stem.split("-")) <= words]
    return named[0] if len(named) == 1 else None


@tool("productivity", Risk.READ, untrusted_output=True)
def notes_list(ctx: ToolContext, query: str = "", max_results: int = 50) -> list[dict[str, object]]:
    """List notes, newest first, optionally only those containing some text.

    Args:
        query: only notes whose title or text contains this (case-insensitive).
        max_results: list at most this many.
    """
    found = []
    files = sorted(_folder(ctx).glob("*.md"), key=lambda p: p.stat().st_mtime, reverse=True)
    for file in files:
        text = file.read_text("utf-8", "replace")
        if query.lower() in (file.stem + "\n" + text).lower():
            first = text.strip().splitlines()[0] if text.strip() else ""
            found.append({"title": file.stem, "first_line": first[:200],
                          "modified": int(file.stat().st_mtime)})
        if len(found) >= max_results:
            break
    return found


@tool("productivity", Risk.READ, untrusted_output=True)
def notes_read(ctx: ToolContext, title: str) -> dict[str, str]:
    """Read one note.

    Args:
        title: the note's title.
    """
    path = existing_note(ctx, title)
    if path is None:
        raise ToolInputError(f"there is no note {title!r}: see notes_list")
    return {"title": path.stem, "text": path.read_text("utf-8", "replace")}


@tool("productivity", Risk.WRITE, undo=UNDO)
def notes_write(ctx: ToolContext, title: str, text: str,
                mode: Literal["create", "replace", "append"] = "create") -> Outcome:
    """Create a note, or replace or add to an existing one.

    Args:
        title: the note's title.
        text: Markdown text.
        mode: 'create' refuses an existing note, 'replace' overwrites it, 'append' adds.
    """
    path = note_path(ctx, title)
    if mode == "create" and path.exists():
        raise ToolInputError(f"a note {title!r} exists: use mode 'replace' or 'append'")
    old = path.read_text("utf-8") if mode == "append" and path.exists() else ""
    body = new_text(old, text)
    undo = replace_file(path, body.encode())
    did = {"create": "created the note", "replace": "replaced the note",
           "append": "added to the note"}[mode]
    return Outcome({"title": path.stem, "chars": len(body)}, undo,
                   f"{did} {path.stem}: {short(text)}")


@tool("productivity", Risk.WRITE, undo=UNDO)
def notes_delete(ctx: ToolContext, title: str) -> Outcome:
    """Delete a note (undo brings it back).

    Args:
        title: the note's title.
    """
    path = existing_note(ctx, title)
    if path is None:
        raise ToolInputError(f"there is no note {title!r}")
    before = path.read_bytes()
    path.unlink()
    return Outcome({"deleted": path.stem}, UndoRecord("note.undelete", {"path": str(path)},
                                                      before), f"deleted the note {path.stem}")


@undoes("note.undelete")
def undelete(ctx: ToolContext, data: dict[str, Any], blob: bytes | None) -> str:
    path = Path(data["path"])
    if path.exists():
        raise NotUndoable(f"a note {path.stem!r} exists again; not overwriting it")
    write_atomic(path, blob or b"")
    return f"brought back the note {path.stem}"


TOOLS = [notes_list, notes_read, notes_write, notes_delete]
