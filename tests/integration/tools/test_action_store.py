"""The encrypted action database behind the review queue and audit log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from memory.actions import ActionDatabase
from memory.errors import CorruptFile
from tests.tool_helpers import make_service
from tools.audit import AuditLog
from tools.gate import ToolCall

KEY, OTHER = os.urandom(32), os.urandom(32)
CANARY = "canary-7f3a9c-do-not-leak"
WRITER = """
import sys
from memory.actions import ActionDatabase
from tools.audit import AuditLog
db = ActionDatabase(__import__('pathlib').Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
log = AuditLog(db)
for n in range(150):
    log.record(f"{sys.argv[3]}{n}", "decided", tool="file_read")
db.close()
"""


def test_review_queue_and_audit_survive_a_restart_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "actions.db"
    db = ActionDatabase(path, KEY)
    service = make_service(tmp_path, level=0, store=db)
    waiting = service.call(ToolCall("notes_write", {"title": "t", "text": CANARY}))
    db.close()

    db = ActionDatabase(path, KEY)  # a new process would see the same
    service = make_service(tmp_path, level=0, store=db)
    assert [i.id for i in service.pending()] == [waiting.review_id]
    assert service.approve(waiting.review_id).status == "done"
    assert service.audit.verify() == 3
    db.close()
    for file in tmp_path.glob("actions.db*"):
        assert CANARY.encode() not in file.read_bytes()
    assert CANARY in (tmp_path / "notes" / "t.md").read_text()


def test_wrong_key_and_garbage_are_clear_errors(tmp_path: Path) -> None:
    ActionDatabase(tmp_path / "actions.db", KEY).close()
    with pytest.raises(CorruptFile, match="does not open with this memory's key"):
        ActionDatabase(tmp_path / "actions.db", OTHER)
    (tmp_path / "junk.db").write_bytes(b"garbage" * 1000)
    with pytest.raises(CorruptFile):
        ActionDatabase(tmp_path / "junk.db", KEY)


@pytest.mark.slow
def test_two_processes_appending_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "actions.db"
    ActionDatabase(path, KEY).close()
    root = Path(__file__).resolve().parents[3]
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), KEY.hex(), tag],
                              cwd=root) for tag in ("X", "Y")]
    assert [p.wait(120) for p in procs] == [0, 0]
    db = ActionDatabase(path, KEY)
    assert AuditLog(db).verify() == 300
    db.close()


def test_an_item_is_approved_once_even_from_two_places(tmp_path: Path) -> None:
    from tools.errors import ReviewError
    from tools.review import Status

    first = ActionDatabase(tmp_path / "actions.db", KEY)
    second = ActionDatabase(tmp_path / "actions.db", KEY)
    waiting = make_service(tmp_path, level=0, store=first).call(ToolCall("file_list", {}))
    here = make_service(tmp_path, level=0, store=first).queue
    there = make_service(tmp_path, level=0, store=second).queue
    item = there.get(waiting.review_id)
    here.decide(waiting.review_id, Status.APPROVED)
    before = item.to_dict()
    item.status = Status.DENIED
    assert not second.swap("review", item.id, before, item.to_dict())
    with pytest.raises(ReviewError, match="already approved"):
        there.decide(waiting.review_id, Status.DENIED)
    first.close()
    second.close()
