"""MCP servers (stdio): each server's tools become Famulus tools, `external` unless the
person lowers the risk for that server.

Servers are listed in the MCP file (tools.mcp_file, the usual `mcpServers` format):

    {"mcpServers": {"files": {"command": "python", "args": ["server.py"], "env": {},
                              "risk": "read", "sandbox": true, "network": false}}}

A server runs inside the bubblewrap sandbox (the command's installation and the
arguments that name files are visible read-only; no network unless `network` is true)
unless `sandbox` is false. Each call starts the server, calls, and stops it: slower than
a kept session, but a crashed or hung server never outlives its call.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio

from tools import sandbox
from tools.context import Outcome, ToolContext
from tools.declare import Tool
from tools.errors import ManifestError, ToolFailed
from tools.manifest import Manifest, Permissions, Risk

LIST_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class McpServer:
    """One configured server."""

    name: str
    command: str
    args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    risk: Risk = Risk.EXTERNAL
    sandbox: bool = True
    network: bool = False

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> McpServer:
        try:
            return cls(name, str(data["command"]), tuple(map(str, data.get("args", ()))),
                       {str(k): str(v) for k, v in (data.get("env") or {}).items()},
                       Risk(data.get("risk", "external")), bool(data.get("sandbox", True)),
                       bool(data.get("network", False)))
        except (KeyError, ValueError, TypeError) as exc:
            raise ManifestError(f"MCP server {name!r}: {exc}") from None

    def parameters(self, scratch: Path) -> Any:
        from mcp.client.stdio import StdioServerParameters

        if not self.sandbox:
            return StdioServerParameters(command=self.command, args=list(self.args),
                                         env=self.env or None)
        program = shutil.which(self.command) or self.command
        # Files named on the command line become absolute: the sandbox starts in scratch.
        args = [os.path.abspath(a) if os.path.exists(a) else a for a in self.args]
        visible = [Path(program).parent.parent, Path(program).resolve().parent.parent]
        visible += [Path(a) for a in args if os.path.exists(a)]
        wrapper = sandbox.bwrap_args(scratch, read_paths=visible, network=self.network)
        return StdioServerParameters(command=wrapper[0],
                                     args=[*wrapper[1:], "--", program, *args],
                                     env=self.env or None)


def load_servers(path: Path) -> list[McpServer]:
    """The servers of an MCP file; none if the file does not exist."""
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text())
        servers = data["mcpServers"]
        return [McpServer.from_dict(n, s) for n, s in servers.items()]
    except (json.JSONDecodeError, KeyError, AttributeError, TypeError) as exc:
        raise ManifestError(f"{path}: not an MCP file with 'mcpServers' ({exc})") from None


async def _session(server: McpServer, work: Any) -> Any:
    from mcp import Client
    from mcp.client.stdio import stdio_client

    scratch = Path(tempfile.mkdtemp(prefix=f"famulus-mcp-{server.name}-"))
    try:
        with open(os.devnull, "w") as quiet:  # servers log to stderr; keep the terminal calm
            async with Client(stdio_client(server.parameters(scratch), errlog=quiet)) as client:
                return await work(client)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run(server: McpServer, work: Any, timeout_s: float) -> Any:
    async def bounded() -> Any:
        with anyio.fail_after(timeout_s):
            return await _session(server, work)

    try:
        return anyio.run(bounded)
    except TimeoutError:
        raise ToolFailed(f"MCP server {server.name} did not answer within {timeout_s:g} s",
                         retryable=True) from None
    except (OSError, ToolFailed) as exc:
        raise ToolFailed(f"MCP server {server.name} could not be started: {exc}") from None
    except Exception as exc:  # the SDK's own errors: all mean the server failed us
        raise ToolFailed(f"MCP server {server.name} failed: {type(exc).__name__}: {exc}"
                         ) from None


def _tool_name(server: str, name: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_]", "_", f"mcp_{server}_{name}")[:64]


def discover(server: McpServer) -> list[Tool]:
    """Start the server, list its tools, stop it."""

    async def listing(client: Any) -> Any:
        return (await client.list_tools()).tools

    return [_as_tool(server, t) for t in _run(server, listing, LIST_TIMEOUT_S)]


def _as_tool(server: McpServer, remote: Any) -> Tool:
    schema = dict(remote.input_schema or {"type": "object", "properties": {}})
    schema.setdefault("type", "object")
    manifest = Manifest(
        name=_tool_name(server.name, remote.name),
        description=(remote.description or "")[:1000], parameters=schema,
        category="api_integrations", risk=server.risk,
        permissions=Permissions(network=server.network), timeout_s=60.0,
        untrusted_output=True, source=f"mcp:{server.name}")
    remote_name = remote.name

    def run(ctx: ToolContext, arguments: dict[str, Any]) -> Outcome:
        async def call(client: Any) -> Any:
            return await client.call_tool(remote_name, arguments)

        result = _run(server, call, manifest.timeout_s - 1)
        text = "\n".join(getattr(c, "text", "") for c in result.content).strip()
        if result.is_error:
            raise ToolFailed(f"{remote_name} on {server.name}: {text or 'failed'}")
        return Outcome(result.structured_content if result.structured_content is not None
                       else text)

    return Tool(manifest, run)
