"""Manifests: derived from code, round-tripped through JSON, refused when malformed."""

from __future__ import annotations

from typing import Literal

import pytest

from tools.catalog import builtin_tools
from tools.context import ToolContext
from tools.declare import schema_of, tool
from tools.errors import ManifestError, UnknownTool
from tools.manifest import CATEGORIES, Manifest, Risk
from tools.registry import Registry


def sample(ctx: ToolContext, city: str, days: int = 3,
           unit: Literal["c", "f"] = "c", tags: list[str] | None = None) -> dict:
    """The weather.

    Args:
        city: where.
        days: how many days
            ahead.
        unit: degrees.
        tags: labels.
    """
    return {}


def test_schema_comes_from_hints_and_docstring() -> None:
    schema = schema_of(sample)
    assert schema["required"] == ["city"]
    assert schema["properties"]["days"] == {"type": "integer", "default": 3,
                                            "description": "how many days ahead."}
    assert schema["properties"]["unit"]["enum"] == ["c", "f"]
    assert schema["properties"]["tags"]["type"] == "array"
    assert schema["additionalProperties"] is False


def test_every_builtin_manifest_round_trips_through_json() -> None:
    tools = builtin_tools()
    assert {t.manifest.category for t in tools} == set(CATEGORIES) - {"api_integrations"}
    for t in tools:
        data = t.manifest.to_dict()
        assert Manifest.from_dict({**data, "source": "builtin"}) == t.manifest
        assert data["description"], t.name
        assert data["parameters"]["type"] == "object"


@pytest.mark.parametrize("bad, message", [
    ({"description": "x", "category": "file_system", "risk": "read"}, "lacks 'name'"),
    ({"name": "x", "category": "nowhere", "risk": "read"}, "category"),
    ({"name": "x", "category": "file_system", "risk": "dangerous"}, "dangerous"),
    ({"name": "x", "category": "file_system", "risk": "read", "timeout_s": -1}, "positive"),
    ({"name": "x", "category": "file_system", "risk": "read",
      "parameters": {"type": "string"}}, "JSON Schema object"),
])
def test_malformed_manifests_are_refused(bad: dict, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        Manifest.from_dict(bad)


def test_registry_refuses_duplicates_and_suggests_names() -> None:
    t = tool("file_system", Risk.READ, name="dup")(sample)
    registry = Registry([t])
    with pytest.raises(ManifestError):
        registry.add(t)
    with pytest.raises(UnknownTool, match="no tool called 'dupe'"):
        registry.get("dupe")
