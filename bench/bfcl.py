"""The Berkeley Function Calling Leaderboard's data (from the bfcl-eval wheel) and a checker
in the manner of its AST evaluation: function name, allowed values per parameter, required
parameters, strings compared after BFCL's normalisation."""

from __future__ import annotations

import importlib.metadata as metadata
import json
import re
from pathlib import Path
from typing import Any

from inference.messages import ToolCall, ToolSpec

_TYPES = {"dict": "object", "float": "number", "tuple": "array", "int": "integer",
          "bool": "boolean", "str": "string", "list": "array"}


def data_dir() -> Path:
    dist = metadata.distribution("bfcl-eval")
    marker = next(f for f in dist.files or () if f.name == "BFCL_v4_simple_python.json")
    return Path(dist.locate_file(marker)).parent


def load(category: str) -> list[dict[str, Any]]:
    """Entries of a category (simple_python, multiple, irrelevance), with answers if any."""
    folder = data_dir()
    entries = [json.loads(line) for line in (folder / f"BFCL_v4_{category}.json").open()]
    answers = folder / "possible_answer" / f"BFCL_v4_{category}.json"
    if answers.exists():
        truth = {row["id"]: row["ground_truth"] for row in map(json.loads, answers.open())}
        for entry in entries:
            entry["ground_truth"] = truth[entry["id"]]
    return entries


def to_json_schema(schema: Any) -> Any:
    """BFCL's Python-flavoured types ('dict', 'float', 'tuple', 'any') as JSON Schema."""
    if isinstance(schema, list):
        return [to_json_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "type":
            if value == "any":
                continue
            out[key] = _TYPES.get(value, value)
        elif key in ("optional",):
            continue
        elif key == "properties":
            out[key] = {name: to_json_schema(sub) for name, sub in value.items()}
        else:
            out[key] = to_json_schema(value)
    return out


def tools_of(entry: dict[str, Any]) -> tuple[ToolSpec, ...]:
    return tuple(ToolSpec(f["name"], f.get("description", ""), to_json_schema(f["parameters"]))
                 for f in entry["function"])


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"[ ,./\-_*^]", "", value).lower().replace("'", '"')
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list | tuple):
        return [_norm(v) for v in value]
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return value


def _allowed(value: Any, options: list[Any]) -> bool:
    target = _norm(value)
    return any(target == _norm(option) for option in options if option != "")


def matches(calls: list[ToolCall], truth: list[dict[str, Any]]) -> bool:
    """Whether `calls` is one call matching the single expected call (simple, multiple)."""
    if len(calls) != 1 or len(truth) != 1:
        return False
    (name, expected), = truth[0].items()
    call = calls[0]
    if call.name != name:
        return False
    for param, value in call.arguments.items():
        if param not in expected or not _allowed(value, expected[param]):
            return False
    required = [p for p, options in expected.items() if "" not in options]
    return all(p in call.arguments for p in required)
