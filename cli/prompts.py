"""Asking the person at a terminal for a secret: a passphrase, a recovery key, a key.

Prompts happen only here, never below the command line: the app is handed `ask_passphrase`
(or None where nobody can answer, e.g. when standard input is a pipe)."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable

from memory.errors import MemoryStoreError, VaultLocked


def ask_secret(prompt: str) -> str:
    """A secret from the terminal (not echoed), or a line from a pipe."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    if not line:
        raise VaultLocked("memory is locked and no passphrase was given (set "
                          "FAMULUS_PASSPHRASE or run in a terminal)")
    return line.rstrip("\n")


def passphrase_asker() -> Callable[[], str] | None:
    """What asks for the memory's passphrase: getpass at a terminal, else None (a locked
    memory is then an error, or a session without memory)."""
    if not sys.stdin.isatty():
        return None
    return lambda: getpass.getpass("Memory passphrase: ")


def new_passphrase() -> str:
    """A new passphrase of at least 8 characters: FAMULUS_PASSPHRASE, or typed twice at a
    terminal."""
    from app.build_memory import check_new_passphrase

    env = os.environ.get("FAMULUS_PASSPHRASE")
    if env:
        check_new_passphrase(env)
        return env
    first = ask_secret("New passphrase (at least 8 characters): ")
    check_new_passphrase(first)
    if sys.stdin.isatty() and ask_secret("Repeat it: ") != first:
        raise MemoryStoreError("the two passphrases differ; nothing was changed")
    return first
