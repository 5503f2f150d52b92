"""`famulus review|audit|undo|outbox`: the actions waiting for the person, the audit log,
taking an action back, and held mail. Decisions go through the app's one approve path
(app.actions), so they count in `famulus status` as they do in the window."""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.actions import open_actions
from app.profile import Profile
from cli.output import print_json
from cli.prompts import passphrase_asker
from cli.tools import EXIT_OK, held, json_arguments, outcome, when


def register(sub: Any) -> None:
    review = sub.add_parser("review", help="actions waiting for your approval")
    actions = review.add_subparsers(dest="review_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="pending items (all items with --all)")
    listing.add_argument("--all", action="store_true")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_reviews)
    approve = actions.add_parser("approve", help="run a waiting action")
    approve.add_argument("id")
    approve.add_argument("--args", dest="edited", help="run it with these arguments (JSON)")
    approve.add_argument("--note", default="")
    approve.add_argument("--json", action="store_true")
    approve.set_defaults(handler=approve_review)
    deny = actions.add_parser("deny", help="refuse a waiting action")
    deny.add_argument("id")
    deny.add_argument("--note", default="")
    deny.add_argument("--json", action="store_true")
    deny.set_defaults(handler=deny_review)
    _register_audit(sub)


def _register_audit(sub: Any) -> None:
    audit = sub.add_parser("audit", help="the tamper-evident log of every action")
    actions = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="audit entries, oldest first")
    listing.add_argument("--action", help="only this action (e.g. A12)")
    listing.add_argument("--limit", type=int, default=50, help="the last N entries (0: all)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_audit)
    verify = actions.add_parser("verify", help="check the hash chain")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=verify_audit)
    undo = sub.add_parser("undo", help="take back an action (see `famulus audit list`)")
    undo.add_argument("action_id")
    undo.add_argument("--json", action="store_true")
    undo.set_defaults(handler=undo_action)
    outbox = sub.add_parser("outbox", help="mail held for its undo window; sends what is due")
    outbox.add_argument("--json", action="store_true")
    outbox.set_defaults(handler=show_outbox)


def _actions(profile: Profile) -> Any:
    return open_actions(profile, ask_passphrase=passphrase_asker())


def list_reviews(args: argparse.Namespace, profile: Profile) -> int:
    from tools.review import Status

    with _actions(profile) as actions:
        items = actions.tools.queue.items(None if args.all else Status.PENDING)
    if args.json:
        print_json({"items": [i.to_dict() for i in items]})
        return EXIT_OK
    if not items:
        print("nothing waits for review")
    for i in items:
        call = i.tool_call
        print(f"{i.id:<5} {i.status:<9} {call.tool} "
              f"{json.dumps(call.arguments, ensure_ascii=False)[:100]}\n"
              f"      why: {i.reason}; expires {when(i.expires)}")
    return EXIT_OK


def approve_review(args: argparse.Namespace, profile: Profile) -> int:
    from app import build_tools

    with _actions(profile) as actions:
        if str(actions.tools.queue.get(args.id).tool_call.tool).startswith("mcp_"):
            build_tools.add_mcp_tools(profile, actions.tools)
        edited = json_arguments(args.edited) if args.edited else None
        result = actions.approve(args.id, edited, args.note)
        return held(args, actions.tools, outcome(args, result))


def deny_review(args: argparse.Namespace, profile: Profile) -> int:
    with _actions(profile) as actions:
        item = actions.deny(args.id, args.note)
    print_json(item.to_dict()) if args.json else print(f"{item.id} denied")
    return EXIT_OK


def verify_audit(args: argparse.Namespace, profile: Profile) -> int:
    with _actions(profile) as actions:
        count = actions.tools.audit.verify()
    print_json({"ok": True, "entries": count}) if args.json else print(
        f"the audit log is intact: {count} entries, hash chain unbroken")
    return EXIT_OK


def list_audit(args: argparse.Namespace, profile: Profile) -> int:
    with _actions(profile) as actions:
        entries = actions.tools.audit.entries(args.action.upper() if args.action else None,
                                              args.limit or None)
    if args.json:
        print_json({"entries": entries})
        return EXIT_OK
    for e in entries:
        detail = e.get("decision", {}).get("reason") if e["event"] == "decided" else (
            e.get("error") or e.get("result") or e.get("note") or "")
        print(f"{when(e['time'])} {e['action']:<6} {e['event']:<9} "
              f"{e.get('tool', ''):<16} {str(detail)[:90]}")
    return EXIT_OK


def undo_action(args: argparse.Namespace, profile: Profile) -> int:
    with _actions(profile) as actions:
        if actions.undo_needs_memory(args.action_id):  # a remembered thing: forget it
            from cli.memory import opened

            with opened(profile, embed=False) as memory:
                actions.tools.services["memory"] = memory
                undone = actions.undo(args.action_id)
        else:
            undone = actions.undo(args.action_id)
    print_json({"action_id": undone.action_id, "undone": True, "message": undone.message}) \
        if args.json else print(undone.message)
    return EXIT_OK


def show_outbox(args: argparse.Namespace, profile: Profile) -> int:
    with _actions(profile) as actions:
        mail = actions.tools.services["outbox"].held()
    if args.json:
        print_json({"held": [{"action": d["action"], "release": d["release"],
                              "error": d["error"]} for d in mail]})
        return EXIT_OK
    for d in mail:
        print(f"{d['action']:<6} leaves after {when(d['release'])} {d['error']}")
    if not mail:
        print("no mail is held")
    return EXIT_OK
