"""Tool schemas as they come (MCP servers, connectors, other people's APIs), made into the
JSON Schema that the grammar converter understands.

llama.cpp's converter raises on a property with only a description, on type names other
programs use ("float", "dict", "any"), on boolean schemas; an `enum` on an array makes it
force one string where an array is wanted. `normalize` fixes these without narrowing what
the schema allows; whatever still cannot be converted falls back to a looser grammar (any
JSON object for the arguments), and the gate validates the call against the original
schema afterwards.
"""

from __future__ import annotations

from typing import Any

TYPE_NAMES = {"float": "number", "double": "number", "int": "integer", "long": "integer",
              "str": "string", "bool": "boolean", "dict": "object", "list": "array",
              "tuple": "array", "array": "array", "object": "object", "string": "string",
              "number": "number", "integer": "integer", "boolean": "boolean", "null": "null",
              # Java and JavaScript names (BFCL's Java and JS tools, some MCP servers)
              "arraylist": "array", "hashmap": "object", "map": "object", "set": "array",
              "char": "string", "character": "string", "short": "integer", "byte": "integer",
              "biginteger": "integer", "bigdecimal": "number", "any_array": "array"}
NESTED = ("anyOf", "oneOf", "allOf")
# What the converter reads; anything else (descriptions, titles, examples) is left out.
KEYS = {"type", "enum", "const", "properties", "required", "items", "additionalProperties",
        "anyOf", "oneOf", "allOf", "$ref", "$defs", "definitions", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "minLength",
        "maxLength", "pattern", "format", "prefixItems"}


def normalize(schema: Any) -> dict[str, Any]:
    """`schema` in the form the grammar converter accepts (a new dict)."""
    if not isinstance(schema, dict):  # true / false / junk: any JSON value
        return {}
    out = {k: v for k, v in schema.items() if k in KEYS}
    if "type" in out:
        kind = _type(out["type"])
        if kind is None:  # an unknown name: what the rest of the schema says, else any
            del out["type"]
            if "items" in out or "prefixItems" in out:
                out["type"] = "array"
            elif "properties" in out:
                out["type"] = "object"
        else:
            out["type"] = kind
    if "enum" in out and _is_array(out) and not out.get("items"):
        # the values are the items' values: ["a", "b"] on an array of them
        out["items"] = {"enum": out.pop("enum")}
    if "enum" in out and (not isinstance(out["enum"], list) or not out["enum"]):
        del out["enum"]
    return _nested(out)


MAX_REF_DEPTH = 6


def _defs(schema: Any) -> dict[str, Any]:
    if not isinstance(schema, dict):
        return {}
    return {**(schema.get("definitions") or {}), **(schema.get("$defs") or {})}


def _inline(schema: Any, defs: dict[str, Any], depth: int) -> Any:
    """`schema` with each local `$ref` replaced by what it names (a cycle ends as any
    value after MAX_REF_DEPTH steps; an unknown reference is any value)."""
    if isinstance(schema, list):
        return [_inline(s, defs, depth) for s in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if depth >= MAX_REF_DEPTH or name not in defs:
            return {}
        return _inline(defs[name], defs, depth + 1)
    return {k: _inline(v, defs, depth) for k, v in schema.items()
            if k not in ("$defs", "definitions")}


def _type(value: Any) -> str | list[str] | None:
    if isinstance(value, list):
        kinds = [TYPE_NAMES.get(str(v).lower()) for v in value]
        found = [k for k in kinds if k]
        return found if found and len(found) == len(kinds) else None
    return TYPE_NAMES.get(str(value).lower())


def _is_array(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind)


def _nested(out: dict[str, Any]) -> dict[str, Any]:
    if isinstance(out.get("properties"), dict):
        out["properties"] = {str(k): normalize(v) for k, v in out["properties"].items()}
    elif "properties" in out:
        del out["properties"]
    if "required" in out:
        names = out.get("properties", {})
        out["required"] = [r for r in out["required"] if isinstance(r, str) and
                           (not names or r in names)] if isinstance(out["required"], list) \
            else []
    for key in ("items", "additionalProperties"):
        if isinstance(out.get(key), dict):
            out[key] = normalize(out[key])
    if out.get("items") == {}:  # items of any kind: the converter reads {} as a tuple
        del out["items"]
    for key in NESTED:
        if isinstance(out.get(key), list):
            out[key] = [normalize(s) for s in out[key]] or [{}]
        elif key in out:
            del out[key]
    for key in ("$defs", "definitions"):
        if isinstance(out.get(key), dict):
            out[key] = {k: normalize(v) for k, v in out[key].items()}
    return out


def parameters(schema: Any) -> dict[str, Any]:
    """A tool's parameters schema, its `$ref`s resolved in place (it is nested in the
    grammar's schema, where `#/$defs/…` would point elsewhere): always an object schema."""
    fixed = normalize(_inline(schema, _defs(schema), 0))
    if fixed.get("type") not in ("object", None) or not fixed:
        return {"type": "object"}
    fixed.setdefault("type", "object")
    return fixed
