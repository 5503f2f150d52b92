"""Helpers for tool tests: a service over a RAM store with one granted folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tools.boundaries import Boundaries
from tools.catalog import builtin_tools
from tools.declare import Tool
from tools.gate import Gate
from tools.registry import Registry
from tools.service import ToolService
from tools.store import ActionStore, VolatileStore


def make_service(root: Path, level: int = 1, *, store: ActionStore | None = None,
                 tools: list[Tool] | None = None, hosts: tuple[str, ...] = (),
                 recipients: tuple[str, ...] = (), services: dict[str, Any] | None = None,
                 mail_hold_s: float = 30.0) -> ToolService:
    """A ToolService over the built-in tools (or `tools`) with `root` granted."""
    registry = Registry(tools if tools is not None else builtin_tools())
    gate = Gate(registry, Boundaries((root,), hosts, recipients), level)
    found = {"notes_dir": root / "notes", **(services or {})}
    return ToolService(registry, gate, store or VolatileStore(), found, mail_hold_s)
