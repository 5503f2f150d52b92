"""The event log: the one durable copy of memory, an append-only SQLCipher database.

Opened with the raw 256-bit key (SQLCipher skips its PBKDF2 then), in WAL mode with
synchronous=FULL, so an event is on disk once `append` returns. secure_delete overwrites
the pages of deleted events, so forgetting really forgets.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import sqlcipher3

from memory.errors import CorruptFile
from memory.events import Event, Kind

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE, hlc TEXT NOT NULL, device TEXT NOT NULL,
    kind TEXT NOT NULL, payload TEXT NOT NULL, vector BLOB);
CREATE INDEX IF NOT EXISTS events_hlc ON events (hlc);
CREATE INDEX IF NOT EXISTS events_kind ON events (kind);
CREATE TABLE IF NOT EXISTS forgotten (target TEXT PRIMARY KEY, hlc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS purged (uuid TEXT PRIMARY KEY);
"""
COLUMNS = "seq, uuid, hlc, device, kind, payload, vector"
QUICK_CHECK_BYTES = 32 << 20  # ~0.15 s to check at open; larger logs are checked lazily


class WriteTransaction:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on an exception): one writer at a time, also
    across processes."""

    def __init__(self, db: sqlcipher3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


class EventLog:
    """Append, read and purge events; all in one encrypted file."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        existed = path.exists()
        self.db = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
        try:
            self._configure(key)
            self.db.executescript(SCHEMA)
        except CorruptFile:
            self.db.close()
            raise
        except sqlcipher3.DatabaseError as exc:
            self.db.close()
            what = "does not open with this memory's key" if existed else "cannot be created"
            raise CorruptFile(f"the event log {path} {what}: it is corrupt, truncated, "
                              "or not a Famulus log. Restore it from a backup "
                              "(`famulus backup restore DIR`).") from exc
        if existed or path.exists():
            path.chmod(0o600)
        self.log_id = self._meta("log_id") or self._set_meta("log_id", uuidlib.uuid4().hex)

    def _configure(self, key: bytes) -> None:
        self.db.execute("PRAGMA cipher_log_level = NONE")
        self.db.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        for pragma in ("journal_mode = WAL", "synchronous = FULL", "secure_delete = ON",
                       "foreign_keys = ON"):
            self.db.execute(f"PRAGMA {pragma}")
        if self.path.stat().st_size <= QUICK_CHECK_BYTES:
            self.verify()

    def verify(self) -> None:
        """Read and authenticate every page (SQLCipher checks each page's HMAC).

        Done at open for logs up to QUICK_CHECK_BYTES; bigger ones are checked by
        rebuilds, `memory check` and backups, while every read checks its own pages.
        """
        try:
            check = self.db.execute("PRAGMA quick_check").fetchone()[0]
        except sqlcipher3.DatabaseError as exc:
            raise self._corrupt() from exc
        if check != "ok":
            raise self._corrupt()

    def _corrupt(self) -> CorruptFile:
        return CorruptFile(f"the event log {self.path} fails its integrity check: it is "
                           "corrupt or was tampered with. Restore it from a backup "
                           "(`famulus backup restore DIR`).")

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> str:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
        return value

    def close(self) -> None:
        self.db.close()

    # Writing
    def append(self, events: Iterable[Event]) -> list[Event]:
        """Store events in one transaction; returns those that were new (with their seq).

        Events already present, purged, or adding an item that was forgotten are skipped,
        which makes delivery from other devices idempotent.
        """
        added: list[Event] = []
        with self._transaction():
            for event in events:
                if self._refused(event):
                    continue
                cur = self.db.execute(
                    f"INSERT OR IGNORE INTO events ({COLUMNS[5:]}) VALUES (?, ?, ?, ?, ?, ?)",
                    (event.uuid, event.hlc, event.device, str(event.kind),
                     event.payload_json(), event.vector_bytes()))
                if cur.rowcount:
                    event.seq = int(cur.lastrowid or 0)
                    added.append(event)
                    if event.kind is Kind.FORGOTTEN:
                        self._purge_target(event)
        return added

    def _refused(self, event: Event) -> bool:
        if self.db.execute("SELECT 1 FROM purged WHERE uuid = ?", (event.uuid,)).fetchone():
            return True
        target = _target(event)
        return bool(target and event.kind is not Kind.FORGOTTEN and self.db.execute(
            "SELECT 1 FROM forgotten WHERE target = ?", (target,)).fetchone())

    def _purge_target(self, tombstone: Event) -> None:
        target = tombstone.payload["target"]
        self.db.execute("INSERT OR IGNORE INTO forgotten VALUES (?, ?)", (target, tombstone.hlc))
        doomed = [row[0] for row in self.db.execute(
            "SELECT uuid FROM events WHERE kind != ? AND (uuid = ? OR "
            "json_extract(payload, '$.fact_id') = ? OR json_extract(payload, '$.key') = ?)",
            (str(Kind.FORGOTTEN), target, target, target))]
        self.purge(doomed)

    def purge(self, uuids: Iterable[str]) -> int:
        """Delete events for good (their pages are overwritten); they never come back."""
        count = 0
        for uid in uuids:
            self.db.execute("INSERT OR IGNORE INTO purged VALUES (?)", (uid,))
            count += self.db.execute("DELETE FROM events WHERE uuid = ?", (uid,)).rowcount
        return count

    def compact(self) -> None:
        """Vacuum and truncate the WAL, so no freed page keeps old content."""
        self.db.execute("VACUUM")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def checkpoint(self) -> None:
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _transaction(self) -> WriteTransaction:
        return WriteTransaction(self.db)

    # Reading
    def _rows(self, sql: str, args: tuple[object, ...] = ()) -> Iterator[Event]:
        try:
            rows = self.db.execute(f"SELECT {COLUMNS} FROM events {sql}", args).fetchall()
        except sqlcipher3.DatabaseError as exc:
            raise self._corrupt() from exc
        for row in rows:
            yield Event.from_row(*row)

    def after(self, seq: int) -> list[Event]:
        """Events stored after local position `seq`, in the order they were stored."""
        return list(self._rows("WHERE seq > ? ORDER BY seq", (seq,)))

    def in_order(self, until_hlc: str | None = None) -> list[Event]:
        """All events in HLC order (the order every replica agrees on)."""
        if until_hlc is None:
            return list(self._rows("ORDER BY hlc, uuid"))
        return list(self._rows("WHERE hlc <= ? ORDER BY hlc, uuid", (until_hlc,)))

    def of_kinds(self, kinds: tuple[Kind, ...]) -> list[Event]:
        """Events of some kinds only, in HLC order (preferences need no episodes)."""
        marks = ", ".join("?" * len(kinds))
        return list(self._rows(f"WHERE kind IN ({marks}) ORDER BY hlc, uuid",
                               tuple(str(k) for k in kinds)))

    def get(self, uid: str) -> Event | None:
        return next(self._rows("WHERE uuid = ?", (uid,)), None)

    def known(self, uuids: list[str]) -> set[str]:
        """Which of these ids the log holds or has purged."""
        found: set[str] = set()
        for start in range(0, len(uuids), 500):
            chunk = uuids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for table in ("events", "purged"):
                found |= {r[0] for r in self.db.execute(
                    f"SELECT uuid FROM {table} WHERE uuid IN ({marks})", chunk)}
        return found

    def last_seq(self) -> int:
        return int(self.db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0])

    def max_hlc(self) -> str:
        return str(self.db.execute("SELECT coalesce(max(hlc), '') FROM events").fetchone()[0])

    def count(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT kind, count(*) FROM events GROUP BY kind"))



def _target(event: Event) -> str | None:
    p = event.payload
    if event.kind is Kind.FORGOTTEN:
        return str(p["target"])
    if event.kind is Kind.EPISODE:
        return event.uuid
    return p.get("fact_id") or p.get("key")
