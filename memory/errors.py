"""Memory's errors: each is an expected failure with a message a person can act on."""

from __future__ import annotations


class MemoryStoreError(Exception):
    """An expected failure of the memory layer, with a user-facing message."""


class VaultMissing(MemoryStoreError):
    """No vault has been created in this data dir yet."""


class VaultExists(MemoryStoreError):
    """`init` was asked for where a vault already is."""


class WrongPassphrase(MemoryStoreError):
    """The passphrase or recovery key does not open the vault."""


class VaultLocked(MemoryStoreError):
    """The vault is locked and no passphrase was given."""


class CorruptFile(MemoryStoreError):
    """A memory file is truncated, tampered with, or not ours."""


class MemoryBusy(MemoryStoreError):
    """Another Famulus process holds the memory."""


class ImportFormatError(MemoryStoreError):
    """An import file does not follow the documented conversation format."""


class NotFound(MemoryStoreError):
    """No memory item has the given id."""
