from pathlib import Path

import pytest

from memory.errors import VaultExists, VaultMissing, WrongPassphrase
from memory.vault import Vault
from tests.memory_helpers import FAST_KDF


def test_the_passphrase_and_the_recovery_key_open_the_same_data_key(tmp_path: Path) -> None:
    _vault, key, recovery = Vault.create(tmp_path / "vault.json", "pw", FAST_KDF)
    loaded = Vault.load(tmp_path / "vault.json")
    assert loaded.unlock("pw") == key
    assert loaded.unlock_with_recovery(recovery.lower()) == key
    assert loaded.fits(key) and not loaded.fits(bytes(32))


def test_a_wrong_passphrase_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    Vault.create(tmp_path / "vault.json", "pw", FAST_KDF)
    before = (tmp_path / "vault.json").read_bytes()
    with pytest.raises(WrongPassphrase):
        Vault.load(tmp_path / "vault.json").unlock("nope")
    with pytest.raises(WrongPassphrase):
        Vault.load(tmp_path / "vault.json").unlock_with_recovery("AAAA-BBBB")
    assert (tmp_path / "vault.json").read_bytes() == before


def test_changing_the_passphrase_rewraps_the_same_key(tmp_path: Path) -> None:
    vault, key, _ = Vault.create(tmp_path / "vault.json", "old", FAST_KDF)
    vault.change_passphrase(key, "new")
    loaded = Vault.load(tmp_path / "vault.json")
    assert loaded.unlock("new") == key
    with pytest.raises(WrongPassphrase):
        loaded.unlock("old")


def test_init_twice_and_a_missing_vault_are_clear_errors(tmp_path: Path) -> None:
    Vault.create(tmp_path / "vault.json", "pw", FAST_KDF)
    with pytest.raises(VaultExists):
        Vault.create(tmp_path / "vault.json", "pw", FAST_KDF)
    with pytest.raises(VaultMissing, match="famulus memory init"):
        Vault.load(tmp_path / "other.json")
