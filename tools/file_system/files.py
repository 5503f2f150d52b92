"""The file tools. Every path is resolved through the person's boundaries twice: by the
gate before the call, and here again at the moment of use (a symlink may have changed)."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Literal

from tools.context import Outcome, ToolContext, UndoRecord, short
from tools.declare import tool
from tools.errors import ToolFailed, ToolInputError
from tools.file_system.undo import replace_file
from tools.manifest import Permissions, Risk

TEXT_LIMIT = 1 << 20
SEARCH_FILE_LIMIT = 2 << 20


def _relative(ctx: ToolContext, path: Path) -> str:
    for root in ctx.boundaries.roots:
        real = Path(os.path.realpath(root))
        if path == real or real in path.parents:
            return str(path.relative_to(real)) or "."
    return str(path)


@tool("file_system", Risk.READ, permissions=Permissions(paths=("path",)),
      untrusted_output=True)  # file names are text from outside too
def file_list(ctx: ToolContext, path: str = ".", pattern: str = "*",
              max_entries: int = 200) -> list[dict[str, object]]:
    """List the files and folders in a granted folder.

    Args:
        path: the folder, relative to the first granted folder or absolute inside one.
        pattern: only names matching this shell pattern, e.g. '*.md'.
        max_entries: list at most this many entries.
    """
    folder = ctx.boundaries.resolve(path)
    if not folder.is_dir():
        raise ToolInputError(f"{path!r} is not a folder")
    entries = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name)[: max(0, max_entries) * 4]:
        if not fnmatch.fnmatch(entry.name, pattern):
            continue
        stat = entry.lstat()
        entries.append({"name": entry.name, "type": "folder" if entry.is_dir() else "file",
                        "bytes": stat.st_size, "modified": int(stat.st_mtime)})
        if len(entries) >= max_entries:
            break
    return entries


@tool("file_system", Risk.READ, permissions=Permissions(paths=("path",)),
      untrusted_output=True)
def file_read(ctx: ToolContext, path: str, max_bytes: int = 100_000) -> dict[str, object]:
    """Read a text file inside a granted folder.

    Args:
        path: the file, relative to the first granted folder or absolute inside one.
        max_bytes: read at most this many bytes (up to 1 MiB).
    """
    file = ctx.boundaries.resolve(path)
    if not file.is_file():
        raise ToolInputError(f"{path!r} is not a file")
    limit = max(1, min(max_bytes, TEXT_LIMIT))
    with file.open("rb") as src:
        data = src.read(limit + 1)
    if b"\x00" in data[:8192]:
        raise ToolFailed(f"{path!r} is a binary file, not text")
    return {"path": _relative(ctx, file), "text": data[:limit].decode("utf-8", "replace"),
            "truncated": len(data) > limit}


@tool("file_system", Risk.READ, permissions=Permissions(paths=("path",)),
      untrusted_output=True)
def file_search(ctx: ToolContext, query: str, path: str = ".", pattern: str = "*",
                max_results: int = 50) -> list[dict[str, object]]:
    """Find lines containing some text in the files under a granted folder.

    Args:
        query: the text to look for (case-insensitive).
        path: the folder to search, inside a granted folder.
        pattern: only files whose names match this shell pattern, e.g. '*.txt'.
        max_results: stop after this many matching lines.
    """
    if not query.strip():
        raise ToolInputError("query must not be empty")
    folder, needle, hits = ctx.boundaries.resolve(path), query.lower(), []
    for dirpath, dirnames, filenames in os.walk(folder):
        ctx.check_cancelled()
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            file = Path(dirpath) / name
            if not fnmatch.fnmatch(name, pattern) or file.is_symlink() or \
                    file.stat().st_size > SEARCH_FILE_LIMIT:
                continue
            try:
                lines = file.read_text("utf-8").splitlines()
            except (UnicodeDecodeError, OSError):
                continue
            for number, line in enumerate(lines, 1):
                if needle in line.lower():
                    hits.append({"path": _relative(ctx, file), "line": number,
                                 "text": line.strip()[:300]})
                    if len(hits) >= max_results:
                        return hits
    return hits


@tool("file_system", Risk.WRITE, permissions=Permissions(paths=("path",)),
      undo="restores the file's previous content (or removes a file it created)")
def file_write(ctx: ToolContext, path: str, content: str,
               mode: Literal["create", "overwrite", "append"] = "create") -> Outcome:
    """Write a text file inside a granted folder.

    Args:
        path: the file, relative to the first granted folder or absolute inside one.
        content: the text to write.
        mode: 'create' refuses an existing file, 'overwrite' replaces it, 'append' adds.
    """
    file = ctx.boundaries.resolve(path)
    if file.is_dir():
        raise ToolInputError(f"{path!r} is a folder")
    if mode == "create" and file.exists():
        raise ToolInputError(f"{path!r} exists: use mode 'overwrite' or 'append'")
    old = file.read_bytes() if mode == "append" and file.exists() else b""
    undo = replace_file(file, old + content.encode())
    return Outcome({"path": _relative(ctx, file), "bytes": len(old) + len(content.encode())},
                   undo, f"wrote {_relative(ctx, file)}: {short(content)}")


@tool("file_system", Risk.WRITE, permissions=Permissions(paths=("source", "destination")),
      undo="moves the file back")
def file_move(ctx: ToolContext, source: str, destination: str) -> Outcome:
    """Move or rename a file or folder inside the granted folders.

    Args:
        source: what to move.
        destination: its new path; an existing file there is never replaced.
    """
    src, dst = ctx.boundaries.resolve(source), ctx.boundaries.resolve(destination)
    if not src.exists():
        raise ToolInputError(f"{source!r} does not exist")
    if dst.is_dir():
        dst = dst / src.name
    if dst.exists():
        raise ToolInputError(f"{destination!r} exists; Famulus does not replace files when "
                             "moving")
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.rename(src, dst)
    return Outcome({"from": _relative(ctx, src), "to": _relative(ctx, dst)},
                   UndoRecord("file.move", {"source": str(src), "destination": str(dst)}),
                   f"moved {_relative(ctx, src)} to {_relative(ctx, dst)}")


TOOLS = [file_list, file_read, file_search, file_write, file_move]
