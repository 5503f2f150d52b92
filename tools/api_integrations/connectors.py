"""REST connectors declared in JSON: a base URL, auth from the keyring, endpoints as tools.

    {"name": "weather", "base_url": "https://api.example.com/v1",
     "auth": {"type": "bearer", "secret": "weather"},
     "endpoints": [{"name": "forecast", "method": "GET", "path": "/forecast/{city}",
                    "description": "The forecast for a city",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                   "required": ["city"]}}]}

Path parameters fill `{…}`; the rest go in the query (GET, DELETE) or the JSON body.
GET endpoints are `read` unless they say otherwise; others are `external`. `auth.type` is
bearer, header (with `header`), query (with `param`) or none; the secret comes from the
keyring entry `connector:<secret>` (`famulus keys set connector:NAME`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from tools.boundaries import host_of
from tools.context import Outcome, ToolContext
from tools.declare import Tool
from tools.errors import ManifestError, ToolFailed, ToolInputError
from tools.manifest import Manifest, Permissions, RetryPolicy, Risk

SecretLookup = Callable[[str], str | None]
NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9_]{0,40}$")


def load_connectors(folder: Path, secret: SecretLookup) -> tuple[list[Tool], list[str]]:
    """Tools from every `*.json` connector in `folder`, and a problem line per bad file."""
    tools, problems = [], []
    for file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            tools += connector_tools(json.loads(file.read_text()), secret)
        except (ManifestError, json.JSONDecodeError, OSError, ToolInputError) as exc:
            problems.append(f"{file.name}: {exc}")
    return tools, problems


def connector_tools(spec: dict[str, Any], secret: SecretLookup) -> list[Tool]:
    """One tool per endpoint of a connector spec."""
    try:
        name, base = str(spec["name"]), str(spec["base_url"]).rstrip("/")
        endpoints = list(spec["endpoints"])
    except (KeyError, TypeError):
        raise ManifestError("a connector needs name, base_url and endpoints") from None
    if not NAME.match(name):
        raise ManifestError(f"connector name {name!r}: letters, digits and _ only")
    host_of(base)
    auth = dict(spec.get("auth") or {"type": "none"})
    return [_endpoint_tool(name, base, auth, dict(e), secret) for e in endpoints]


def _endpoint_tool(connector: str, base: str, auth: dict[str, Any], endpoint: dict[str, Any],
                   secret: SecretLookup) -> Tool:
    try:
        method, path = str(endpoint.get("method", "GET")).upper(), str(endpoint["path"])
        ident = str(endpoint["name"])
    except KeyError as exc:
        raise ManifestError(f"connector {connector}: an endpoint lacks {exc}") from None
    if not NAME.match(ident):
        raise ManifestError(f"connector {connector}: endpoint name {ident!r}")
    risk = Risk(endpoint.get("risk", "read" if method == "GET" else "external"))
    manifest = Manifest(
        name=f"{connector}_{ident}", description=str(endpoint.get("description", "")),
        parameters=endpoint.get("parameters") or {"type": "object", "properties": {}},
        category="api_integrations", risk=risk, permissions=Permissions(network=True),
        timeout_s=float(endpoint.get("timeout_s", 20.0)),
        retry=RetryPolicy(attempts=3 if method == "GET" else 1),
        untrusted_output=True, source=f"connector:{connector}")
    manifest.check()

    def run(ctx: ToolContext, arguments: dict[str, Any]) -> Outcome:
        return Outcome(_request(method, base, path, auth, dict(arguments), secret))

    return Tool(manifest, run)


def _request(method: str, base: str, path: str, auth: dict[str, Any],
             arguments: dict[str, Any], secret: SecretLookup) -> Any:
    for key in re.findall(r"{(\w+)}", path):
        if key not in arguments:
            raise ToolInputError(f"{key} is required")
        path = path.replace("{" + key + "}", quote(str(arguments.pop(key)), safe=""))
    headers, params = {"Accept": "application/json"}, {}
    kind = auth.get("type", "none")
    if kind != "none":
        value = secret(f"connector:{auth.get('secret', '')}")
        if not value:
            raise ToolFailed(f"no secret for connector:{auth.get('secret')}: run `famulus "
                             f"keys set connector:{auth.get('secret')}`")
        if kind == "bearer":
            headers["Authorization"] = f"Bearer {value}"
        elif kind == "header":
            headers[str(auth.get("header", "X-API-Key"))] = value
        elif kind == "query":
            params[str(auth.get("param", "key"))] = value
    query, body = ((arguments, None) if method in ("GET", "DELETE") else ({}, arguments))
    try:
        response = httpx.request(method, base + path, params={**query, **params},
                                 json=body, headers=headers, timeout=20.0)
    except httpx.HTTPError as exc:
        raise ToolFailed(f"{base} failed: {exc}",
                         retryable=isinstance(exc, httpx.TransportError)) from None
    if response.status_code >= 400:
        raise ToolFailed(f"{method} {path} answered {response.status_code}: "
                         f"{response.text[:300]}", retryable=response.status_code >= 500)
    try:
        return response.json()
    except ValueError:
        return response.text[:20_000]
