"""Tool calls from local models: the text format, its parser, and the constraining grammar.

Qwen-family models (and many others) write a call as
`<tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>`. We let the model write
plain text freely and, the moment it opens `<tool_call>`, continue under a grammar built
from the tools' JSON schemas (a "lazy" grammar): answers cost nothing extra, and every
call that starts is a valid call of a known tool with schema-valid arguments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from typing import Any

from inference import schemas
from inference.messages import ToolCall, ToolSpec

OPEN, CLOSE = "<tool_call>", "</tool_call>"
_BLOCK = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.DOTALL)


class ToolCallParseError(ValueError):
    """The model's tool call text is not a valid call of a known tool."""


def call_schema(tools: Sequence[ToolSpec], loose: Collection[str] = ()) -> dict[str, Any]:
    """A JSON Schema that matches exactly one call of one of `tools` (with any object as
    the arguments of the tools named in `loose`)."""
    options = [
        {
            "type": "object",
            "properties": {
                "name": {"const": tool.name},
                "arguments": {"type": "object"} if tool.name in loose
                else schemas.parameters(tool.parameters),
            },
            "required": ["name", "arguments"],
        }
        for tool in tools
    ]
    return options[0] if len(options) == 1 else {"anyOf": options}


def _gbnf(schema: dict[str, Any]) -> str | None:
    """llama.cpp's grammar for `schema`, or None where its converter cannot take it."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    try:
        return json_schema_to_gbnf(json.dumps(schema))
    except Exception:  # the converter asserts, raises KeyError, RecursionError …
        return None


def grammar(tools: Sequence[ToolSpec]) -> str:
    """GBNF for what follows `<tool_call>`: one or more calls, closed by `</tool_call>`.

    Never raises for a schema: a tool whose schema the converter cannot take gets any JSON
    object as its arguments (the gate validates them against the real schema)."""
    loose = [t.name for t in tools if _gbnf(call_schema([t])) is None]
    body = _gbnf(call_schema(tools, loose)) or _gbnf(call_schema(tools, [t.name for t in tools]))
    assert body is not None  # an object of a name and any object always converts
    body = re.sub(r"^root\s*::=", "call ::=", body, flags=re.MULTILINE)
    return (
        'root ::= "\\n" call "\\n</tool_call>" ("\\n<tool_call>\\n" call "\\n</tool_call>")*\n'
        + body
    )


def parse_call(text: str, tools: Sequence[ToolSpec]) -> ToolCall:
    """One call from its JSON text; ToolCallParseError names what is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ToolCallParseError(f"tool call is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise ToolCallParseError('tool call must be an object with a "name"')
    known = {tool.name for tool in tools}
    if known and data["name"] not in known:
        raise ToolCallParseError(f"unknown tool {data['name']!r}")
    arguments = data.get("arguments", data.get("parameters", {}))
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except json.JSONDecodeError:
            raise ToolCallParseError("tool call arguments are not a JSON object") from None
    if not isinstance(arguments, dict):
        raise ToolCallParseError("tool call arguments are not a JSON object")
    spec = next((t for t in tools if t.name == data["name"]), None)
    return ToolCall(data["name"], _left_out(arguments, spec) if spec else arguments)


EMPTY = (None, "null", "None", "none", "")


def _left_out(arguments: dict[str, Any], spec: ToolSpec) -> dict[str, Any]:
    """The arguments without optional ones the model meant to leave out: a small model
    fills an optional string it has nothing for with "null" (or null)."""
    parameters = spec.parameters if isinstance(spec.parameters, dict) else {}
    required = set(parameters.get("required") or ())
    return {k: v for k, v in arguments.items()
            if k in required or not (v in EMPTY and not isinstance(v, bool | int))}


class CallIntent:
    """Decides from an answer's first characters whether the model is starting a tool call.

    Small models often write a call as bare JSON or in a ```json fence instead of in
    `<tool_call>` tags; we catch that intent early and let the grammar take over.
    """

    def __init__(self) -> None:
        self.held = ""

    def feed(self, piece: str) -> str | None:
        """'call', 'text', or None while the first characters leave it open."""
        self.held += piece
        text = self.held.lstrip()
        if not text:
            return None
        if text[0] not in "{`":
            return "text"
        body = text
        if text.startswith("`"):
            if "```".startswith(text):
                return None
            if not text.startswith("```"):
                return "text"
            line_end = text.find("\n")
            if line_end < 0:
                return None if len(text) < 12 else "text"
            if text[3:line_end].strip().lower() not in ("", "json"):
                return "text"
            body = text[line_end + 1:].lstrip()
            if not body:
                return None
        if not body.startswith("{"):
            return "text"
        rest = body[1:].lstrip()
        if rest.startswith("{"):  # {{"name": …}}: how the 1.5B model sometimes writes it
            rest = rest[1:].lstrip()
        if rest.startswith('"name"'):
            return "call"
        return None if '"name"'.startswith(rest) else "text"


def _same(a: ToolCall, b: ToolCall) -> bool:
    return a.name == b.name and a.arguments == b.arguments


def repeats_itself(text: str) -> bool:
    """Whether the last complete `<tool_call>` block repeats an earlier one exactly."""
    blocks = _BLOCK.findall(text)
    if len(blocks) < 2:
        return False
    try:
        last = parse_call(blocks[-1], ())
        return any(_same(last, parse_call(b, ())) for b in blocks[:-1])
    except ToolCallParseError:
        return False


def _bare_json(text: str) -> str:
    """The first JSON object in `text` that looks like a call (it has a "name"): bare, in a
    ``` fence, in prose, or in double braces; else the text from its first brace."""
    decoder = json.JSONDecoder()
    start = text.find("{")
    first = start
    while start >= 0:
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict) and "name" in value:
            return text[start:end]
        start = text.find("{", start + 1)
    return text[first:] if first >= 0 else text


def parse_calls(text: str, tools: Sequence[ToolSpec]) -> tuple[list[ToolCall], list[str]]:
    """The distinct valid calls in a model's call text (tagged, fenced or bare JSON), and
    an error for each invalid one."""
    if OPEN in text:
        _plain, calls, errors = parse(text, tools)
    else:
        calls, errors = [], []
        try:
            calls.append(parse_call(_bare_json(text), tools))
        except ToolCallParseError as exc:
            errors.append(str(exc))
    distinct: list[ToolCall] = []
    for call in calls:
        if not any(_same(call, seen) for seen in distinct):
            distinct.append(call)
    return distinct, errors


def parse(text: str, tools: Sequence[ToolSpec]) -> tuple[str, list[ToolCall], list[str]]:
    """Split a completion into its plain text, its valid calls, and errors for invalid ones."""
    calls, errors = [], []
    for block in _BLOCK.findall(text):
        try:
            calls.append(parse_call(block, tools))
        except ToolCallParseError as exc:
            errors.append(str(exc))
    plain = text.split(OPEN, 1)[0].strip()
    return plain, calls, errors
