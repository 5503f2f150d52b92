"""Declaring built-in tools in code: the schema comes from type hints and the docstring.

    @tool("file_system", Risk.READ, permissions=Permissions(paths=("path",)))
    def file_read(ctx: ToolContext, path: str, max_bytes: int = 100_000) -> Outcome:
        '''Read a text file inside a granted folder.

        Args:
            path: the file, relative to the first granted folder or absolute inside one.
            max_bytes: read at most this many bytes.
        '''
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

from tools.context import Outcome, ToolContext
from tools.manifest import Manifest, Permissions, RateLimit, RetryPolicy, Risk

ToolFunction = Callable[..., Outcome | Any]

_JSON_TYPES: dict[Any, str] = {str: "string", int: "integer", float: "number",
                               bool: "boolean", dict: "object"}


@dataclass(frozen=True)
class Tool:
    """A manifest and the function that carries it out."""

    manifest: Manifest
    run: Callable[[ToolContext, dict[str, Any]], Outcome]

    @property
    def name(self) -> str:
        return self.manifest.name


def json_schema(annotation: Any) -> dict[str, Any]:
    """The JSON Schema of one Python type hint (the subset tools use)."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return {"type": _JSON_TYPES[type(args[0])], "enum": list(args)}
    if origin in (types.UnionType, typing.Union):
        rest = [a for a in args if a is not type(None)]
        return json_schema(rest[0]) if len(rest) == 1 else {"anyOf": [json_schema(a)
                                                                       for a in rest]}
    if origin is list:
        return {"type": "array", "items": json_schema(args[0]) if args else {}}
    if origin is dict or annotation is dict:
        return {"type": "object"}
    if annotation in _JSON_TYPES:
        return {"type": _JSON_TYPES[annotation]}
    raise TypeError(f"no JSON Schema for {annotation!r}")


def _docstring(fn: Callable[..., Any]) -> tuple[str, dict[str, str]]:
    """The description (text before 'Args:') and each argument's description."""
    doc = inspect.getdoc(fn) or ""
    head, _, tail = doc.partition("Args:")
    described: dict[str, str] = {}
    current = ""
    for line in tail.splitlines():
        match = re.match(r"\s{0,8}(\w+):\s*(.*)", line)
        if match and match.group(1) in inspect.signature(fn).parameters:
            current = match.group(1)
            described[current] = match.group(2).strip()
        elif current and line.strip():
            described[current] += " " + line.strip()
    return " ".join(head.split()), described


def schema_of(fn: Callable[..., Any]) -> dict[str, Any]:
    """The parameters schema of a tool function (every parameter after the context)."""
    hints = typing.get_type_hints(fn)
    _, described = _docstring(fn)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, param in list(inspect.signature(fn).parameters.items())[1:]:
        prop = json_schema(hints[name])
        if name in described:
            prop["description"] = described[name]
        if param.default is inspect.Parameter.empty:
            required.append(name)
        else:
            prop["default"] = param.default
        properties[name] = prop
    return {"type": "object", "properties": properties, "required": required,
            "additionalProperties": False}


def tool(category: str, risk: Risk, *, name: str | None = None,
         permissions: Permissions | None = None, timeout_s: float = 30.0,
         retry: RetryPolicy | None = None, rate_limit: RateLimit | None = None,
         undo: str = "", redact: tuple[str, ...] = (),
         untrusted_output: bool = False) -> Callable[[ToolFunction], Tool]:
    """Turn a function `(ctx, **arguments)` into a Tool with a derived manifest."""

    def wrap(fn: ToolFunction) -> Tool:
        description, _ = _docstring(fn)
        manifest = Manifest(
            name=name or fn.__name__, description=description,
            parameters=schema_of(fn), category=category, risk=risk,
            permissions=permissions or Permissions(), timeout_s=timeout_s,
            retry=retry or RetryPolicy(), rate_limit=rate_limit or RateLimit(), undo=undo,
            redact=redact, untrusted_output=untrusted_output)
        manifest.check()
        defaults = {k: p.default for k, p in inspect.signature(fn).parameters.items()
                    if p.default is not inspect.Parameter.empty}

        def run(ctx: ToolContext, arguments: dict[str, Any]) -> Outcome:
            value = fn(ctx, **{**defaults, **arguments})
            return value if isinstance(value, Outcome) else Outcome(value)

        return Tool(manifest, run)

    return wrap

