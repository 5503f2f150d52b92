"""A private folder in RAM for the unlocked stores, so their plaintext never hits disk,
and never outlives the process that unlocked it: the folder names its owner, and a folder
whose owner is gone (killed, crashed) is wiped by the next Famulus that starts, unless a
`famulus memory unlock` session keeps it on purpose."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
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


OWNER_FILE, SESSION_FILE = "owner", "session.key"
YOUNG_S = 60.0  # a folder being set up has no owner yet


def _started(pid: int) -> str | None:
    """When process `pid` started (its start time in clock ticks), or None if it is gone;
    with the pid it names one process even after the pid is reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def claim(folder: Path) -> None:
    """Name this process as the folder's owner."""
    (folder / OWNER_FILE).write_text(f"{os.getpid()} {_started(os.getpid()) or ''}")


def _owner_alive(folder: Path) -> bool:
    try:
        pid, _, started = (folder / OWNER_FILE).read_text().partition(" ")
    except OSError:  # no owner yet: being set up now, or left by an older version
        return time.time() - folder.stat().st_mtime < YOUNG_S
    try:
        return _started(int(pid)) == started.strip()
    except ValueError:
        return False


def sweep(base: Path | None = None) -> list[Path]:
    """Wipe this user's RAM folders whose owner is gone and that no unlock session keeps;
    the folders wiped."""
    base = base or ram_base()
    if base is None:
        return []
    wiped = []
    for folder in base.glob(f"famulus-{os.getuid()}-*"):
        with contextlib.suppress(OSError):
            if folder.is_dir() and not (folder / SESSION_FILE).exists() and \
                    not _owner_alive(folder):
                wipe(folder)
                wiped.append(folder)
    return wiped
