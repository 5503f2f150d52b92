"""Backups: verified by checksum, restorable elsewhere with the passphrase or recovery key."""

from __future__ import annotations

from pathlib import Path

import pytest

from memory import backup
from memory.errors import CorruptFile, MemoryStoreError, WrongPassphrase
from tests.memory_helpers import PASSPHRASE, create, open_memory


def test_backup_restores_on_another_machine_with_the_recovery_key(tmp_path: Path) -> None:
    root = tmp_path / "laptop" / "memory"
    recovery = create(root)
    with open_memory(root) as memory:
        ids = {memory.add_episode(f"note {i}").id for i in range(5)}
        memory.assert_fact("Ann", "likes", "tea")
        backup.create(memory, tmp_path / "backup")
    assert backup.verify(tmp_path / "backup")["ok"]
    other = tmp_path / "desktop" / "memory"
    report = backup.restore(tmp_path / "backup", other, recovery_key=recovery)
    assert report["previous_memory_moved_to"] is None
    with open_memory(other) as memory:
        assert memory.stores.episodic.ids() == ids
        assert memory.facts("ann")[0].object == "tea"


def test_restore_keeps_the_memory_it_replaces(tmp_path: Path) -> None:
    root = tmp_path / "memory"
    create(root)
    with open_memory(root) as memory:
        memory.add_episode("old")
        backup.create(memory, tmp_path / "backup")
        memory.add_episode("newer than the backup")
    report = backup.restore(tmp_path / "backup", root, passphrase=PASSPHRASE)
    moved = Path(report["previous_memory_moved_to"])
    assert (moved / "events.db").exists()
    with open_memory(root) as memory:
        assert memory.stores.episodic.count() == 1


def test_damaged_backups_and_wrong_keys_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "memory"
    create(root)
    with open_memory(root) as memory:
        memory.add_episode("note")
        backup.create(memory, tmp_path / "backup")
        with pytest.raises(MemoryStoreError, match="not empty"):
            backup.create(memory, tmp_path / "backup")
    with pytest.raises(WrongPassphrase):
        backup.restore(tmp_path / "backup", tmp_path / "elsewhere", passphrase="nope")
    log = tmp_path / "backup" / "events.db"
    data = bytearray(log.read_bytes())
    data[-10] ^= 1
    log.write_bytes(bytes(data))
    with pytest.raises(CorruptFile, match=r"events\.db does not match"):
        backup.verify(tmp_path / "backup")
    with pytest.raises(CorruptFile):
        backup.restore(tmp_path / "backup", root, passphrase=PASSPHRASE)
    with open_memory(root) as memory:  # the live memory was not touched
        assert memory.stores.episodic.count() == 1


def test_backups_carry_the_review_queue_and_audit_log(tmp_path: Path) -> None:
    from memory.actions import ActionDatabase
    from tools.audit import AuditLog

    root = tmp_path / "memory"
    recovery = create(root)
    with open_memory(root) as memory:
        db = ActionDatabase(root / "actions.db", memory.key)
        for n in range(3):
            AuditLog(db).record(f"A{n}", "decided", tool="file_list")
        db.put("review", "R1", {"id": "R1", "status": "pending"})
        backup.create(memory, tmp_path / "backup")  # while the database is open
        db.close()
    other = tmp_path / "other" / "memory"
    backup.restore(tmp_path / "backup", other, recovery_key=recovery)
    with open_memory(other) as memory:
        restored = ActionDatabase(other / "actions.db", memory.key)
        assert AuditLog(restored).verify() == 3
        assert restored.get("review", "R1") == {"id": "R1", "status": "pending"}
        restored.close()
