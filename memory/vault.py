"""The vault: one random data key, wrapped by the passphrase, a recovery key and the keyring.

The data key never changes, so changing the passphrase only re-wraps it. The passphrase is
stretched with Argon2id; the recovery key already has 160 random bits, so HKDF is enough.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import json
import os
import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw

from memory import crypto
from memory.errors import CorruptFile, MemoryStoreError, VaultExists, VaultMissing, WrongPassphrase
from memory.files import write_atomic

KEYRING_SERVICE = "famulus-memory"
AAD = b"famulus vault key v1"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode())


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: RFC 9106's second recommendation (64 MiB, 3 passes)."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 2

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        return hash_secret_raw(passphrase.encode(), salt, self.time_cost, self.memory_kib,
                               self.parallelism, crypto.KEY_BYTES, Type.ID)


def new_recovery_key() -> str:
    """20 random bytes as 8 groups of base32, e.g. ABCD-EFGH-…; shown once."""
    text = base64.b32encode(secrets.token_bytes(20)).decode()
    return "-".join(text[i:i + 4] for i in range(0, 32, 4))


def _recovery_kek(recovery_key: str, salt: bytes) -> bytes:
    normalised = recovery_key.replace("-", "").replace(" ", "").upper()
    return crypto.subkey(normalised.encode() + salt, "recovery")


@dataclass
class Vault:
    """The wrapped keys in `vault.json`; `unlock` returns the data key."""

    path: Path
    vault_id: str
    kdf: KdfParams
    wraps: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def create(cls, path: Path, passphrase: str, kdf: KdfParams | None = None
               ) -> tuple[Vault, bytes, str]:
        """A new vault: returns it, the data key and the recovery key (show it once)."""
        if path.exists():
            raise VaultExists(f"memory is already set up here ({path})")
        if not passphrase:
            raise MemoryStoreError("the passphrase is empty")
        vault = cls(path, uuid.uuid4().hex, kdf or KdfParams())
        key, recovery = crypto.new_key(), new_recovery_key()
        vault.wraps["check"] = {"mac": _b64(vault._mac(key))}
        vault._wrap_passphrase(key, passphrase)
        salt = os.urandom(16)
        wrapped = crypto.seal(_recovery_kek(recovery, salt), key, AAD)
        vault.wraps["recovery"] = {"salt": _b64(salt), "key": _b64(wrapped)}
        vault.save()
        return vault, key, recovery

    @classmethod
    def load(cls, path: Path) -> Vault:
        if not path.exists():
            raise VaultMissing("memory is not set up yet: run `famulus memory init`")
        try:
            data = json.loads(path.read_text())
            return cls(path, data["vault_id"], KdfParams(**data["kdf"]), data["wraps"])
        except (ValueError, KeyError, TypeError) as exc:
            raise CorruptFile(f"{path} is not a Famulus vault file") from exc

    def save(self) -> None:
        data = {"version": 1, "vault_id": self.vault_id, "kdf": self.kdf.__dict__,
                "wraps": self.wraps}
        write_atomic(self.path, json.dumps(data, indent=2).encode())

    def _mac(self, key: bytes) -> bytes:
        return hmac.new(crypto.subkey(key, "check"), self.vault_id.encode(), "sha256").digest()

    def fits(self, key: bytes) -> bool:
        """Whether `key` is this vault's data key (for keys from the keyring or a session)."""
        return hmac.compare_digest(self._mac(key), _unb64(self.wraps["check"]["mac"]))

    def _wrap_passphrase(self, key: bytes, passphrase: str) -> None:
        salt = os.urandom(16)
        wrapped = crypto.seal(self.kdf.derive(passphrase, salt), key, AAD)
        self.wraps["passphrase"] = {"salt": _b64(salt), "key": _b64(wrapped)}

    def unlock(self, passphrase: str) -> bytes:
        """The data key, or WrongPassphrase; nothing is written either way."""
        wrap = self.wraps["passphrase"]
        kek = self.kdf.derive(passphrase, _unb64(wrap["salt"]))
        key = crypto.try_open(kek, _unb64(wrap["key"]), AAD)
        if key is None:
            raise WrongPassphrase("wrong passphrase: the memory stays locked")
        return key

    def unlock_with_recovery(self, recovery_key: str) -> bytes:
        wrap = self.wraps["recovery"]
        key = crypto.try_open(_recovery_kek(recovery_key, _unb64(wrap["salt"])),
                              _unb64(wrap["key"]), AAD)
        if key is None:
            raise WrongPassphrase("that recovery key does not open this memory")
        return key

    def change_passphrase(self, key: bytes, new_passphrase: str) -> None:
        """Re-wrap the data key; the encrypted data is untouched."""
        if not new_passphrase:
            raise MemoryStoreError("the new passphrase is empty")
        self._wrap_passphrase(key, new_passphrase)
        self.save()

    # "Remember on this device": the data key in the OS keyring.
    def remember(self, key: bytes) -> None:
        _keyring().set_password(KEYRING_SERVICE, self.vault_id, _b64(key))

    def forget_device(self) -> None:
        kr = _keyring()
        with contextlib.suppress(kr.errors.PasswordDeleteError):
            kr.delete_password(KEYRING_SERVICE, self.vault_id)

    def remembered_key(self) -> bytes | None:
        """The key from the keyring, when this device remembers it and it still fits."""
        try:
            stored = _keyring().get_password(KEYRING_SERVICE, self.vault_id)
        except Exception:  # no keyring, or any backend failure: "not remembered"
            return None
        key = _unb64(stored) if stored else None
        return key if key and self.fits(key) else None


def _keyring() -> Any:
    import keyring
    from keyring.backends import fail

    if isinstance(keyring.get_keyring(), fail.Keyring):
        raise MemoryStoreError("no OS keyring is available on this machine, so it cannot "
                               "remember the memory key; give the passphrase instead")
    return keyring
