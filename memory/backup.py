"""Backups: the encrypted log, the vault and the sealed snapshot, with a signed manifest.

Everything in a backup is already encrypted; the manifest lists each file's sha256 and is
itself authenticated with a key derived from the data key, so `verify` detects any change.
A restore moves the current memory aside (nothing is deleted) before copying in.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import time
from pathlib import Path
from typing import Any

from memory import crypto, ramdir
from memory.errors import CorruptFile, MemoryStoreError
from memory.files import sync_dir, write_atomic
from memory.log import EventLog
from memory.vault import Vault

MANIFEST = "manifest.json"
FILES = ("vault.json", "events.db", "snapshots/stores.snap")
ACTIONS = "actions.db"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        for block in iter(lambda: src.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _mac(key: bytes, files: dict[str, Any]) -> str:
    body = json.dumps(files, sort_keys=True).encode()
    return hmac.new(crypto.subkey(key, "backup"), body, "sha256").hexdigest()


def create(memory: Any, dest: Path) -> dict[str, Any]:
    """Write a backup of an open memory into `dest` (new or empty)."""
    if dest.exists() and any(dest.iterdir()):
        raise MemoryStoreError(f"{dest} is not empty: give a new or empty folder")
    memory.log.verify()  # never back up a damaged log over a good backup
    memory.seal()
    memory.log.checkpoint()
    root = memory.paths.root
    files: dict[str, Any] = {}
    for name in FILES:
        source = root / name
        if not source.exists():
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copyfile(source, target)
        target.chmod(0o600)
        files[name] = {"sha256": _sha256(target), "bytes": target.stat().st_size}
    actions = root / ACTIONS
    if actions.exists():  # the review queue and audit log, copied consistently
        from memory.actions import ActionDatabase

        db = ActionDatabase(actions, memory.key)
        try:
            db.copy_to(dest / ACTIONS, memory.key)
        finally:
            db.close()
        files[ACTIONS] = {"sha256": _sha256(dest / ACTIONS),
                          "bytes": (dest / ACTIONS).stat().st_size}
    manifest = {"version": 1, "created": time.time(), "vault_id": memory.vault.vault_id,
                "log_id": memory.log.log_id, "events": sum(memory.log.count().values()),
                "files": files, "mac": _mac(memory.key, files)}
    write_atomic(dest / MANIFEST, json.dumps(manifest, indent=2).encode())
    sync_dir(dest)
    return manifest


def verify(folder: Path, key: bytes | None = None) -> dict[str, Any]:
    """Check a backup's files against its manifest (and, with the key, that it opens)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        files = manifest["files"]
    except (OSError, ValueError, KeyError) as exc:
        raise CorruptFile(f"{folder} has no readable backup manifest") from exc
    problems = []
    for name, entry in files.items():
        path = folder / name
        if not path.exists():
            problems.append(f"{name} is missing")
        elif _sha256(path) != entry["sha256"]:
            problems.append(f"{name} does not match its checksum")
    if "events.db" not in files or "vault.json" not in files:
        problems.append("the backup lacks the event log or the vault")
    if key is not None and not problems:
        if not hmac.compare_digest(_mac(key, files), manifest.get("mac", "")):
            problems.append("the manifest was changed after the backup was made")
        else:
            log = EventLog(folder / "events.db", crypto.subkey(key, "log"))
            try:
                log.verify()
            finally:
                log.close()
    if problems:
        raise CorruptFile(f"the backup in {folder} is damaged: " + "; ".join(problems))
    return {"ok": True, "folder": str(folder), "events": manifest.get("events"),
            "created": manifest.get("created"), "files": files,
            "opened_with_key": key is not None}


def backup_key(folder: Path, passphrase: str | None, recovery_key: str | None) -> bytes:
    """The data key, unwrapped from the backup's own vault file."""
    vault = Vault.load(folder / "vault.json")
    if recovery_key:
        return vault.unlock_with_recovery(recovery_key)
    if passphrase is None:
        raise MemoryStoreError("give the backup's passphrase (FAMULUS_PASSPHRASE or the "
                               "prompt) or its recovery key")
    return vault.unlock(passphrase)


def _wipe_unlocked(vault_id: str, root: Path) -> None:
    folder = ramdir.ram_path(vault_id, root)
    if folder is not None:
        ramdir.wipe(folder)


def restore(folder: Path, root: Path, passphrase: str | None = None,
            recovery_key: str | None = None) -> dict[str, Any]:
    """Verify a backup, move the current memory aside, and put the backup in its place."""
    key = backup_key(folder, passphrase, recovery_key)
    report = verify(folder, key)
    moved = None
    if root.exists() and any(p.name != "device_id" for p in root.iterdir()):
        moved = root.with_name(f"{root.name}.replaced-{time.strftime('%Y%m%d-%H%M%S')}")
        old_vault = root / "vault.json"
        if old_vault.exists():
            _wipe_unlocked(Vault.load(old_vault).vault_id, root)
        root.rename(moved)
        root.mkdir(mode=0o700)
        if (moved / "device_id").exists():
            shutil.copyfile(moved / "device_id", root / "device_id")
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    for name in report["files"]:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copyfile(folder / name, target)
        target.chmod(0o600)
    _wipe_unlocked(Vault.load(root / "vault.json").vault_id, root)
    sync_dir(root)
    report["previous_memory_moved_to"] = str(moved) if moved else None
    return report
