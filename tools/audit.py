"""The audit log: every decision, result and undo, append-only and hash-chained.

Each entry carries the hash of the one before it, so changing or removing any entry
breaks every hash after it, and `verify` names the first broken one. Arguments are
redacted before they are written: secrets never reach the log, long texts appear as their
length and hash.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from typing import Any

from tools.errors import AuditTampered
from tools.store import ActionStore, Doc

GENESIS = "0" * 64
SECRET_NAMES = re.compile(r"pass|secret|token|api_?key|auth|credential", re.I)
LONG_TEXT = 200


def redact(arguments: Any, names: tuple[str, ...] = ()) -> Any:
    """The arguments as the audit log keeps them."""
    if isinstance(arguments, dict):
        return {k: "[redacted]" if (k in names or SECRET_NAMES.search(str(k)))
                else redact(v) for k, v in arguments.items()}
    if isinstance(arguments, list):
        return [redact(v) for v in arguments]
    if isinstance(arguments, str) and len(arguments) > LONG_TEXT:
        digest = hashlib.sha256(arguments.encode()).hexdigest()[:16]
        return f"{arguments[:80]}… ({len(arguments)} chars, sha256 {digest})"
    if isinstance(arguments, bytes):
        return f"({len(arguments)} bytes)"
    return arguments


def _digest(entry: Doc) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str,
                                     ensure_ascii=False).encode()).hexdigest()


class AuditLog:
    """Appends chained entries to an ActionStore and checks the chain."""

    def __init__(self, store: ActionStore) -> None:
        self.store = store

    def record(self, action_id: str, event: str, **fields: Any) -> Doc:
        """Append one entry: `event` is decided, result, undone, approved, denied…"""

        def build(previous: Doc | None) -> Doc:
            entry = {"seq": (previous["seq"] + 1) if previous else 1,
                     "time": time.time(), "action": action_id, "event": event,
                     **json.loads(json.dumps(fields, default=str)),
                     "prev": previous["hash"] if previous else GENESIS}
            entry["hash"] = _digest(entry)
            return entry

        return self.store.append_log(build)

    def entries(self, action_id: str | None = None, limit: int | None = None) -> list[Doc]:
        docs = self.store.log()
        if action_id:
            docs = [d for d in docs if d["action"] == action_id]
        return docs[-limit:] if limit else docs

    def verify(self) -> int:
        """The number of entries if the chain is whole; AuditTampered otherwise."""
        previous, count = GENESIS, 0
        for count, entry in enumerate(self.store.log(), start=1):
            if entry.get("seq") != count:
                raise AuditTampered(f"audit entry {count} is missing or out of order")
            if entry.get("prev") != previous or _digest(entry) != entry.get("hash"):
                raise AuditTampered(f"audit entry {count} was changed: the hash chain "
                                    "breaks there")
            previous = entry["hash"]
        return count
