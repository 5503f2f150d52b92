"""The action database: the review queue, the audit log, undo records and held mail of
the tools, encrypted like the memory (SQLCipher, a key derived from the data key).

It lives beside the event log but is its own file, with no process lock: the app and a
`famulus review approve` in a terminal may use it at once (SQLite's own locking keeps the
audit chain in order). It knows nothing of tools: it stores JSON documents, blobs, and one
append-only log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3

from memory import ramdir
from memory.crypto import subkey
from memory.errors import CorruptFile
from memory.log import WriteTransaction
from memory.session import obtain_key
from memory.vault import Vault

Doc = dict[str, Any]
FILE = "actions.db"
SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
                                 PRIMARY KEY (kind, id));
CREATE TABLE IF NOT EXISTS blobs (id TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS numbers (kind TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
"""


class ActionDatabase:
    """An ActionStore (see tools.store) in one encrypted SQLite file."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.db = sqlcipher3.connect(str(path), isolation_level=None, timeout=10.0,
                                     check_same_thread=False)
        try:
            self.db.execute("PRAGMA cipher_log_level = NONE")
            self.db.execute(f"PRAGMA key = \"x'{subkey(key, 'actions').hex()}'\"")
            self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            for pragma in ("journal_mode = WAL", "synchronous = FULL", "secure_delete = ON"):
                self.db.execute(f"PRAGMA {pragma}")
            self.db.executescript(SCHEMA)
        except sqlcipher3.DatabaseError as exc:
            self.db.close()
            raise CorruptFile(f"{path} does not open with this memory's key: it is corrupt "
                              "or not Famulus's; move it aside to start a new one (the "
                              "review queue and audit log in it are then lost)") from exc
        path.chmod(0o600)

    def close(self) -> None:
        self.db.close()

    def copy_to(self, target: Path, key: bytes) -> None:
        """A consistent copy (SQLite's online backup), even while others write."""
        copy = sqlcipher3.connect(str(target))
        try:
            copy.execute("PRAGMA cipher_log_level = NONE")
            copy.execute(f"PRAGMA key = \"x'{subkey(key, 'actions').hex()}'\"")
            self.db.backup(copy)
        finally:
            copy.close()
        target.chmod(0o600)

    def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        self.db.execute(sql, args)

    def put(self, kind: str, ident: str, doc: Doc) -> None:
        self._write("INSERT OR REPLACE INTO docs VALUES (?, ?, ?)",
                    (kind, ident, json.dumps(doc, default=str)))

    def swap(self, kind: str, ident: str, expected: Doc, doc: Doc) -> bool:
        """Replace the document only if it still is `expected` (compare and set), so two
        processes cannot both approve one review item."""
        with self._immediate():
            row = self.db.execute("SELECT body FROM docs WHERE kind = ? AND id = ?",
                                  (kind, ident)).fetchone()
            if row is None or json.loads(row[0]) != expected:
                return False
            self.db.execute("UPDATE docs SET body = ? WHERE kind = ? AND id = ?",
                            (json.dumps(doc, default=str), kind, ident))
            return True

    def get(self, kind: str, ident: str) -> Doc | None:
        row = self.db.execute("SELECT body FROM docs WHERE kind = ? AND id = ?",
                              (kind, ident)).fetchone()
        return json.loads(row[0]) if row else None

    def items(self, kind: str) -> list[Doc]:
        rows = self.db.execute("SELECT body FROM docs WHERE kind = ? ORDER BY rowid", (kind,))
        return [json.loads(r[0]) for r in rows]

    def next_number(self, kind: str) -> int:
        with self._immediate():
            self.db.execute("INSERT INTO numbers VALUES (?, 1) ON CONFLICT (kind) "
                            "DO UPDATE SET n = n + 1", (kind,))
            return int(self.db.execute("SELECT n FROM numbers WHERE kind = ?",
                                       (kind,)).fetchone()[0])

    def put_blob(self, ident: str, blob: bytes) -> None:
        self._write("INSERT OR REPLACE INTO blobs VALUES (?, ?)", (ident, blob))

    def blob(self, ident: str) -> bytes | None:
        row = self.db.execute("SELECT data FROM blobs WHERE id = ?", (ident,)).fetchone()
        return bytes(row[0]) if row else None

    def append_log(self, build: Callable[[Doc | None], Doc]) -> Doc:
        """Append `build(last entry)` in one write transaction, so that two processes
        never both chain onto the same entry."""
        with self._immediate():
            row = self.db.execute("SELECT body FROM log ORDER BY seq DESC LIMIT 1").fetchone()
            doc = build(json.loads(row[0]) if row else None)
            self.db.execute("INSERT INTO log VALUES (?, ?)", (doc["seq"], json.dumps(doc)))
            return doc

    def log(self, after: int = 0, limit: int | None = None) -> list[Doc]:
        rows = self.db.execute("SELECT body FROM log WHERE seq > ? ORDER BY seq LIMIT ?",
                               (after, -1 if limit is None else limit))
        return [json.loads(r[0]) for r in rows]

    def _immediate(self) -> WriteTransaction:
        return WriteTransaction(self.db)


def open_actions(root: Path, passphrase: str | None = None) -> ActionDatabase:
    """The action database of the memory at `root`, unlocked like the memory itself."""
    vault = Vault.load(root / "vault.json")
    key = obtain_key(vault, ramdir.ram_path(vault.vault_id, root), passphrase)
    return ActionDatabase(root / FILE, key)
