"""Undoing file writes and moves: the previous content comes back, the moved file returns.

An undo refuses (NotUndoable) when the file changed after the action, rather than
overwrite the newer content.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from tools.context import ToolContext, UndoRecord
from tools.errors import NotUndoable, ToolFailed
from tools.undo import undoes

UNDO_MAX_BYTES = 20 << 20  # larger previous contents are not kept: the write is refused


def sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a crash leaves the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_file(path: Path, data: bytes) -> UndoRecord:
    """Write `data` to `path` and return how to restore what was there before."""
    before = path.read_bytes() if path.exists() else None
    if before is not None and len(before) > UNDO_MAX_BYTES:
        raise ToolFailed(f"{path.name} is over {UNDO_MAX_BYTES >> 20} MiB: Famulus does not "
                         "overwrite files it could not restore")
    write_atomic(path, data)
    return UndoRecord("file.restore", {"path": str(path), "existed": before is not None,
                                       "after_sha256": hashlib.sha256(data).hexdigest()},
                      before)


def _unchanged(path: Path, data: dict[str, Any]) -> None:
    if sha256(path) != data["after_sha256"]:
        raise NotUndoable(f"{path} changed after the action; undoing would overwrite the "
                          "newer content")


@undoes("file.restore")
def restore(ctx: ToolContext, data: dict[str, Any], blob: bytes | None) -> str:
    path = Path(data["path"])
    _unchanged(path, data)
    if not data["existed"]:
        path.unlink()
        return f"removed {path.name}, which the action had created"
    write_atomic(path, blob or b"")
    return f"restored the previous text of {path.name}"


@undoes("file.move")
def move_back(ctx: ToolContext, data: dict[str, Any], blob: bytes | None) -> str:
    source, destination = Path(data["source"]), Path(data["destination"])
    if not destination.exists() or source.exists():
        raise NotUndoable(f"cannot move {destination} back: it is gone, or {source} exists "
                          "again")
    os.replace(destination, source)
    return f"moved {destination.name} back to {source.name}"
