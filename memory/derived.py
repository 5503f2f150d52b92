"""The derived stores (episodic table and graph) in the RAM folder, kept in step with the log.

`state.json` records the last event applied; on open, newer events are replayed, and a
missing, stale or corrupt snapshot means a rebuild from the log, with progress reported.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from memory import crypto, snapshot
from memory.episodic import EpisodicStore
from memory.errors import CorruptFile
from memory.events import Episode, Event, Fact, Kind
from memory.files import write_atomic
from memory.graph import SemanticGraph
from memory.log import EventLog
from memory.ramdir import wipe
from memory.state import fold, needs_rebuild

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


@dataclass
class Applied:
    """How far the stores in the RAM folder have caught up with the log."""

    log_id: str
    engine: str
    dim: int
    seq: int = 0
    hlc: str = ""
    sealed_seq: int = -1


class DerivedStores:
    """Opens, updates, seals and rebuilds the episodic table and the graph."""

    def __init__(self, ram: Path, snapshot_path: Path, key: bytes, log_: EventLog,
                 engine: str, dim: int, ann_threshold: int, progress: Progress | None) -> None:
        self.ram, self.snapshot_path, self.log = ram, snapshot_path, log_
        self.key = crypto.subkey(key, "snapshot")
        self.engine, self.dim, self.ann_threshold = engine, dim, ann_threshold
        self.progress = progress or (lambda *_: None)
        self.applied = Applied(log_.log_id, engine, dim)
        self.episodic: EpisodicStore
        self.graph: SemanticGraph
        self.rebuilt = False
        self._open()
        self.catch_up()

    @property
    def folder(self) -> Path:
        return self.ram / "stores"

    # Opening
    def _open(self) -> None:
        current = self._read_applied()
        if current is None:
            current = self._unseal()
        if current is None:
            self._rebuild()
            return
        try:
            self._attach()
            self.applied = current
        except Exception as exc:  # a damaged RAM copy is only derived data
            log.warning("derived stores would not open (%s); rebuilding", type(exc).__name__)
            self._rebuild()

    def _attach(self) -> None:
        self.episodic = EpisodicStore(self.folder / "episodes", self.dim, self.ann_threshold)
        self.graph = SemanticGraph(self.folder / "graph", self.engine)

    def _read_applied(self) -> Applied | None:
        try:
            applied = Applied(**json.loads((self.ram / "state.json").read_text()))
        except (OSError, ValueError, TypeError):
            return None
        if not self._fits(applied.log_id, applied.engine, applied.dim, applied.seq):
            return None
        return applied

    def _fits(self, log_id: str, engine: str, dim: int, seq: int) -> bool:
        return (log_id == self.log.log_id and engine == self.engine and dim == self.dim
                and seq <= self.log.last_seq() and self.folder.is_dir())

    def _unseal(self) -> Applied | None:
        if not self.snapshot_path.exists():
            return None
        wipe(self.folder)
        try:
            header = snapshot.unseal_folder(self.snapshot_path, self.folder, self.key)
        except CorruptFile as exc:
            log.warning("snapshot refused: %s; rebuilding from the log", exc)
            self.progress("snapshot refused, rebuilding", 0, 0)
            return None
        applied = Applied(header["log_id"], header["engine"], header["dim"], header["seq"],
                          header["hlc"], header["seq"])
        if not self._fits(applied.log_id, applied.engine, applied.dim, applied.seq):
            return None
        self._save_applied(applied)
        return applied

    def _save_applied(self, applied: Applied | None = None) -> None:
        if applied is not None:
            self.applied = applied
        write_atomic(self.ram / "state.json", json.dumps(asdict(self.applied)).encode())

    # Keeping up with the log
    def catch_up(self) -> int:
        """Apply events the stores have not seen; returns how many.

        After a crash some of them may already be in the stores, so they replace.
        """
        events = self.log.after(self.applied.seq)
        self.apply(events, replay=True)
        return len(events)

    def apply(self, events: list[Event], replay: bool = False) -> None:
        if not events:
            return
        if needs_rebuild(events, self.applied.hlc):
            self._rebuild()
            return
        self._apply_in_order(events, replay)
        self.applied.seq = max(self.applied.seq, *(e.seq for e in events))
        self.applied.hlc = max(self.applied.hlc, *(e.hlc for e in events))
        self._save_applied()

    def _apply_in_order(self, events: list[Event], replay: bool) -> None:
        batch: list[Episode] = []
        for event in events:
            if event.kind is Kind.EPISODE:
                batch.append(Episode.from_event(event))
                continue
            self.episodic.add(batch, replace=replay)
            batch = []
            if event.kind in (Kind.FACT_ASSERTED, Kind.FACT_RETRACTED):
                self._apply_fact(event)
            elif event.kind is Kind.FORGOTTEN:
                target = event.payload["target"]
                self.episodic.delete([target])
                self.graph.delete_facts([target])
                self.graph.delete_episode(target)
        self.episodic.add(batch, replace=replay)

    def _apply_fact(self, event: Event) -> None:
        # Every event here is newer than all applied ones, so the last writer is this one.
        if event.kind is Kind.FACT_ASSERTED:
            self.graph.upsert([Fact.from_event(event)])
        else:
            self.graph.delete_facts([event.payload["fact_id"]])

    def _rebuild(self) -> None:
        """Replace the stores with what the whole log says."""
        started = time.perf_counter()
        self.progress("reading the event log", 0, 1)
        events = self.log.in_order()
        state = fold(events)
        self.close_engines()
        wipe(self.folder)
        self.folder.mkdir(parents=True, mode=0o700)
        self._attach()
        episodes = list(state.episodes.values())
        self.progress("rebuilding episodic memory", 0, len(episodes))
        self.episodic.replace_all(episodes)
        self.progress("rebuilding episodic memory", len(episodes), len(episodes))
        self.graph.upsert(_with_known_evidence(state.facts.values(), state.episodes))
        self.progress("rebuilding the graph", len(state.facts), len(state.facts))
        last = max(events, key=lambda e: e.seq) if events else None
        self._save_applied(Applied(self.log.log_id, self.engine, self.dim,
                                   last.seq if last else 0,
                                   max((e.hlc for e in events), default="")))
        self.rebuilt = True
        log.info("rebuilt memory stores from %d events in %.2f s", len(events),
                 time.perf_counter() - started)

    # Sealing
    @property
    def dirty(self) -> bool:
        return self.applied.sealed_seq != self.applied.seq

    def seal(self) -> None:
        """Write the stores into the snapshot on disk (atomically)."""
        self.episodic.tidy()
        self.graph.checkpoint()
        header = {"log_id": self.applied.log_id, "engine": self.engine, "dim": self.dim,
                  "seq": self.applied.seq, "hlc": self.applied.hlc, "sealed_at": time.time()}
        snapshot.seal_folder(self.folder, self.snapshot_path, self.key, header)
        self.applied.sealed_seq = self.applied.seq
        self._save_applied()

    def close_engines(self) -> None:
        graph = getattr(self, "graph", None)
        if graph is not None:
            graph.close()
            del self.graph
        if hasattr(self, "episodic"):
            del self.episodic


def _with_known_evidence(facts: Iterable[Fact], episodes: dict[str, Episode]) -> list[Fact]:
    """Facts whose evidence edges point only at episodes that still exist."""
    kept = list(facts)
    for fact in kept:
        fact.provenance = [e for e in fact.provenance if e in episodes]
    return kept
