"""The registry: every tool Famulus can call, by name and by category."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tools.declare import Tool
from tools.errors import ManifestError, UnknownTool
from tools.manifest import CATEGORIES, Manifest


class Registry:
    """Tools by name; adding a second tool of the same name is a ManifestError."""

    def __init__(self, tools: Iterable[Tool] = ()) -> None:
        self._tools: dict[str, Tool] = {}
        for t in tools:
            self.add(t)

    def add(self, t: Tool) -> None:
        if t.name in self._tools:
            raise ManifestError(f"two tools are called {t.name!r}")
        t.manifest.check()
        self._tools[t.name] = t

    def get(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except (KeyError, TypeError):
            near = ", ".join(sorted(n for n in self._tools if str(name)[:4] in n)[:5])
            hint = f" (similar: {near})" if near else ""
            raise UnknownTool(f"there is no tool called {name!r}{hint}") from None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._tools

    def __iter__(self) -> Iterator[Tool]:
        return iter(sorted(self._tools.values(), key=lambda t: t.name))

    def __len__(self) -> int:
        return len(self._tools)

    def by_category(self) -> dict[str, list[Manifest]]:
        """Manifests grouped by category, in the map's order."""
        groups: dict[str, list[Manifest]] = {c: [] for c in CATEGORIES}
        for t in self:
            groups[t.manifest.category].append(t.manifest)
        return {c: ms for c, ms in groups.items() if ms}

    def for_model(self) -> list[dict[str, Any]]:
        return [t.manifest.for_model() for t in self]

    def export(self) -> list[dict[str, Any]]:
        return [t.manifest.to_dict() for t in self]


def load_manifests(path: Path) -> list[Manifest]:
    """Manifests from a JSON file holding one manifest or a list of them."""
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: not a readable JSON tool manifest ({exc})") from None
    items = data if isinstance(data, list) else [data]
    if not all(isinstance(i, dict) for i in items):
        raise ManifestError(f"{path}: a manifest must be a JSON object or a list of them")
    return [Manifest.from_dict(i) for i in items]
