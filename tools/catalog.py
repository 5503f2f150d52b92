"""Every tool Famulus offers: the built-ins, the person's JSON tools and connectors, and
the tools of configured MCP servers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from tools.declare import Tool
from tools.errors import ToolError
from tools.registry import Registry

log = logging.getLogger(__name__)


def builtin_tools() -> list[Tool]:
    from tools import communication, data_processing, file_system, productivity, web_automation

    return with_examples([*file_system.TOOLS, *productivity.TOOLS, *communication.TOOLS,
                          *data_processing.TOOLS, *web_automation.TOOLS])


def with_examples(found: list[Tool]) -> list[Tool]:
    """The tools with the example requests of tools/examples.py in their manifests."""
    from tools.examples import EXAMPLES

    return [replace(t, manifest=replace(t.manifest, examples=EXAMPLES[t.name]))
            if t.name in EXAMPLES and not t.manifest.examples else t for t in found]


@dataclass
class Sources:
    """Where the person's own tools are declared."""

    user_dir: Path | None = None
    connectors_dir: Path | None = None
    mcp_file: Path | None = None
    secret: Callable[[str], str | None] = field(default=lambda _name: None)


def build_registry(sources: Sources, with_mcp: bool = True) -> tuple[Registry, list[str]]:
    """The registry, and a line for every source that could not be used."""
    registry, problems = Registry(builtin_tools()), []
    extra: list[Tool] = []
    if sources.user_dir:
        from tools.user_tools import load_user_tools

        found, bad = load_user_tools(sources.user_dir)
        extra, problems = extra + found, problems + bad
    if sources.connectors_dir:
        from tools.api_integrations.connectors import load_connectors

        found, bad = load_connectors(sources.connectors_dir, sources.secret)
        extra, problems = extra + found, problems + bad
    if with_mcp and sources.mcp_file:
        extra += mcp_tools(sources.mcp_file, problems)
    for t in extra:
        try:
            registry.add(t)
        except ToolError as exc:
            problems.append(str(exc))
    for line in problems:
        log.warning("tools: %s", line)
    return registry, problems


def mcp_tools(path: Path, problems: list[str]) -> list[Tool]:
    from tools.api_integrations.mcp_client import discover, load_servers

    found: list[Tool] = []
    try:
        servers = load_servers(path)
    except ToolError as exc:
        problems.append(str(exc))
        return found
    for server in servers:
        try:
            found += discover(server)
        except ToolError as exc:
            problems.append(f"MCP server {server.name}: {exc}")
    return found
