"""`famulus memory …`: encrypted long-term memory. This module registers the group and
runs the commands that use what is remembered (add, search, import, facts, forget,
context, stats, check); the vault's own commands are in cli/memory_vault.py.

The memory packages are imported when a command runs: LanceDB alone takes about a second,
which `famulus --help` and the other commands should not pay.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.build_memory import open_memory
from app.profile import Profile
from cli.options import json_flag
from cli.output import print_json, terminal_bar
from cli.prompts import passphrase_asker

if TYPE_CHECKING:
    from memory.episodic import SearchFilter
    from memory.store import Memory


def register(sub: Any) -> None:
    from cli import memory_vault

    memory = sub.add_parser("memory", help="encrypted long-term memory")
    actions = memory.add_subparsers(dest="memory_command", required=True, metavar="ACTION")
    memory_vault.register(actions)
    add = actions.add_parser("add", help="remember a piece of text")
    add.add_argument("text")
    for flag in ("--speaker", "--thread", "--channel"):
        add.add_argument(flag, default="")
    json_flag(add)
    add.set_defaults(handler=add_episode)
    _search_parser(actions)
    imp = actions.add_parser("import", help="import conversations (docs/memory.md)")
    imp.add_argument("file", type=Path)
    json_flag(imp)
    imp.set_defaults(handler=import_file)
    _knowledge_parsers(actions)
    memory_vault.register_history(actions)


def _search_parser(actions: Any) -> None:
    search = actions.add_parser("search", help="find memories by meaning and by words")
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
    json_flag(search)
    search.set_defaults(handler=search_memory)


def _knowledge_parsers(actions: Any) -> None:
    facts = actions.add_parser("facts", help="what the graph knows about an entity")
    facts.add_argument("entity")
    json_flag(facts)
    facts.set_defaults(handler=show_facts)
    fact = actions.add_parser("fact", help="assert a fact: SUBJECT RELATION OBJECT")
    for part in ("subject", "relation", "object"):
        fact.add_argument(part)
    fact.add_argument("--confidence", type=float, default=1.0)
    fact.add_argument("--source", action="append", default=[],
                      help="the id of an episode it came from (repeatable)")
    fact.set_defaults(handler=assert_fact)
    forget = actions.add_parser("forget", help="forget an episode, fact or preference for "
                                "good")
    forget.add_argument("id")
    forget.set_defaults(handler=forget_item)
    context = actions.add_parser("context", help="the working-memory context for a "
                                 "message, under a token budget")
    context.add_argument("query")
    context.add_argument("--budget", type=int, default=1024, help="tokens (default 1024)")
    context.add_argument("--thread")
    json_flag(context)
    context.set_defaults(handler=show_context)
    stats = actions.add_parser("stats", help="counts and sizes")
    json_flag(stats)
    stats.set_defaults(handler=show_stats)
    check = actions.add_parser("check", help="rebuild into scratch space and compare")
    json_flag(check)
    check.set_defaults(handler=check_memory)


def show(args: argparse.Namespace, data: Any, text: str) -> None:
    """`data` as JSON with --json, else `text`."""
    if getattr(args, "json", False):
        print_json(data)
    else:
        print(text)


@contextlib.contextmanager
def opened(profile: Profile, embed: bool = True, **kwargs: Any) -> Iterator[Memory]:
    """The memory, unlocked with what is at hand or by asking at a terminal; locked again
    on the way out unless a `memory unlock` session is open."""
    from memory.errors import VaultLocked

    try:
        memory = open_memory(profile, embed=embed, progress=_progress, **kwargs)
    except VaultLocked:
        ask = passphrase_asker()
        if ask is None:
            raise
        memory = open_memory(profile, embed=embed, progress=_progress, passphrase=ask(),
                             **kwargs)
    try:
        yield memory
    finally:
        memory.close(lock=not memory.session_open)


_shown: set[str] = set()


def _progress(what: str, done: int, total: int) -> None:
    """Rebuild steps as lines on stderr (a rebuild of 100k memories takes seconds)."""
    if what not in _shown:
        _shown.add(what)
        print(f"memory: {what}" + (f" ({total} items)" if total else ""), file=sys.stderr)


def add_episode(args: argparse.Namespace, profile: Profile) -> int:
    with opened(profile) as memory:
        episode = memory.add_episode(args.text, speaker=args.speaker, thread=args.thread,
                                     channel=args.channel or "cli")
    show(args, {"id": episode.id, "time_ms": episode.time_ms}, episode.id)
    return 0


def _batch_queries(source: str) -> list[dict[str, Any]]:
    from memory.errors import MemoryStoreError

    try:
        lines = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise MemoryStoreError(f"cannot read {source}: {exc.strerror}") from None
    queries = []
    for number, line in enumerate(lines.splitlines(), start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                item = json.loads(line)
                item["query"] = str(item["query"])
            except (ValueError, KeyError, TypeError):
                raise MemoryStoreError(f"{source} line {number}: not a JSON object with "
                                       "a 'query'") from None
        else:
            item = {"query": line.strip()}
        queries.append(item)
    return queries


def _search_batch(args: argparse.Namespace, profile: Profile, where: SearchFilter) -> int:
    queries = _batch_queries(args.batch)
    with opened(profile, embed=args.mode != "fts") as memory:
        for item in queries:
            hits = memory.search(item["query"], k=int(item.get("k", args.k)), where=where,
                                 mode=args.mode)
            out = {"query": item["query"], "hits": [h.to_dict() for h in hits]}
            if "id" in item:
                out = {"id": item["id"], **out}
            print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def search_memory(args: argparse.Namespace, profile: Profile) -> int:
    from cli.memory_vault import when_ms
    from memory.episodic import SearchFilter
    from memory.errors import MemoryStoreError

    where = SearchFilter(when_ms(args.since) if args.since else None,
                         when_ms(args.until) if args.until else None, args.thread,
                         args.channel)
    if args.batch:
        return _search_batch(args, profile, where)
    if args.query is None:
        raise MemoryStoreError("give a query, or --batch FILE")
    with opened(profile, embed=args.mode != "fts") as memory:
        hits = memory.search(args.query, k=args.k, where=where, mode=args.mode)
    if args.json:
        print_json({"query": args.query, "hits": [h.to_dict() for h in hits]})
        return 0
    for hit in hits:
        print(f"{hit.score:.4f}  {hit.to_dict()['time'][:16]}  {hit.speaker or '-'}: "
              f"{hit.text}  [{hit.id}]")
    if not hits:
        print("Nothing found.")
    return 0


def import_file(args: argparse.Namespace, profile: Profile) -> int:
    from memory import importer

    importer.read_conversations(args.file)  # check the file before unlocking anything
    with opened(profile) as memory, terminal_bar("Importing") as bar:
        result = importer.import_file(memory, args.file, progress=bar)
    show(args, result, f"Imported {result['added']} turns "
         f"({result['already_known']} were already known).")
    return 0


def show_facts(args: argparse.Namespace, profile: Profile) -> int:
    with opened(profile, embed=False) as memory:
        facts = memory.facts(args.entity)
    show(args, {"entity": args.entity, "facts": [f.to_dict() for f in facts]},
         "\n".join(f"{f.subject} {f.relation} {f.object}  ({f.confidence:.2f}) [{f.id}]"
                   for f in facts) or f"Nothing is known about {args.entity}.")
    return 0


def assert_fact(args: argparse.Namespace, profile: Profile) -> int:
    with opened(profile, embed=False) as memory:
        fact = memory.assert_fact(args.subject, args.relation, args.object, args.confidence,
                                  args.source)
    print(fact.id)
    return 0


def forget_item(args: argparse.Namespace, profile: Profile) -> int:
    with opened(profile, embed=False) as memory:
        what = memory.forget(args.id)
    print(f"Forgot the {what} {args.id}.")
    return 0


def show_context(args: argparse.Namespace, profile: Profile) -> int:
    from app.build_inference import chat_token_counter
    from memory.working import assemble

    count = chat_token_counter(profile)
    with opened(profile) as memory:
        context = assemble(memory, args.query, args.budget, thread=args.thread,
                           count_tokens=count)
    room = f"{context.used_tokens}/{args.budget} tokens"
    dropped = len(context.dropped)
    show(args, context.to_dict(), context.render() + (
        f"\n\n({room}; left out for lack of room: {dropped} items)" if dropped else
        f"\n\n({room})"))
    return 0


def show_stats(args: argparse.Namespace, profile: Profile) -> int:
    with opened(profile, embed=False) as memory:
        stats = memory.stats()
    show(args, stats, "\n".join(f"{k}: {v}" for k, v in stats.items()))
    return 0


def check_memory(args: argparse.Namespace, profile: Profile) -> int:
    from memory import hygiene

    with opened(profile, embed=False) as memory:
        report = hygiene.check(memory)
    text = ("No drift: the live stores match the log." if report["ok"] else
            "Drift found: " + json.dumps(report["drift"]))
    if report["contradictions"]:
        text += f"\n{len(report['contradictions'])} possible contradictions:"
        for c in report["contradictions"]:
            text += "\n  " + c["subject"] + " " + c["relation"] + ": " + \
                " / ".join(f["object"] for f in c["facts"])
    show(args, report, text)
    return 0 if report["ok"] else 1
