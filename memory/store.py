"""`Memory`: the one object the rest of Famulus talks to about remembering.

Every change is an event: appended to the encrypted log (durable when the call returns),
then applied to the derived stores. Reading goes to the derived stores.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from memory import ramdir
from memory.clock import HybridClock, upper_bound
from memory.derived import DerivedStores, Progress
from memory.episodic import ANN_THRESHOLD, KEYWORD_WEIGHT, Hit, SearchFilter
from memory.errors import MemoryStoreError, NotFound
from memory.events import Episode, Event, Fact, Kind, Preference, fact_key
from memory.log import EventLog
from memory.session import exclusive, keep_session, obtain_key
from memory.state import MemoryState, fold
from memory.vault import KdfParams, Vault

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class MemoryPaths:
    """The files of one memory under `<data>/memory`."""

    root: Path

    @property
    def vault(self) -> Path:
        return self.root / "vault.json"

    @property
    def log(self) -> Path:
        return self.root / "events.db"

    @property
    def snapshot(self) -> Path:
        return self.root / "snapshots" / "stores.snap"

    @property
    def lock(self) -> Path:
        return self.root / ".lock"

    @property
    def device(self) -> Path:
        return self.root / "device_id"


def device_id(paths: MemoryPaths) -> str:
    """This machine's id in HLC stamps; kept out of backups so each device has its own."""
    try:
        return paths.device.read_text().strip()
    except FileNotFoundError:
        ident = uuid.uuid4().hex[:12]
        paths.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        paths.device.write_text(ident)
        paths.device.chmod(0o600)
        return ident


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def init(root: Path, passphrase: str, kdf: KdfParams | None = None) -> str:
    """Create a vault and an empty log; returns the recovery key (show it once)."""
    paths = MemoryPaths(root)
    _vault, key, recovery = Vault.create(paths.vault, passphrase, kdf)
    EventLog(paths.log, _log_key(key)).close()
    return recovery


def _log_key(key: bytes) -> bytes:
    from memory.crypto import subkey

    return subkey(key, "log")


class Memory:
    """Episodic, semantic and procedural memory over one encrypted log."""

    def __init__(self, root: Path, key: bytes, vault: Vault, embed: Embed | None = None,
                 engine: str = "kuzu", dim: int = 384, progress: Progress | None = None,
                 ann_threshold: int = ANN_THRESHOLD, lock_wait_s: float = 15.0,
                 keyword_weight: float = KEYWORD_WEIGHT) -> None:
        self.paths, self.key, self.vault, self.embed = MemoryPaths(root), key, vault, embed
        self.keyword_weight = keyword_weight
        ramdir.sweep()  # what killed processes left in RAM goes before anything opens
        self._exclusive = exclusive(self.paths.lock, lock_wait_s)
        self._exclusive.__enter__()
        try:
            self.ram = ramdir.ram_folder(vault.vault_id, root)
            ramdir.claim(self.ram)
            self.log = EventLog(self.paths.log, _log_key(key))
            self.clock = HybridClock(device_id(self.paths))
            self.clock.observe(self.log.max_hlc() or "0.0.x")
            self.stores = DerivedStores(self.ram, self.paths.snapshot, key, self.log, engine,
                                        dim, ann_threshold, progress)
        except BaseException:
            self._release()
            raise
        self._closed = False

    @classmethod
    def open(cls, root: Path, passphrase: str | None = None, recovery_key: str | None = None,
             **kwargs: Any) -> Memory:
        """Unlock with the first key source that has it (see memory.session)."""
        vault = Vault.load(MemoryPaths(root).vault)
        key = obtain_key(vault, ramdir.ram_path(vault.vault_id, root), passphrase,
                         recovery_key)
        return cls(root, key, vault, **kwargs)

    def _release(self) -> None:
        with contextlib.suppress(Exception):
            self._exclusive.__exit__(None, None, None)

    # Lifetime
    def close(self, lock: bool = False) -> None:
        """Leave the memory. `lock=True` seals the stores and wipes the RAM copy."""
        if self._closed:
            return
        try:
            if lock:
                if self.stores.dirty or not self.paths.snapshot.exists():
                    self.stores.seal()
                self.stores.close_engines()
                ramdir.wipe(self.ram)
            else:
                self.stores.close_engines()
            self.log.close()
        finally:
            self._closed = True
            self._release()

    def keep_unlocked(self) -> None:
        """Let later processes of this login use the memory without the passphrase."""
        keep_session(self.ram, self.key)

    @property
    def session_open(self) -> bool:
        return (self.ram / ramdir.SESSION_FILE).exists()

    def seal(self) -> None:
        self.stores.seal()

    def seal_if_due(self, max_age_s: float = 600.0) -> bool:
        """Seal when there are unsealed changes older than `max_age_s` (called by the app)."""
        snap = self.paths.snapshot
        age = time.time() - snap.stat().st_mtime if snap.exists() else float("inf")
        if self.stores.dirty and age >= max_age_s:
            self.stores.seal()
            return True
        return False

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *_: object) -> None:
        self.close(lock=not self.session_open)

    # Writing
    def _event(self, kind: Kind, payload: dict[str, Any], vector: np.ndarray | None = None,
               uid: str | None = None) -> Event:
        return Event(uid or uuid.uuid4().hex, self.clock.now(), self.clock.device, kind,
                     payload, vector)

    def record(self, events: list[Event]) -> list[Event]:
        """Append events (durable on return) and bring the stores up to date."""
        added = self.log.append(events)
        self.stores.apply(added)
        if any(e.kind is Kind.FORGOTTEN for e in added):  # also tombstones from sync
            self.scrub()
        return added

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        if self.embed is None:
            raise MemoryStoreError("no embedding model is configured for memory")
        vectors = np.asarray(self.embed(list(texts)), dtype=np.float32)
        if vectors.shape[1] != self.stores.dim:
            raise MemoryStoreError(f"the embedding model gives {vectors.shape[1]}-d vectors "
                                   f"but this memory holds {self.stores.dim}-d ones")
        return vectors

    def add_episodes(self, episodes: Sequence[Episode]) -> list[Episode]:
        """Remember episodes (embedding those without a vector) in one durable write."""
        missing = [e for e in episodes if e.vector is None]
        if missing:
            for episode, vector in zip(missing, self._vectors([e.text for e in missing]),
                                       strict=True):
                episode.vector = vector
        events = [self._event(Kind.EPISODE, e.payload(), e.vector, e.id) for e in episodes]
        self.record(events)
        return list(episodes)

    def add_episode(self, text: str, *, speaker: str = "", channel: str = "", thread: str = "",
                    time_ms: int | None = None, source_id: str = "",
                    metadata: dict[str, Any] | None = None,
                    vector: np.ndarray | None = None) -> Episode:
        if not text.strip():
            raise MemoryStoreError("an episode needs some text")
        episode = Episode(uuid.uuid4().hex, text, time_ms or now_ms(), speaker, channel,
                          thread, source_id, metadata or {}, vector)
        return self.add_episodes([episode])[0]

    def assert_fact(self, subject: str, relation: str, obj: str, confidence: float = 1.0,
                    provenance: Iterable[str] = ()) -> Fact:
        if not all(part.strip() for part in (subject, relation, obj)):
            raise MemoryStoreError("a fact needs a subject, a relation and an object")
        fact_id = fact_key(subject, relation, obj)
        payload = {"fact_id": fact_id, "subject": subject, "relation": relation,
                   "object": obj, "confidence": float(confidence),
                   "provenance": list(provenance)}
        event = self._event(Kind.FACT_ASSERTED, payload)
        self.record([event])
        return Fact.from_event(event)

    def retract_fact(self, fact_id: str) -> None:
        self.record([self._event(Kind.FACT_RETRACTED, {"fact_id": fact_id})])

    def correct_fact(self, fact_id: str, subject: str, relation: str, obj: str,
                     provenance: Iterable[str] = ()) -> Fact:
        """Replace a fact with the person's correction, in one durable write: the old one
        is retracted, the new one asserted with full confidence and the old sources."""
        if not all(part.strip() for part in (subject, relation, obj)):
            raise MemoryStoreError("a fact needs a subject, a relation and an object")
        if fact_id not in self.stores.graph.fact_ids():
            raise NotFound(f"no fact has the id {fact_id!r}")
        new = self._event(Kind.FACT_ASSERTED, {
            "fact_id": fact_key(subject, relation, obj), "subject": subject,
            "relation": relation, "object": obj, "confidence": 1.0,
            "provenance": list(provenance)})
        events = [new] if new.payload["fact_id"] == fact_id else \
            [self._event(Kind.FACT_RETRACTED, {"fact_id": fact_id}), new]
        self.record(events)
        return Fact.from_event(new)

    def set_preference(self, key: str, value: Any, kind: str = "preference",
                       expires_ms: int | None = None) -> None:
        """Set (or, with value None, clear) a preference or learned procedure."""
        event_kind = Kind.PROCEDURE if kind == "procedure" else Kind.PREFERENCE
        self.record([self._event(event_kind, {"key": key, "value": value, "kind": kind,
                                              "expires_ms": expires_ms})])

    def forget(self, item_id: str) -> str:
        """Forget an episode, fact or preference for good; returns what it was."""
        what = self._kind_of(item_id)
        self.forget_many([item_id])
        return what

    def forget_many(self, item_ids: Sequence[str]) -> None:
        """Tombstone several items in one durable write, then scrub once."""
        self.record([self._event(Kind.FORGOTTEN, {"target": i}) for i in item_ids])

    def threads(self) -> list[dict[str, Any]]:
        """The conversation threads, latest first (see EpisodicStore.threads), titled by
        the person where they renamed one."""
        titles = {k.removeprefix("thread:"): p.value for k, p in self.preferences().items()
                  if p.kind == "title"}
        return [{**t, "title": titles.get(t["thread"], t["title"])}
                for t in self.stores.episodic.threads()]

    def set_thread_title(self, thread: str, title: str | None) -> None:
        """A conversation's title as the person named it (None: its first words again)."""
        self.set_preference(f"thread:{thread}", title, kind="title")

    def forget_thread(self, thread: str) -> int:
        """Forget every episode of a thread for good, and its title; how many there were."""
        ids = self.stores.episodic.ids_in_thread(thread)
        if f"thread:{thread}" in self.preferences():
            self.set_thread_title(thread, None)
        if ids:
            self.forget_many(ids)
            self.scrub()
        return len(ids)

    def scrub(self) -> None:
        """Make deletions final: vacuum the log, rewrite the table, reseal the snapshot."""
        self.log.compact()
        self.stores.episodic.rewrite()
        if self.paths.snapshot.exists():
            self.stores.seal()

    def _kind_of(self, item_id: str) -> str:
        event = self.log.get(item_id)
        if event is not None and event.kind is Kind.EPISODE:
            return "episode"
        if item_id in self.stores.graph.fact_ids():
            return "fact"
        if item_id in self.preferences(include_expired=True):
            return "preference"
        raise NotFound(f"no memory has the id {item_id!r}")

    # Reading
    def search(self, query: str, k: int = 10, where: SearchFilter | None = None,
               mode: str = "hybrid") -> list[Hit]:
        """Episodes for a query: 'hybrid' (meaning and words, fused), 'vector' or 'fts'."""
        vector = self._vectors([query])[0] if mode != "fts" and query.strip() else None
        return self.stores.episodic.search(query, vector, k, where, mode,
                                           self.keyword_weight)

    def episode(self, episode_id: str) -> Episode | None:
        """One episode by its id; None when there is none (or it was forgotten)."""
        event = self.log.get(episode_id)
        return Episode.from_event(event) if event and event.kind is Kind.EPISODE else None

    def facts(self, entity: str, limit: int = 100) -> list[Fact]:
        return self.stores.graph.facts_about(entity, limit)

    def entity_names(self) -> list[str]:
        return self.stores.graph.entity_names()

    def recent(self, thread: str, limit: int = 20) -> list[dict[str, Any]]:
        """The latest episodes of a thread, oldest first."""
        return self.stores.episodic.in_thread(thread, limit)

    def preferences(self, include_expired: bool = False) -> dict[str, Preference]:
        kinds = (Kind.PREFERENCE, Kind.PROCEDURE, Kind.FORGOTTEN, Kind.RESTORED)
        state = fold(self.log.of_kinds(kinds))
        now = now_ms()
        return {k: p for k, p in state.preferences.items()
                if include_expired or not p.expired(now)}

    def state(self, until_hlc: str | None = None) -> MemoryState:
        """The folded state of the log (all of it, or up to a stamp)."""
        return fold(self.log.in_order(until_hlc))

    def stats(self) -> dict[str, Any]:
        counts = self.log.count()
        snap = self.paths.snapshot
        return {
            "events": sum(counts.values()), "events_by_kind": counts,
            "episodes": self.stores.episodic.count(), "graph": self.stores.graph.count(),
            "preferences": len(self.preferences()),
            "graph_engine": self.stores.engine, "device": self.clock.device,
            "log_bytes": _size(self.paths.log) + _size(Path(f"{self.paths.log}-wal")),
            "snapshot_bytes": _size(snap),
            "unsealed_events": self.stores.applied.seq - max(self.stores.applied.sealed_seq, 0),
            "ram_folder": str(self.ram), "unlocked_session": self.session_open,
        }

    # Point-in-time restore
    def restore_to(self, at_ms: int) -> Event:
        """Bring the stores to their state at `at_ms`; undoable with `undo_restore`."""
        event = self._event(Kind.RESTORED, {"until": upper_bound(at_ms), "inclusive": True})
        self.record([event])
        return event

    def undo_restore(self) -> Event:
        """Return to the state just before the latest restore."""
        restores = self.log.of_kinds((Kind.RESTORED,))
        if not restores:
            raise NotFound("there is no restore to undo")
        event = self._event(Kind.RESTORED, {"until": restores[-1].hlc, "inclusive": False})
        self.record([event])
        return event


def _size(path: Path) -> int:
    return os.path.getsize(path) if path.exists() else 0
