"""A private folder in RAM for the unlocked stores, so their plaintext never hits disk."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from memory.errors import MemoryStoreError


def ram_base() -> Path | None:
    """$XDG_RUNTIME_DIR (per-user tmpfs) or /dev/shm; None where neither exists."""
    override = os.environ.get("FAMULUS_RAM_DIR")
    candidates = [override] if override else [os.environ.get("XDG_RUNTIME_DIR"), "/dev/shm"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir() and os.access(candidate, os.W_OK):
            return Path(candidate)
    return None


def ram_path(vault_id: str, root: Path) -> Path | None:
    """Where the memory in `root` is unlocked, without creating anything."""
    base = ram_base()
    if base is None:
        return None
    where = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:8]
    return base / f"famulus-{os.getuid()}-{vault_id[:12]}-{where}"


def ram_folder(vault_id: str, root: Path) -> Path:
    """The private RAM folder of the memory in `root` (mode 0700, ours), created if missing.

    Named by vault and by folder, so two copies of one vault (a restored backup, a second
    replica) never share unlocked stores.
    """
    folder = ram_path(vault_id, root)
    if folder is None:
        raise MemoryStoreError("no RAM-backed folder ($XDG_RUNTIME_DIR or /dev/shm) exists "
                               "here, so memory cannot be unlocked without writing "
                               "plaintext to disk; set FAMULUS_RAM_DIR to a tmpfs folder")
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise MemoryStoreError(f"{folder} is not private to this user; remove it and retry")
    return folder


def wipe(folder: Path) -> None:
    """Remove the folder (RAM pages are freed; nothing lingers on a disk)."""
    shutil.rmtree(folder, ignore_errors=True)
