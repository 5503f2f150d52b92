"""MCP: a real stdio server process contributes its tools, sandboxed, behind the gate."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.tool_helpers import make_service
from tools.catalog import Sources, build_registry
from tools.gate import ToolCall

pytestmark = pytest.mark.slow
SERVER = Path(__file__).resolve().parents[2] / "servers" / "mcp_notes_server.py"


def mcp_file(tmp_path: Path, **server: object) -> Path:
    path = tmp_path / "mcp.json"
    path.write_text(json.dumps({"mcpServers": {"demo": {
        "command": sys.executable, "args": [str(SERVER)], **server}}}))
    return path


def test_server_tools_are_listed_and_called_through_the_gate(tmp_path: Path) -> None:
    registry, problems = build_registry(Sources(mcp_file=mcp_file(tmp_path)))
    assert problems == []
    names = {t.name for t in registry if t.manifest.source == "mcp:demo"}
    assert names == {"mcp_demo_add", "mcp_demo_shout", "mcp_demo_fail"}
    manifest = registry.get("mcp_demo_add").manifest
    assert manifest.risk == "external" and manifest.parameters["required"] == ["a", "b"]
    service = make_service(tmp_path, level=1, tools=list(registry))
    waiting = service.call(ToolCall("mcp_demo_add", {"a": 2, "b": 40}))
    assert waiting.status == "review"  # external by default
    done = service.approve(waiting.review_id)
    assert done.status == "done", done.error
    assert "42" in json.dumps(done.result)
    invalid = service.call(ToolCall("mcp_demo_add", {"a": "two"}))
    assert invalid.status == "refused" and "'b' is required" in invalid.error


def test_lowered_risk_and_server_errors(tmp_path: Path) -> None:
    registry, _ = build_registry(Sources(mcp_file=mcp_file(tmp_path, risk="read")))
    service = make_service(tmp_path, level=1, tools=list(registry))
    shout = service.call(ToolCall("mcp_demo_shout", {"text": "hi"}))
    assert shout.status == "done" and "HI" in json.dumps(shout.result)
    failed = service.call(ToolCall("mcp_demo_fail", {"reason": "because"}))
    assert failed.status == "failed" and "fail on demo" in failed.error


def test_broken_servers_are_reported_not_fatal(tmp_path: Path) -> None:
    bad = tmp_path / "mcp.json"
    bad.write_text(json.dumps({"mcpServers": {"ghost": {"command": "/nonexistent/server"}}}))
    registry, problems = build_registry(Sources(mcp_file=bad))
    assert "file_read" in registry
    assert len(problems) == 1 and "ghost" in problems[0]
    bad.write_text("{]")
    assert "not an MCP file" in build_registry(Sources(mcp_file=bad))[1][0]
