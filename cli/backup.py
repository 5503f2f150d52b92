"""`famulus backup create|verify|restore DIR`: encrypted, checksummed backups of memory."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from app.build_memory import memory_root
from app.profile import Profile
from cli.memory import opened, show
from cli.prompts import ask_secret


def register(sub: Any) -> None:
    bk = sub.add_parser("backup", help="encrypted backups of memory")
    actions = bk.add_subparsers(dest="backup_command", required=True, metavar="ACTION")
    for action, text in (("create", "write a backup into a new or empty folder"),
                         ("verify", "check a backup's checksums (and that it opens)"),
                         ("restore", "replace memory with a backup (the old one is kept)")):
        parser = actions.add_parser(action, help=text)
        parser.add_argument("folder", type=Path)
        parser.add_argument("--json", action="store_true")
        if action != "create":
            parser.add_argument("--recovery-key", action="store_true",
                                help="use the recovery key instead of the passphrase")
    bk.set_defaults(handler=run_backup)


def run_backup(args: argparse.Namespace, profile: Profile) -> int:
    from memory import backup

    folder: Path = args.folder
    if args.backup_command == "create":
        with opened(profile, embed=False) as memory:
            manifest = backup.create(memory, folder)
        show(args, manifest, f"Backup written to {folder} ({manifest['events']} events).")
        return 0
    recovery = ask_secret("Recovery key: ") if args.recovery_key else None
    passphrase = None if recovery else (os.environ.get("FAMULUS_PASSPHRASE")
                                        or ask_secret("Backup passphrase: "))
    if args.backup_command == "verify":
        report = backup.verify(folder, backup.backup_key(folder, passphrase, recovery))
        show(args, report, f"The backup in {folder} is intact ({report['events']} events).")
        return 0
    report = backup.restore(folder, memory_root(profile), passphrase, recovery)
    moved = report["previous_memory_moved_to"]
    show(args, report, f"Memory restored from {folder}."
         + (f" The previous memory was kept in {moved}." if moved else ""))
    return 0
