"""What a tool is, as data: its manifest.

Built-in tools declare theirs in code (`tools.declare.tool`); user tools, API connectors
and MCP servers contribute theirs as JSON. The gate, the executor, `famulus tools list`
and the model's tool list all read the same manifest.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from tools.errors import ManifestError

CATEGORIES = ("communication", "productivity", "data_processing", "web_automation",
              "file_system", "api_integrations")


class Risk(StrEnum):
    """How much harm a wrong call can do; the gate's decisions follow it."""

    READ = "read"                  # looks, changes nothing
    WRITE = "write"                # changes the person's own things, undoably
    EXTERNAL = "external"          # reaches other people or services
    IRREVERSIBLE = "irreversible"  # cannot be taken back


@dataclass(frozen=True)
class RetryPolicy:
    """Retries for retryable failures: exponential backoff with jitter."""

    attempts: int = 1
    initial_s: float = 0.5
    max_s: float = 8.0


@dataclass(frozen=True)
class RateLimit:
    """At most `calls` runs in any `per_s` seconds."""

    calls: int = 60
    per_s: float = 60.0


@dataclass(frozen=True)
class Permissions:
    """What the tool needs, named by argument: the gate checks these against the
    person's boundaries (granted folders, allowed hosts, allowed recipients)."""

    paths: tuple[str, ...] = ()       # arguments that are file paths
    urls: tuple[str, ...] = ()        # arguments that are URLs
    recipients: tuple[str, ...] = ()  # arguments that are e-mail addresses (or lists)
    hosts: tuple[str, ...] = ()       # hosts the tool always talks to (e.g. a connector)
    network: bool = False             # needs the network at all


@dataclass(frozen=True)
class Manifest:
    """One tool: its schema and everything the gate needs to decide about a call."""

    name: str
    description: str
    parameters: dict[str, Any]
    category: str
    risk: Risk
    permissions: Permissions = field(default_factory=Permissions)
    timeout_s: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    rate_limit: RateLimit = field(default_factory=RateLimit)
    undo: str = ""                    # how it is undone; empty: it cannot be
    redact: tuple[str, ...] = ()      # arguments kept out of the audit log
    untrusted_output: bool = False    # its result carries text from outside (a page, a mail)
    source: str = "builtin"           # builtin, json, connector:NAME, mcp:SERVER
    examples: tuple[str, ...] = ()    # requests as people word them (for tool choice)

    @property
    def undoable(self) -> bool:
        return bool(self.undo)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["risk"] = str(self.risk)
        data["permissions"] = {k: list(v) if isinstance(v, tuple) else v
                               for k, v in data["permissions"].items()}
        data["redact"] = list(self.redact)
        data["examples"] = list(self.examples)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        """A manifest from JSON; ManifestError names what is wrong."""
        try:
            name, description = str(data["name"]), str(data.get("description", ""))
            parameters = dict(data.get("parameters") or {"type": "object", "properties": {}})
            category = str(data["category"])
            risk = Risk(data["risk"])
            perms = {k: tuple(v) if isinstance(v, list) else v
                     for k, v in (data.get("permissions") or {}).items()}
            manifest = cls(
                name=name, description=description, parameters=parameters,
                category=category, risk=risk, permissions=Permissions(**perms),
                timeout_s=float(data.get("timeout_s", 30.0)),
                retry=RetryPolicy(**(data.get("retry") or {})),
                rate_limit=RateLimit(**(data.get("rate_limit") or {})),
                undo=str(data.get("undo", "")), redact=tuple(data.get("redact", ())),
                untrusted_output=bool(data.get("untrusted_output", False)),
                source=str(data.get("source", "json")),
                examples=tuple(str(e) for e in data.get("examples", ())))
        except KeyError as exc:
            raise ManifestError(f"tool manifest lacks {exc.args[0]!r}") from None
        except (TypeError, ValueError) as exc:
            raise ManifestError(f"tool manifest {data.get('name', '?')!r}: {exc}") from None
        manifest.check()
        return manifest

    def check(self) -> None:
        """Refuse manifests the gate could not reason about."""
        if self.category not in CATEGORIES:
            raise ManifestError(f"tool {self.name!r}: category {self.category!r} is not one "
                                f"of {', '.join(CATEGORIES)}")
        if self.parameters.get("type") != "object":
            raise ManifestError(f"tool {self.name!r}: parameters must be a JSON Schema "
                                "object")
        if self.timeout_s <= 0 or self.retry.attempts < 1 or self.rate_limit.calls < 1:
            raise ManifestError(f"tool {self.name!r}: timeout, retry attempts and rate "
                                "limit must be positive")

    def for_model(self) -> dict[str, Any]:
        """The OpenAI-style function entry the model sees."""
        return {"type": "function", "function": {
            "name": self.name, "description": self.description,
            "parameters": self.parameters}}
