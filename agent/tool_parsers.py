"""The arguments of `famulus tools|review|audit|undo|outbox` (handlers: agent/tool_cli.py)."""

from __future__ import annotations

from typing import Any


def add_tool_parsers(sub: Any) -> None:
    """Register the tool commands on the top-level subparsers."""
    tools = sub.add_parser("tools", help="the tools Famulus can use, and calling them")
    ts = tools.add_subparsers(dest="tools_command", required=True, metavar="ACTION")
    listing = ts.add_parser("list", help="every tool, by category")
    listing.add_argument("--json", action="store_true", help="the full manifests as JSON")
    listing.add_argument("--no-mcp", action="store_true",
                         help="skip MCP servers (they are started to list their tools)")
    show = ts.add_parser("show", help="one tool's manifest")
    show.add_argument("name")
    show.add_argument("--json", action="store_true")
    run = ts.add_parser("run", help="call a tool through the gate, as the agent would")
    run.add_argument("name")
    run.add_argument("arguments", nargs="?", default="{}",
                     help="the arguments as a JSON object (default {})")
    run.add_argument("--json", action="store_true")

    review = sub.add_parser("review", help="actions waiting for your approval")
    rs = review.add_subparsers(dest="review_command", required=True, metavar="ACTION")
    rlist = rs.add_parser("list", help="pending items (all items with --all)")
    rlist.add_argument("--all", action="store_true")
    rlist.add_argument("--json", action="store_true")
    approve = rs.add_parser("approve", help="run a waiting action")
    approve.add_argument("id")
    approve.add_argument("--args", dest="edited", help="run it with these arguments (JSON)")
    approve.add_argument("--note", default="")
    approve.add_argument("--json", action="store_true")
    deny = rs.add_parser("deny", help="refuse a waiting action")
    deny.add_argument("id")
    deny.add_argument("--note", default="")
    deny.add_argument("--json", action="store_true")

    audit = sub.add_parser("audit", help="the tamper-evident log of every action")
    aus = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    alist = aus.add_parser("list", help="audit entries, oldest first")
    alist.add_argument("--action", help="only this action (e.g. A12)")
    alist.add_argument("--limit", type=int, default=50, help="the last N entries (0: all)")
    alist.add_argument("--json", action="store_true")
    verify = aus.add_parser("verify", help="check the hash chain")
    verify.add_argument("--json", action="store_true")

    undo = sub.add_parser("undo", help="take back an action (see `famulus audit list`)")
    undo.add_argument("action_id")
    undo.add_argument("--json", action="store_true")

    outbox = sub.add_parser("outbox", help="mail held for its undo window; sends what is due")
    outbox.add_argument("--json", action="store_true")
