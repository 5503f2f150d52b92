"""Undo handlers by kind: each takes back one kind of action from its UndoRecord.

Tool modules register theirs with `@undoes("file.restore")`. A handler raises NotUndoable
when the world has moved on (the file changed since, the mail has left) rather than
overwrite something newer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tools.context import ToolContext
from tools.errors import NotUndoable

UndoHandler = Callable[[ToolContext, dict[str, Any], bytes | None], str]
HANDLERS: dict[str, UndoHandler] = {}


def undoes(kind: str) -> Callable[[UndoHandler], UndoHandler]:
    """Register the handler for undo records of `kind`."""

    def register(fn: UndoHandler) -> UndoHandler:
        HANDLERS[kind] = fn
        return fn

    return register


def run_undo(ctx: ToolContext, kind: str, data: dict[str, Any], blob: bytes | None) -> str:
    """Take one action back; returns what was done, in words."""
    try:
        handler = HANDLERS[kind]
    except KeyError:
        raise NotUndoable(f"no undo is known for {kind!r}") from None
    return handler(ctx, data, blob)
