"""The gate every tool call passes, whoever asks: validation, permissions, rate limits,
and the decision by autonomy level and risk class.

Levels (tools.autonomy_level):
  0  every action waits for approval
  1  reads and writes inside the granted places run; external and irreversible ones wait
  2  anything inside the configured boundaries runs
  3  everything runs, audited
Below level 3, once a turn has brought in untrusted content (a web page, an e-mail, a
file, a note, file names, memories), a call that could carry data off the machine (any
network request, mail, webhooks, connectors, MCP tools) waits, and so does every call that
changes anything; a call with low confidence waits unless it only reads; and a call that
reaches a host or recipient outside the allowlists waits.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tools.boundaries import Boundaries, host_of
from tools.errors import RateLimited, ToolError, ToolInputError
from tools.manifest import Manifest, Risk
from tools.ratelimit import RateLimiter
from tools.registry import Registry
from tools.validation import validate

LEVELS = (0, 1, 2, 3)


class Origin(StrEnum):
    """Who asked for the call."""

    USER = "user"            # the person, directly (a command, the review dialog)
    AGENT = "agent"          # the agent, from the person's request
    UNTRUSTED = "untrusted"  # the agent, after reading untrusted content


@dataclass(frozen=True)
class ToolCall:
    """One requested call, with where the request came from and how sure the model was."""

    tool: str
    arguments: Any
    origin: Origin = Origin.AGENT
    confidence: float = 1.0
    source: str = ""  # what untrusted content preceded it (kept in the audit entry)

    def to_dict(self) -> dict[str, Any]:
        return {"tool": self.tool, "arguments": self.arguments, "origin": str(self.origin),
                "confidence": confidence_of(self.confidence), "source": self.source}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ToolCall:
        return cls(data["tool"], data["arguments"], Origin(data.get("origin", "agent")),
                   confidence_of(data.get("confidence", 1.0)), data.get("source", ""))


class Verdict(StrEnum):
    RUN = "run"
    REVIEW = "review"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Decision:
    """What the gate decided and why; `error` is set when it refused."""

    verdict: Verdict
    reason: str
    level: int
    risk: str = ""
    error: ToolError | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": str(self.verdict), "reason": self.reason, "level": self.level,
                "risk": self.risk}


class Gate:
    """Decides about calls; never raises for any input, however malformed."""

    def __init__(self, registry: Registry, boundaries: Boundaries, level: int = 1,
                 limiter: RateLimiter | None = None, min_confidence: float = 0.1,
                 max_argument_bytes: int = 50 << 20) -> None:
        if level not in LEVELS:
            raise ValueError(f"autonomy level must be 0–3, not {level!r}")
        self.registry, self.boundaries, self.level = registry, boundaries, level
        self.limiter = limiter or RateLimiter()
        self.min_confidence = min_confidence
        self.max_argument_bytes = max_argument_bytes

    def decide(self, call: ToolCall, approved: bool = False) -> Decision:
        """Run, review or refuse; `approved` calls (the person said yes) skip the autonomy
        rules but not validation, hard boundaries or rate limits."""
        try:
            manifest = self.registry.get(call.tool).manifest
            self._check_size(call.arguments)
            validate(manifest, call.arguments)
            outside = self._outside(manifest, call.arguments)
        except ToolError as exc:
            return Decision(Verdict.REFUSE, str(exc), self.level, error=exc)
        risk = str(manifest.risk)
        if not approved:
            reason = self._needs_review(manifest, call, outside)
            if reason:
                return Decision(Verdict.REVIEW, reason, self.level, risk)
        wait = self.limiter.take(manifest.name, manifest.rate_limit)
        if wait is not None:
            limit = manifest.rate_limit
            error = RateLimited(f"{manifest.name} is limited to {limit.calls} calls per "
                                f"{limit.per_s:g} s; try again in {wait:.1f} s", wait)
            return Decision(Verdict.REFUSE, str(error), self.level, risk, error)
        why = "approved by you" if approved else self._why_run(manifest)
        return Decision(Verdict.RUN, why, self.level, risk)

    def _check_size(self, arguments: Any) -> None:
        """Arguments larger than the data limit never reach a tool (a 300 MB file_write)."""
        size = len(json.dumps(arguments, default=str).encode())
        if size > self.max_argument_bytes:
            raise ToolInputError(f"the arguments are {_amount(size)}; at most "
                                 f"{_amount(self.max_argument_bytes)} are taken "
                                 "(tools.data_max_mb)")

    def _outside(self, manifest: Manifest, arguments: dict[str, Any]) -> list[str]:
        """Soft boundary breaches (hosts, recipients); hard ones (paths) raise."""
        perms = manifest.permissions
        for name in perms.paths:
            if name in arguments:
                self.boundaries.resolve(arguments[name])
        outside: list[str] = []
        for name in perms.urls:
            if name in arguments and not self.boundaries.host_allowed(arguments[name]):
                outside.append(f"host {host_of(arguments[name])} is not in "
                               "tools.allowed_hosts")
        for host in perms.hosts:
            if not self.boundaries.host_allowed(f"https://{host}/"):
                outside.append(f"host {host} is not in tools.allowed_hosts")
        for name in perms.recipients:
            for address in _addresses(arguments.get(name)):
                if not self.boundaries.recipient_allowed(address):
                    outside.append(f"{address} is not in tools.allowed_recipients")
        return outside

    def _needs_review(self, manifest: Manifest, call: ToolCall,
                      outside: list[str]) -> str:
        risk, level = manifest.risk, self.level
        if level == 0:
            return "autonomy level 0 asks you about every action"
        if level == 3:
            return ""
        if outside:
            return "it goes beyond what you allowed: " + "; ".join(outside)
        if call.origin == Origin.UNTRUSTED:  # exactly where from is in the audit entry
            read = f"Famulus read {plain_source(call.source)}"
            if sends_out(manifest):
                return (f"it would reach beyond this computer after {read}, which could "
                        "carry your data away")
            if risk is not Risk.READ:
                return f"it comes after {read}, which may be steering it"
        confidence = confidence_of(call.confidence)
        if risk is not Risk.READ and confidence < self.min_confidence:
            return (f"Famulus is not sure this is what you want (confidence {confidence:.2f}, "
                    f"below {self.min_confidence:.2f})")
        if level == 1 and risk in (Risk.EXTERNAL, Risk.IRREVERSIBLE):
            what = "reach beyond this computer" if risk is Risk.EXTERNAL \
                else "cannot be undone"
            return f"autonomy level 1 asks you about actions that {what}"
        return ""

    def _why_run(self, manifest: Manifest) -> str:
        if self.level == 3:
            return "autonomy level 3: runs, audited"
        if self.level == 1:
            return f"autonomy level 1: a routine {manifest.risk} inside your granted places"
        return "autonomy level 2: inside the boundaries you configured"


SOURCES = (("remembered", "remembered text"), ("web_fetch", "a web page"),
           ("email", "an e-mail"), ("pdf", "a document"), ("file_", "a file"),
           ("json_", "a file"), ("table_", "a file"), ("memory_recall", "remembered text"))


def plain_source(source: str) -> str:
    """What outside content a call followed, in a person's words ("a web page and an
    e-mail"); the audit keeps the exact tools and actions."""
    said = list(dict.fromkeys(words for key, words in SOURCES if key in source))
    return " and ".join(said) if said else "outside content"


def _amount(size: int) -> str:
    return f"{size / (1 << 20):.1f} MiB" if size >= 1 << 20 else f"{size / 1024:.1f} KiB"


def sends_out(manifest: Manifest) -> bool:
    """Whether a call of this tool can carry data off the machine: it uses the network (a
    page, mail, a calendar server, a webhook), or comes from a connector or MCP server."""
    perms = manifest.permissions
    return bool(perms.network or perms.urls or perms.hosts or perms.recipients) or \
        manifest.risk in (Risk.EXTERNAL, Risk.IRREVERSIBLE) or \
        manifest.source.startswith(("connector:", "mcp:"))


def confidence_of(value: Any) -> float:
    """A usable confidence; anything else counts as none at all."""
    if isinstance(value, bool) or not isinstance(value, int | float) or \
            not math.isfinite(value):
        return 0.0
    return float(value)


def _addresses(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(a).strip() for a in items if str(a).strip()]

