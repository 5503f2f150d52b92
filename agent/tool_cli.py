"""`famulus tools|review|audit|undo|outbox`: the tool commands."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from typing import Any

from agent import tool_wiring
from agent.runtime import Profile
from tools.errors import ToolError, ToolInputError
from tools.gate import Origin, ToolCall
from tools.service import ActionResult, ToolService

EXIT_OK, EXIT_ERROR = 0, 1


def _json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts else "-"


def _arguments(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ToolInputError(f"the arguments are not valid JSON: {exc}") from None


def run(args: argparse.Namespace, profile: Profile) -> int:
    """Dispatch one of the tool commands; ToolError becomes an error line."""
    handlers = {"tools": _tools, "review": _review, "audit": _audit, "undo": _undo,
                "outbox": _outbox}
    try:
        return handlers[args.command](args, profile)
    except ToolError as exc:
        if getattr(args, "json", False):
            _json({"error": str(exc), "type": type(exc).__name__})
        else:
            print(f"famulus: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _tools(args: argparse.Namespace, profile: Profile) -> int:
    if args.tools_command == "run":
        # MCP servers are started (to list their tools) only for an MCP tool
        with tool_wiring.tool_service(profile, args.name.startswith("mcp_")) as service:
            call = ToolCall(args.name, _arguments(args.arguments), Origin.USER)
            return _held(args, service, _result(args, service.call(call)))
    with_mcp = args.name.startswith("mcp_") if args.tools_command == "show" else \
        not args.no_mcp
    tools, problems = tool_wiring.registry(profile, with_mcp)
    if args.tools_command == "show":
        manifest = tools.get(args.name).manifest
        _json(manifest.to_dict()) if args.json else print(_describe(manifest.to_dict()))
        return EXIT_OK
    if args.json:
        _json({"tools": tools.export(), "problems": problems})
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


def _held(args: argparse.Namespace, service: ToolService, outcome: tuple[int, ActionResult]
          ) -> int:
    """Mail held for its undo window: in a terminal, wait it out (Ctrl-C cancels the mail);
    from a script, say when and how it leaves."""
    code, result = outcome
    held = isinstance(result.result, dict) and result.result.get("status") == "held"
    if not held or args.json:
        return code
    release = service.services["outbox"].release_of(result.action_id)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(f"the mail leaves after {_when(release)}, with the next famulus command that "
              f"uses tools (or `famulus outbox`); `famulus undo {result.action_id}` cancels it")
        return code
    try:
        while (left := release - time.time()) > 0:
            print(f"\rsending in {left:4.0f} s; Ctrl-C cancels", end="", flush=True)
            time.sleep(min(1.0, left))
    except KeyboardInterrupt:
        print(f"\r{service.undo(result.action_id)}{' ' * 20}")
        return code
    service.dispatch_due()
    print(f"\r{service.services['outbox'].status_of(result.action_id)}{' ' * 30}")
    return code


def _result(args: argparse.Namespace, result: ActionResult) -> tuple[int, ActionResult]:
    if args.json:
        _json(result.to_dict())
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


def _review(args: argparse.Namespace, profile: Profile) -> int:
    from tools.review import Status

    with tool_wiring.tool_service(profile, with_mcp=False) as service:
        if args.review_command == "list":
            items = service.queue.items(None if args.all else Status.PENDING)
            if args.json:
                _json({"items": [i.to_dict() for i in items]})
                return EXIT_OK
            if not items:
                print("nothing waits for review")
            for i in items:
                call = i.tool_call
                print(f"{i.id:<5} {i.status:<9} {call.tool} "
                      f"{json.dumps(call.arguments, ensure_ascii=False)[:100]}\n"
                      f"      why: {i.reason}; expires {_when(i.expires)}")
            return EXIT_OK
        if args.review_command == "approve":
            if str(service.queue.get(args.id).tool_call.tool).startswith("mcp_"):
                tool_wiring.add_mcp_tools(profile, service)
            edited = _arguments(args.edited) if args.edited else None
            return _held(args, service, _result(args, service.approve(args.id, edited,
                                                                       args.note)))
        item = service.deny(args.id, args.note)
        _json(item.to_dict()) if args.json else print(f"{item.id} denied")
        return EXIT_OK


def _audit(args: argparse.Namespace, profile: Profile) -> int:
    with tool_wiring.tool_service(profile, with_mcp=False) as service:
        if args.audit_command == "verify":
            count = service.audit.verify()
            _json({"ok": True, "entries": count}) if args.json else print(
                f"the audit log is intact: {count} entries, hash chain unbroken")
            return EXIT_OK
        entries = service.audit.entries(args.action.upper() if args.action else None,
                                        args.limit or None)
        if args.json:
            _json({"entries": entries})
            return EXIT_OK
        for e in entries:
            detail = e.get("decision", {}).get("reason") if e["event"] == "decided" else (
                e.get("error") or e.get("result") or e.get("note") or "")
            print(f"{_when(e['time'])} {e['action']:<6} {e['event']:<9} "
                  f"{e.get('tool', ''):<16} {str(detail)[:90]}")
        return EXIT_OK


def _undo(args: argparse.Namespace, profile: Profile) -> int:
    with tool_wiring.tool_service(profile, with_mcp=False) as service:
        record = service.store.get("undo", args.action_id.upper()) or {}
        if str(record.get("kind", "")).startswith("memory."):  # undoing a remembered thing
            import agent.memory_tools  # noqa: F401  (registers the memory undo)
            from agent.memory_cli import _opened

            with _opened(profile, embed=False) as memory:
                service.services["memory"] = memory
                message = service.undo(args.action_id)
        else:
            message = service.undo(args.action_id)
    _json({"action_id": args.action_id.upper(), "undone": True, "message": message}) \
        if args.json else print(message)
    return EXIT_OK


def _outbox(args: argparse.Namespace, profile: Profile) -> int:
    with tool_wiring.tool_service(profile, with_mcp=False) as service:
        held = service.services["outbox"].held()
    if args.json:
        _json({"held": [{"action": d["action"], "release": d["release"], "error": d["error"]}
                        for d in held]})
        return EXIT_OK
    for d in held:
        print(f"{d['action']:<6} leaves after {_when(d['release'])} {d['error']}")
    if not held:
        print("no mail is held")
    return EXIT_OK
