"""`famulus tools list|show|run`: the tools, and calling one through the gate as the agent
would. Also how an action's outcome reads at the terminal (used by cli/review.py too)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from typing import Any

from app import build_tools
from app.profile import Profile
from cli.output import print_json
from tools.errors import ToolInputError
from tools.gate import Origin, ToolCall
from tools.service import ActionResult, ToolService

EXIT_OK, EXIT_ERROR = 0, 1


def register(sub: Any) -> None:
    tools = sub.add_parser("tools", help="the tools Famulus can use, and calling them")
    actions = tools.add_subparsers(dest="tools_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="every tool, by category")
    listing.add_argument("--json", action="store_true", help="the full manifests as JSON")
    listing.add_argument("--no-mcp", action="store_true",
                         help="skip MCP servers (they are started to list their tools)")
    listing.set_defaults(handler=list_tools)
    show = actions.add_parser("show", help="one tool's manifest")
    show.add_argument("name")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=show_tool)
    run = actions.add_parser("run", help="call a tool through the gate, as the agent would")
    run.add_argument("name")
    run.add_argument("arguments", nargs="?", default="{}",
                     help="the arguments as a JSON object (default {})")
    run.add_argument("--json", action="store_true")
    run.set_defaults(handler=run_tool)


def when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts else "-"


def json_arguments(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ToolInputError(f"the arguments are not valid JSON: {exc}") from None


def run_tool(args: argparse.Namespace, profile: Profile) -> int:
    from cli.prompts import passphrase_asker

    # MCP servers are started (to list their tools) only for an MCP tool
    with build_tools.tool_service(profile, args.name.startswith("mcp_"),
                                  passphrase_asker()) as service:
        call = ToolCall(args.name, json_arguments(args.arguments), Origin.USER)
        return held(args, service, outcome(args, service.call(call)))


def show_tool(args: argparse.Namespace, profile: Profile) -> int:
    tools, _ = build_tools.registry(profile, args.name.startswith("mcp_"))
    manifest = tools.get(args.name).manifest
    print_json(manifest.to_dict()) if args.json else print(_describe(manifest.to_dict()))
    return EXIT_OK


def list_tools(args: argparse.Namespace, profile: Profile) -> int:
    tools, problems = build_tools.registry(profile, not args.no_mcp)
    if args.json:
        print_json({"tools": tools.export(), "problems": problems})
        return EXIT_OK
    for category, manifests in tools.by_category().items():
        print(f"{category}/")
        for m in manifests:
            undo = " (undoable)" if m.undoable else ""
            print(f"  {m.name:<22} {m.risk:<12} {m.description[:60]}{undo}")
    for line in problems:
        print(f"problem: {line}")
    return EXIT_OK


def _describe(manifest: dict[str, Any]) -> str:
    params = manifest["parameters"].get("properties", {})
    lines = [f"{manifest['name']} ({manifest['category']}, risk {manifest['risk']})",
             manifest["description"], "arguments:"]
    required = set(manifest["parameters"].get("required", []))
    for name, spec in params.items():
        flag = "required" if name in required else f"default {spec.get('default')!r}"
        lines.append(f"  {name}: {spec.get('type', 'any')}, {flag}. "
                     f"{spec.get('description', '')}")
    lines.append(f"undo: {manifest['undo'] or 'cannot be undone'}")
    return "\n".join(lines)


def held(args: argparse.Namespace, service: ToolService, result: tuple[int, ActionResult]
         ) -> int:
    """Mail held for its undo window: in a terminal, wait it out (Ctrl-C cancels the mail);
    from a script, say when and how it leaves."""
    code, action = result
    is_held = isinstance(action.result, dict) and action.result.get("status") == "held"
    if not is_held or args.json:
        return code
    release = service.services["outbox"].release_of(action.action_id)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(f"the mail leaves after {when(release)}, with the next famulus command that "
              f"uses tools (or `famulus outbox`); `famulus undo {action.action_id}` cancels it")
        return code
    try:
        while (left := release - time.time()) > 0:
            print(f"\rsending in {left:4.0f} s; Ctrl-C cancels", end="", flush=True)
            time.sleep(min(1.0, left))
    except KeyboardInterrupt:
        print(f"\r{service.undo(action.action_id)}{' ' * 20}")
        return code
    service.dispatch_due()
    print(f"\r{service.services['outbox'].status_of(action.action_id)}{' ' * 30}")
    return code


def outcome(args: argparse.Namespace, result: ActionResult) -> tuple[int, ActionResult]:
    """Print what became of an action; its exit status (done or waiting: 0)."""
    if args.json:
        print_json(result.to_dict())
    elif result.status == "done":
        text = result.result if isinstance(result.result, str) else json.dumps(
            result.result, indent=2, ensure_ascii=False, default=str)
        print(text)
        undo = f"; `famulus undo {result.action_id}` takes it back" if result.undoable else ""
        print(f"[{result.action_id} done{undo}]")
    elif result.status == "review":
        print(f"{result.action_id} waits for your approval as {result.review_id}: "
              f"{result.decision['reason']}\n  famulus review approve {result.review_id}  |  "
              f"famulus review deny {result.review_id}")
    else:
        print(f"famulus: {result.action_id} {result.status}: {result.error}", file=sys.stderr)
    return (EXIT_OK if result.status in ("done", "review") else EXIT_ERROR), result
