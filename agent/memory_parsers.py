"""The arguments of `famulus memory …` and `famulus backup …`.

Kept apart from the handlers (agent/memory_cli.py) so that building the parser does not
import the memory stores (LanceDB alone takes ~1 s) for commands that never use them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def add_parsers(sub: Any) -> None:
    """Register `memory` and `backup` on the top-level subparsers."""
    memory = sub.add_parser("memory", help="encrypted long-term memory")
    ms = memory.add_subparsers(dest="memory_command", required=True, metavar="ACTION")
    ms.add_parser("init", help="set up encrypted memory (asks for a passphrase)").add_argument(
        "--json", action="store_true")
    unlock = ms.add_parser("unlock", help="unlock memory for this login session")
    unlock.add_argument("--remember", action="store_true",
                        help="also keep the key in the OS keyring (unlocks without asking)")
    unlock.add_argument("--recovery-key", action="store_true",
                        help="unlock with the recovery key instead of the passphrase")
    lock = ms.add_parser("lock", help="seal the stores and wipe the unlocked copy")
    lock.add_argument("--forget-device", action="store_true",
                      help="also remove the key from the OS keyring")
    ms.add_parser("passphrase", help="change the passphrase (the data is not re-encrypted)")
    add = ms.add_parser("add", help="remember a piece of text")
    add.add_argument("text")
    for flag in ("--speaker", "--thread", "--channel"):
        add.add_argument(flag, default="")
    add.add_argument("--json", action="store_true")
    search = ms.add_parser("search", help="find memories by meaning and by words")
    search.add_argument("query", nargs="?")
    search.add_argument("--batch", metavar="FILE",
                        help="many queries in one run: one per line (text, or JSON with "
                        "'query' and optional 'id' and 'k'), '-' for stdin; prints one "
                        "JSON line per query")
    search.add_argument("--k", type=int, default=10)
    search.add_argument("--mode", choices=["hybrid", "vector", "fts"], default="hybrid")
    search.add_argument("--thread")
    search.add_argument("--channel")
    search.add_argument("--since", help="only memories at or after this date-time")
    search.add_argument("--until", help="only memories at or before this date-time")
    search.add_argument("--json", action="store_true")
    imp = ms.add_parser("import", help="import conversations (docs/memory.md)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--json", action="store_true")
    facts = ms.add_parser("facts", help="what the graph knows about an entity")
    facts.add_argument("entity")
    facts.add_argument("--json", action="store_true")
    fact = ms.add_parser("fact", help="assert a fact: SUBJECT RELATION OBJECT")
    fact.add_argument("subject")
    fact.add_argument("relation")
    fact.add_argument("object")
    fact.add_argument("--confidence", type=float, default=1.0)
    fact.add_argument("--source", action="append", default=[],
                      help="the id of an episode it came from (repeatable)")
    forget = ms.add_parser("forget", help="forget an episode, fact or preference for good")
    forget.add_argument("id")
    context = ms.add_parser("context", help="the working-memory context for a message, "
                            "under a token budget")
    context.add_argument("query")
    context.add_argument("--budget", type=int, default=1024, help="tokens (default 1024)")
    context.add_argument("--thread")
    context.add_argument("--json", action="store_true")
    ms.add_parser("stats", help="counts and sizes").add_argument("--json", action="store_true")
    ms.add_parser("check", help="rebuild into scratch space and compare").add_argument(
        "--json", action="store_true")
    restore = ms.add_parser("restore", help="bring memory back to an earlier moment")
    group = restore.add_mutually_exclusive_group(required=True)
    group.add_argument("--at", help='a local date-time, e.g. "2026-11-20 14:00"')
    group.add_argument("--undo", action="store_true", help="undo the latest restore")
    retention = ms.add_parser("retention", help="forget episodes past the retention age")
    retention.add_argument("--days", type=int, help="override memory.retention_days")
    sync = ms.add_parser("sync", help="exchange encrypted events through a shared folder")
    sync.add_argument("folder", type=Path)
    sync.add_argument("--json", action="store_true")

    bk = sub.add_parser("backup", help="encrypted backups of memory")
    bs = bk.add_subparsers(dest="backup_command", required=True, metavar="ACTION")
    for action, text in (("create", "write a backup into a new or empty folder"),
                         ("verify", "check a backup's checksums (and that it opens)"),
                         ("restore", "replace memory with a backup (the old one is kept)")):
        parser = bs.add_parser(action, help=text)
        parser.add_argument("folder", type=Path)
        parser.add_argument("--json", action="store_true")
        if action != "create":
            parser.add_argument("--recovery-key", action="store_true",
                                help="use the recovery key instead of the passphrase")
