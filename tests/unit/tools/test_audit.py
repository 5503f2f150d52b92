"""The audit log: a hash chain that shows tampering; arguments redacted."""

from __future__ import annotations

import pytest

from tools.audit import AuditLog, redact
from tools.errors import AuditTampered
from tools.store import VolatileStore


def test_chain_verifies_and_shows_tampering() -> None:
    store = VolatileStore()
    audit = AuditLog(store)
    for n in range(5):
        audit.record(f"A{n}", "decided", tool="file_read", arguments={"path": f"{n}.txt"})
    assert audit.verify() == 5
    store._log[2]["arguments"] = {"path": "other.txt"}
    with pytest.raises(AuditTampered, match="entry 3 was changed"):
        audit.verify()
    store._log[2]["arguments"] = {"path": "2.txt"}
    assert audit.verify() == 5
    del store._log[1]
    with pytest.raises(AuditTampered, match="entry 2 is missing"):
        audit.verify()


def test_redaction() -> None:
    long = "x" * 500
    out = redact({"password": "hunter2", "api_key": "k", "body": long,
                  "nested": [{"token": "t"}], "path": "a.txt"}, ("path",))
    assert out["password"] == out["api_key"] == out["path"] == "[redacted]"
    assert out["nested"][0]["token"] == "[redacted]"
    assert "500 chars" in out["body"] and len(out["body"]) < 150
