"""Opening the profile's encrypted memory with the engine and embedder its settings name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.errors import AgentError, Limitation, NextStep
from app.build_inference import embedder
from app.profile import Profile

if TYPE_CHECKING:  # memory pulls in LanceDB (~1 s): only commands that use it import it
    from memory.store import Memory


def memory_root(profile: Profile) -> Path:
    """Where the encrypted memory lives: `<data>/memory`."""
    return profile.paths.data_dir / "memory"


def open_memory(profile: Profile, embed: bool = True, **kwargs: Any) -> Memory:
    """Unlock the profile's memory with the graph engine and embedder its settings name."""
    from memory.store import Memory

    embedding = embedder(profile)
    default = profile.settings.models.embedding == "default"
    return Memory.open(memory_root(profile), embed=embedding.embed if embed else None,
                       engine=profile.settings.memory.graph_engine,
                       keyword_weight=profile.settings.memory.keyword_weight,
                       dim=384 if default else embedding.dimension, **kwargs)


def memory_needs(profile: Profile) -> str:
    """What opening the memory needs: "setup" (no vault yet), "passphrase", or "nothing"
    (a session key in RAM, a remembered device, or FAMULUS_PASSPHRASE)."""
    from memory import ramdir
    from memory.errors import VaultLocked, WrongPassphrase
    from memory.session import obtain_key
    from memory.vault import Vault

    root = memory_root(profile)
    if not (root / "vault.json").exists():
        return "setup"
    vault = Vault.load(root / "vault.json")
    try:
        obtain_key(vault, ramdir.ram_path(vault.vault_id, root), None, None)
    except (VaultLocked, WrongPassphrase):
        return "passphrase"
    return "nothing"


def open_for_session(profile: Profile, limits: list[Limitation],
                     passphrase: str | None = None,
                     ask_passphrase: Callable[[], str] | None = None) -> Memory | None:
    """The memory for a session that can run without it: opened with `passphrase` (a
    wrong one raises), or what is at hand, or by asking `ask_passphrase`; otherwise None,
    with the reason added to `limits`."""
    from memory.errors import MemoryBusy, VaultLocked, VaultMissing

    if passphrase is not None:
        return open_memory(profile, passphrase=passphrase)
    if not (memory_root(profile) / "vault.json").exists():
        limits.append(Limitation("memory is not set up: answering without it",
                                 NextStep.SET_UP_MEMORY))
        return None
    try:
        return open_memory(profile)
    except VaultLocked:
        if ask_passphrase is None:
            limits.append(Limitation("memory is locked: answering without memory and tools",
                                     NextStep.UNLOCK_MEMORY))
            return None
        return open_memory(profile, passphrase=ask_passphrase())
    except (MemoryBusy, VaultMissing) as exc:
        limits.append(Limitation(f"{exc}: answering without memory and tools"))
        return None


MIN_PASSPHRASE = 8  # the window, the terminal and `famulus memory init` alike


def check_new_passphrase(passphrase: str) -> None:
    """AgentError unless `passphrase` is long enough to protect the memory."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise AgentError(f"the passphrase must have at least {MIN_PASSPHRASE} characters; "
                         "nothing was changed")


def create_memory(profile: Profile, passphrase: str) -> str:
    """Set up a new encrypted memory; its recovery key (to show once)."""
    from memory import store

    check_new_passphrase(passphrase)
    return store.init(memory_root(profile), passphrase)


def backup_to(memory: Memory, folder: Path) -> dict[str, Any]:
    """An encrypted, checksummed backup of `memory` in `folder` (new or empty)."""
    from memory import backup

    return backup.create(memory, folder)


def restore_backup(profile: Profile, folder: Path, secret: str) -> dict[str, Any]:
    """Replace the profile's (locked) memory with the backup in `folder`, opened with its
    passphrase or its recovery key, whichever `secret` is; the old memory is moved aside
    (the report says where). A backup that does not open changes nothing."""
    from memory import backup

    passphrase, recovery = _which_secret(folder, secret)
    return backup.restore(folder, memory_root(profile), passphrase, recovery)


def check_backup_secret(folder: Path, secret: str) -> None:
    """WrongPassphrase (or another MemoryStoreError) unless `secret` opens the backup."""
    _which_secret(folder, secret)


def _which_secret(folder: Path, secret: str) -> tuple[str | None, str | None]:
    """(passphrase, None) or (None, recovery key): whichever opens the backup."""
    from memory import backup
    from memory.errors import WrongPassphrase

    try:
        backup.backup_key(folder, secret, None)
        return secret, None
    except WrongPassphrase:
        try:
            backup.backup_key(folder, None, secret)
        except (WrongPassphrase, ValueError):
            raise WrongPassphrase("that is neither the backup's passphrase nor its "
                                  "recovery key") from None
        return None, secret
