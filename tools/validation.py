"""Argument validation against a tool's JSON Schema, with errors a model can act on."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from tools.errors import ToolInputError
from tools.manifest import Manifest


@lru_cache(maxsize=512)
def _validator(schema_json: str) -> Draft202012Validator:
    import json

    return Draft202012Validator(json.loads(schema_json))


def validator_for(manifest: Manifest) -> Draft202012Validator:
    import json

    return _validator(json.dumps(manifest.parameters, sort_keys=True))


def _describe(error: ValidationError) -> str:
    where = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed",
                                     "unknown argument(s)")
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    return f"{where or 'arguments'}: {error.message}"


def validate(manifest: Manifest, arguments: Any) -> dict[str, Any]:
    """The arguments if they fit the schema; ToolInputError listing every problem if not."""
    if not isinstance(arguments, dict):
        raise ToolInputError(f"{manifest.name}: arguments must be a JSON object, got "
                             f"{type(arguments).__name__}")
    errors = sorted(validator_for(manifest).iter_errors(arguments), key=lambda e: e.path)
    if errors:
        problems = "; ".join(_describe(e) for e in errors[:5])
        expected = ", ".join(manifest.parameters.get("required", [])) or "none required"
        raise ToolInputError(f"{manifest.name}: invalid arguments: {problems} (required: "
                             f"{expected})")
    return arguments
