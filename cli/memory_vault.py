"""`famulus memory init|unlock|lock|passphrase|restore|retention|sync`: the vault and the
memory as a whole (registered by cli/memory.py)."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from app.build_memory import check_new_passphrase, create_memory, memory_root
from app.profile import Profile
from cli.memory import opened, show
from cli.prompts import ask_secret, new_passphrase


def register(actions: Any) -> None:
    """The vault's subcommands on `famulus memory`'s subparsers."""
    init = actions.add_parser("init", help="set up encrypted memory (asks for a passphrase)")
    init.add_argument("--json", action="store_true")
    init.set_defaults(handler=init_memory)
    unlock = actions.add_parser("unlock", help="unlock memory for this login session")
    unlock.add_argument("--remember", action="store_true",
                        help="also keep the key in the OS keyring (unlocks without asking)")
    unlock.add_argument("--recovery-key", action="store_true",
                        help="unlock with the recovery key instead of the passphrase")
    unlock.set_defaults(handler=unlock_memory)
    lock = actions.add_parser("lock", help="seal the stores and wipe the unlocked copy")
    lock.add_argument("--forget-device", action="store_true",
                      help="also remove the key from the OS keyring")
    lock.set_defaults(handler=lock_memory)
    actions.add_parser("passphrase", help="change the passphrase (the data is not "
                       "re-encrypted)").set_defaults(handler=change_passphrase)


def register_history(actions: Any) -> None:
    """Restore, retention and sync on `famulus memory`'s subparsers."""
    restore = actions.add_parser("restore", help="bring memory back to an earlier moment")
    group = restore.add_mutually_exclusive_group(required=True)
    group.add_argument("--at", help='a local date-time, e.g. "2026-11-20 14:00"')
    group.add_argument("--undo", action="store_true", help="undo the latest restore")
    restore.set_defaults(handler=restore_memory)
    retention = actions.add_parser("retention", help="forget episodes past the retention age")
    retention.add_argument("--days", type=int, help="override memory.retention_days")
    retention.set_defaults(handler=apply_retention)
    sync = actions.add_parser("sync", help="exchange encrypted events through a shared folder")
    sync.add_argument("folder", type=Path)
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(handler=sync_memory)


def when_ms(text: str) -> int:
    """A date-time as ms since the epoch; without a zone it is local time."""
    from memory.errors import MemoryStoreError

    try:
        when = datetime.fromisoformat(text)  # naive: .timestamp() takes it as local
    except ValueError:
        raise MemoryStoreError(f"not a date-time: {text!r} (use e.g. \"2026-11-20 14:00\")") \
            from None
    return int(when.timestamp() * 1000)


def init_memory(args: argparse.Namespace, profile: Profile) -> int:
    from memory.errors import MemoryStoreError

    root = memory_root(profile)
    if (root / "vault.json").exists():
        raise MemoryStoreError(f"memory is already set up in {root}")
    recovery = create_memory(profile, new_passphrase())
    show(args, {"memory_dir": str(root), "recovery_key": recovery},
         f"Memory is set up in {root}.\n\nRecovery key (shown once; keep it somewhere "
         f"safe, away from this computer):\n\n    {recovery}\n\nIt opens your memory if "
         "you forget the passphrase.")
    return 0


def unlock_memory(args: argparse.Namespace, profile: Profile) -> int:
    recovery = ask_secret("Recovery key: ") if args.recovery_key else None
    with opened(profile, embed=False, recovery_key=recovery) as memory:
        memory.keep_unlocked()
        if args.remember:
            memory.vault.remember(memory.key)
        stats = memory.stats()
    print(f"Memory unlocked ({stats['episodes']} episodes)"
          + ("; this device will remember the key" if args.remember else ""))
    return 0


def lock_memory(args: argparse.Namespace, profile: Profile) -> int:
    from memory.errors import VaultLocked
    from memory.vault import Vault

    vault = Vault.load(memory_root(profile) / "vault.json")
    try:
        with opened(profile, embed=False) as memory:
            memory.close(lock=True)
    except VaultLocked:
        pass  # nothing is unlocked
    if args.forget_device:
        vault.forget_device()
    print("Memory locked.")
    return 0


def change_passphrase(args: argparse.Namespace, profile: Profile) -> int:
    with opened(profile, embed=False) as memory:
        current = memory.key
        os.environ.pop("FAMULUS_PASSPHRASE", None)
        new = os.environ.get("FAMULUS_NEW_PASSPHRASE") or new_passphrase()
        check_new_passphrase(new)
        memory.vault.change_passphrase(current, new)
    print("Passphrase changed.")
    return 0


def restore_memory(args: argparse.Namespace, profile: Profile) -> int:
    with opened(profile, embed=False) as memory:
        if args.undo:
            memory.undo_restore()
            label = "Undid the last restore"
        else:
            memory.restore_to(when_ms(args.at))
            label = f"Memory restored to {args.at} (undo: famulus memory restore --undo)"
        stats = memory.stats()
    print(f"{label}; {stats['episodes']} episodes.")
    return 0


def apply_retention(args: argparse.Namespace, profile: Profile) -> int:
    from memory import hygiene, store

    days = args.days if args.days is not None else profile.settings.memory.retention_days
    with opened(profile, embed=False) as memory:
        result = hygiene.apply_retention(memory, days, store.now_ms())
    print(f"Forgot {result['forgotten']} episodes older than {days} days.")
    return 0


def sync_memory(args: argparse.Namespace, profile: Profile) -> int:
    from memory import sync

    with opened(profile, embed=False) as memory:
        result = sync.sync(memory, args.folder)
    show(args, result, f"Received {result['received']} new events, shared {result['sent']}."
         + "".join(f"\nRefused: {r}" for r in result["refused"]))
    return 0
