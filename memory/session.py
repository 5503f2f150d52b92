"""Getting the data key: from an unlocked session, the keyring, or a passphrase.

`famulus memory unlock` keeps the key beside the unsealed stores in the private RAM folder
(like an ssh-agent), so later commands in the same login need no passphrase; `lock` seals
the stores and wipes the folder. Nothing of it survives a reboot.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from memory.errors import MemoryBusy, VaultLocked
from memory.files import write_atomic
from memory.ramdir import SESSION_FILE
from memory.vault import Vault


def session_key(ram: Path, vault: Vault) -> bytes | None:
    path = ram / SESSION_FILE
    try:
        key = bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        return None
    return key if vault.fits(key) else None


def keep_session(ram: Path, key: bytes) -> None:
    write_atomic(ram / SESSION_FILE, key.hex().encode())


def obtain_key(vault: Vault, ram: Path | None, passphrase: str | None = None,
               recovery_key: str | None = None) -> bytes:
    """The data key from the first source that has it; VaultLocked when none does."""
    if passphrase is not None:
        return vault.unlock(passphrase)
    if recovery_key is not None:
        return vault.unlock_with_recovery(recovery_key)
    env = os.environ.get("FAMULUS_PASSPHRASE")
    if env is not None:
        return vault.unlock(env)
    key = (session_key(ram, vault) if ram else None) or vault.remembered_key()
    if key is None:
        raise VaultLocked("memory is locked: run `famulus memory unlock` (or set "
                          "FAMULUS_PASSPHRASE for scripts)")
    return key


@contextlib.contextmanager
def exclusive(lock_path: Path, wait_s: float = 15.0) -> Iterator[None]:
    """Hold the memory for this process; another process waits, then gets MemoryBusy."""
    lock_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise MemoryBusy("another Famulus process is using the memory; close "
                                     "it or wait until it finishes") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)

