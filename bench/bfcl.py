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
    """Whether `value` is one of the allowed `options`; a nested dict is allowed when each
    of its keys takes one of the values its option lists (BFCL's form for dict answers)."""
    for option in options:
        if option == "":
            continue
        if isinstance(option, dict) and isinstance(value, dict):
            if _fits(value, option):
                return True
        elif _norm(value) == _norm(option):
            return True
    return False


def _fits(arguments: dict[str, Any], expected: dict[str, Any]) -> bool:
    """Every argument given is allowed, and every required one is given."""
    for param, value in arguments.items():
        options = expected.get(param)
        if not isinstance(options, list) or not _allowed(value, options):
            return False
    required = [p for p, options in expected.items()
                if not (isinstance(options, list) and "" in options)]
    return all(p in arguments for p in required)


def matches(calls: list[ToolCall], truth: list[dict[str, Any]]) -> bool:
    """Whether the first call of the expected function matches the single expected call
    (simple, multiple): calls of other functions after it do not make a right call wrong."""
    if len(truth) != 1 or not calls:
        return False
    (name, expected), = truth[0].items()
    call = next((c for c in calls if c.name == name), None)
    return call is not None and _fits(call.arguments, expected)
