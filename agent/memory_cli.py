"""`famulus memory …` and `famulus backup …`: the memory commands."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from agent.progress import terminal_bar
from agent.runtime import Profile, memory_root, open_memory
from memory import backup, hygiene, importer, store
from memory import sync as sync_module
from memory.episodic import SearchFilter
from memory.errors import MemoryStoreError, VaultLocked
from memory.store import Memory
from memory.vault import Vault


def _print(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        print(text)


def _ask_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    if not line:
        raise VaultLocked("memory is locked and no passphrase was given (set "
                          "FAMULUS_PASSPHRASE or run in a terminal)")
    return line.rstrip("\n")


def _new_passphrase() -> str:
    env = os.environ.get("FAMULUS_PASSPHRASE")
    if env:
        return env
    first = _ask_secret("New passphrase: ")
    if sys.stdin.isatty() and _ask_secret("Repeat it: ") != first:
        raise MemoryStoreError("the two passphrases differ; nothing was changed")
    return first


@contextlib.contextmanager
def _opened(profile: Profile, embed: bool = True, **kwargs: Any) -> Iterator[Memory]:
    """The memory, unlocked with what is at hand or by asking; locked again on the way
    out unless a `memory unlock` session is open."""
    try:
        memory = open_memory(profile, embed=embed, progress=_progress, **kwargs)
    except VaultLocked:
        if not sys.stdin.isatty():
            raise
        memory = open_memory(profile, embed=embed, progress=_progress,
                             passphrase=getpass.getpass("Memory passphrase: "), **kwargs)
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


def _when(text: str) -> int:
    """A date-time as ms since the epoch; without a zone it is local time."""
    try:
        when = datetime.fromisoformat(text)  # naive: .timestamp() takes it as local
    except ValueError:
        raise MemoryStoreError(f"not a date-time: {text!r} (use e.g. \"2026-11-20 14:00\")") \
            from None
    return int(when.timestamp() * 1000)


def run(args: argparse.Namespace, profile: Profile) -> int:
    handler = _HANDLERS[args.memory_command]
    return handler(args, profile)


def _init(args: argparse.Namespace, profile: Profile) -> int:
    root = memory_root(profile)
    if (root / "vault.json").exists():
        raise MemoryStoreError(f"memory is already set up in {root}")
    recovery = store.init(root, _new_passphrase())
    _print(args, {"memory_dir": str(root), "recovery_key": recovery},
           f"Memory is set up in {root}.\n\nRecovery key (shown once; keep it somewhere "
           f"safe, away from this computer):\n\n    {recovery}\n\nIt opens your memory if "
           "you forget the passphrase.")
    return 0


def _unlock(args: argparse.Namespace, profile: Profile) -> int:
    recovery = _ask_secret("Recovery key: ") if args.recovery_key else None
    with _opened(profile, embed=False, recovery_key=recovery) as memory:
        memory.keep_unlocked()
        if args.remember:
            memory.vault.remember(memory.key)
        stats = memory.stats()
    print(f"Memory unlocked ({stats['episodes']} episodes)"
          + ("; this device will remember the key" if args.remember else ""))
    return 0


def _lock(args: argparse.Namespace, profile: Profile) -> int:
    root = memory_root(profile)
    vault = Vault.load(root / "vault.json")
    try:
        with _opened(profile, embed=False) as memory:
            memory.close(lock=True)
    except VaultLocked:
        pass  # nothing is unlocked
    if args.forget_device:
        vault.forget_device()
    print("Memory locked.")
    return 0


def _passphrase(args: argparse.Namespace, profile: Profile) -> int:
    with _opened(profile, embed=False) as memory:
        current = memory.key
        os.environ.pop("FAMULUS_PASSPHRASE", None)
        new = os.environ.get("FAMULUS_NEW_PASSPHRASE") or _new_passphrase()
        memory.vault.change_passphrase(current, new)
    print("Passphrase changed.")
    return 0


def _add(args: argparse.Namespace, profile: Profile) -> int:
    with _opened(profile) as memory:
        episode = memory.add_episode(args.text, speaker=args.speaker, thread=args.thread,
                                     channel=args.channel or "cli")
    _print(args, {"id": episode.id, "time_ms": episode.time_ms}, episode.id)
    return 0


def _batch_queries(source: str) -> list[dict[str, Any]]:
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
    with _opened(profile, embed=args.mode != "fts") as memory:
        for item in queries:
            hits = memory.search(item["query"], k=int(item.get("k", args.k)), where=where,
                                 mode=args.mode)
            out = {"query": item["query"], "hits": [h.to_dict() for h in hits]}
            if "id" in item:
                out = {"id": item["id"], **out}
            print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def _search(args: argparse.Namespace, profile: Profile) -> int:
    where = SearchFilter(_when(args.since) if args.since else None,
                         _when(args.until) if args.until else None, args.thread, args.channel)
    if args.batch:
        return _search_batch(args, profile, where)
    if args.query is None:
        raise MemoryStoreError("give a query, or --batch FILE")
    with _opened(profile, embed=args.mode != "fts") as memory:
        hits = memory.search(args.query, k=args.k, where=where, mode=args.mode)
    if args.json:
        _print(args, {"query": args.query, "hits": [h.to_dict() for h in hits]}, "")
        return 0
    for hit in hits:
        print(f"{hit.score:.4f}  {hit.to_dict()['time'][:16]}  {hit.speaker or '-'}: "
              f"{hit.text}  [{hit.id}]")
    if not hits:
        print("Nothing found.")
    return 0


def _import(args: argparse.Namespace, profile: Profile) -> int:
    importer.read_conversations(args.file)  # check the file before unlocking anything
    with _opened(profile) as memory, terminal_bar("Importing") as bar:
        result = importer.import_file(memory, args.file, progress=bar)
    _print(args, result, f"Imported {result['added']} turns "
           f"({result['already_known']} were already known).")
    return 0


def _facts(args: argparse.Namespace, profile: Profile) -> int:
    with _opened(profile, embed=False) as memory:
        facts = memory.facts(args.entity)
    _print(args, {"entity": args.entity, "facts": [f.to_dict() for f in facts]},
           "\n".join(f"{f.subject} {f.relation} {f.object}  ({f.confidence:.2f}) [{f.id}]"
                     for f in facts) or f"Nothing is known about {args.entity}.")
    return 0


def _fact(args: argparse.Namespace, profile: Profile) -> int:
    with _opened(profile, embed=False) as memory:
        fact = memory.assert_fact(args.subject, args.relation, args.object, args.confidence,
                                  args.source)
    print(fact.id)
    return 0


def _forget(args: argparse.Namespace, profile: Profile) -> int:
    with _opened(profile, embed=False) as memory:
        what = memory.forget(args.id)
    print(f"Forgot the {what} {args.id}.")
    return 0


def _context(args: argparse.Namespace, profile: Profile) -> int:
    from agent.runtime import chat_token_counter
    from memory.working import assemble

    count = chat_token_counter(profile)
    with _opened(profile) as memory:
        context = assemble(memory, args.query, args.budget, thread=args.thread,
                           count_tokens=count)
    dropped = context.dropped
    _print(args, context.to_dict(), context.render() + (
        f"\n\n({context.used_tokens}/{args.budget} tokens; left out for lack of room: "
        f"{len(dropped)} items)" if dropped else
        f"\n\n({context.used_tokens}/{args.budget} tokens)"))
    return 0


def _stats(args: argparse.Namespace, profile: Profile) -> int:
    with _opened(profile, embed=False) as memory:
        stats = memory.stats()
    _print(args, stats, "\n".join(f"{k}: {v}" for k, v in stats.items()))
    return 0


def _check(args: argparse.Namespace, profile: Profile) -> int:
    with _opened(profile, embed=False) as memory:
        report = hygiene.check(memory)
    text = ("No drift: the live stores match the log." if report["ok"] else
            "Drift found: " + json.dumps(report["drift"]))
    if report["contradictions"]:
        text += f"\n{len(report['contradictions'])} possible contradictions:"
        for c in report["contradictions"]:
            text += "\n  " + c["subject"] + " " + c["relation"] + ": " + \
                " / ".join(f["object"] for f in c["facts"])
    _print(args, report, text)
    return 0 if report["ok"] else 1


def _restore(args: argparse.Namespace, profile: Profile) -> int:
    with _opened(profile, embed=False) as memory:
        if args.undo:
            memory.undo_restore()
            label = "Undid the last restore"
        else:
            memory.restore_to(_when(args.at))
            label = f"Memory restored to {args.at} (undo: famulus memory restore --undo)"
        stats = memory.stats()
    print(f"{label}; {stats['episodes']} episodes.")
    return 0


def _retention(args: argparse.Namespace, profile: Profile) -> int:
    days = args.days if args.days is not None else profile.settings["memory.retention_days"]
    with _opened(profile, embed=False) as memory:
        result = hygiene.apply_retention(memory, days, store.now_ms())
    print(f"Forgot {result['forgotten']} episodes older than {days} days.")
    return 0


def _sync(args: argparse.Namespace, profile: Profile) -> int:
    with _opened(profile, embed=False) as memory:
        result = sync_module.sync(memory, args.folder)
    _print(args, result, f"Received {result['received']} new events, shared {result['sent']}."
           + "".join(f"\nRefused: {r}" for r in result["refused"]))
    return 0


_HANDLERS = {"init": _init, "unlock": _unlock, "lock": _lock, "passphrase": _passphrase,
             "add": _add, "search": _search, "import": _import, "facts": _facts,
             "fact": _fact, "forget": _forget, "context": _context, "stats": _stats,
             "check": _check, "restore": _restore, "retention": _retention, "sync": _sync}


def run_backup(args: argparse.Namespace, profile: Profile) -> int:
    folder: Path = args.folder
    if args.backup_command == "create":
        with _opened(profile, embed=False) as memory:
            manifest = backup.create(memory, folder)
        _print(args, manifest, f"Backup written to {folder} ({manifest['events']} events).")
        return 0
    recovery = _ask_secret("Recovery key: ") if args.recovery_key else None
    passphrase = None if recovery else (os.environ.get("FAMULUS_PASSPHRASE")
                                        or _ask_secret("Backup passphrase: "))
    if args.backup_command == "verify":
        report = backup.verify(folder, backup.backup_key(folder, passphrase, recovery))
        _print(args, report, f"The backup in {folder} is intact ({report['events']} events).")
        return 0
    report = backup.restore(folder, memory_root(profile), passphrase, recovery)
    moved = report["previous_memory_moved_to"]
    _print(args, report, f"Memory restored from {folder}."
           + (f" The previous memory was kept in {moved}." if moved else ""))
    return 0
