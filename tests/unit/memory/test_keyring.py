"""'Remember on this device': the data key in the OS keyring, checked before use."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from memory.errors import MemoryStoreError
from memory.session import obtain_key
from memory.vault import Vault
from tests.memory_helpers import FAST_KDF


class DictKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def fake_keyring() -> DictKeyring:
    previous = keyring.get_keyring()
    backend = DictKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_a_remembered_key_unlocks_without_a_passphrase(tmp_path: Path,
                                                       fake_keyring: DictKeyring,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAMULUS_PASSPHRASE", raising=False)
    vault, key, _ = Vault.create(tmp_path / "vault.json", "pw", FAST_KDF)
    vault.remember(key)
    assert obtain_key(vault, None) == key
    vault.forget_device()
    with pytest.raises(MemoryStoreError, match="memory is locked"):
        obtain_key(vault, None)


def test_a_wrong_key_in_the_keyring_is_ignored(tmp_path: Path, fake_keyring: DictKeyring,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAMULUS_PASSPHRASE", raising=False)
    vault, _, _ = Vault.create(tmp_path / "vault.json", "pw", FAST_KDF)
    fake_keyring.set_password("famulus-memory", vault.vault_id, "AAAA" * 11)
    with pytest.raises(MemoryStoreError, match="memory is locked"):
        obtain_key(vault, None)
