"""The episodic store: episodes in a LanceDB table, found by meaning and by words.

Hybrid search runs a vector search and LanceDB's native BM25 full-text search under the
same filters and fuses the two rankings by reciprocal rank (RRF). Past `ann_threshold` rows
an IVF_FLAT index replaces the brute-force scan. Measured at 100k x 384 on 2 cores:
IVF_FLAT with ~128 partitions builds in ~4 s and answers in ~5 ms at recall@10 1.0 with
20 probes; IVF_PQ took ~60 s to build, IVF_RQ had recall@10 0.69, HNSW takes minutes.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("LANCE_LOG", "error")
import lancedb
import pyarrow as pa
from lancedb.index import FTS, IvfFlat

from memory.events import Episode

TABLE = "episodes"
RRF_K = 60
# The keyword ranking counts half as much as the meaning ranking in the fusion (the usual
# hybrid default leans on vectors the same way, e.g. Weaviate's alpha 0.75): paraphrased
# questions make BM25 rank small talk that shares a common word, and at 1:1 that noise
# cost 4-9 points of recall@5 on our evaluation set (docs/performance.md#memory).
KEYWORD_WEIGHT = 0.5
ANN_THRESHOLD = 5_000


@dataclass
class SearchFilter:
    """Narrow a search to a time window, a thread or a channel."""

    since_ms: int | None = None
    until_ms: int | None = None
    thread: str | None = None
    channel: str | None = None

    def sql(self) -> str | None:
        parts = []
        if self.since_ms is not None:
            parts.append(f"time_ms >= {int(self.since_ms)}")
        if self.until_ms is not None:
            parts.append(f"time_ms <= {int(self.until_ms)}")
        for column in ("thread", "channel"):
            value = getattr(self, column)
            if value is not None:
                parts.append(f"{column} = '{_quote(value)}'")
        return " AND ".join(parts) or None


def _quote(value: str) -> str:
    return value.replace("'", "''")


@dataclass
class Hit:
    """One search result; `score` is the fused RRF score (higher is better)."""

    id: str
    source_id: str
    score: float
    text: str
    time_ms: int
    thread: str
    speaker: str
    channel: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from datetime import UTC, datetime

        when = datetime.fromtimestamp(self.time_ms / 1000, UTC).isoformat()
        return {"id": self.id, "source_id": self.source_id, "score": round(self.score, 6),
                "text": self.text, "time": when, "thread": self.thread,
                "speaker": self.speaker, "channel": self.channel}


def _schema(dim: int) -> pa.Schema:
    return pa.schema([
        ("id", pa.string()), ("text", pa.string()), ("vector", pa.list_(pa.float32(), dim)),
        ("time_ms", pa.int64()), ("thread", pa.string()), ("channel", pa.string()),
        ("speaker", pa.string()), ("source_id", pa.string()), ("metadata", pa.string()),
    ])


def _rows(episodes: list[Episode], dim: int) -> pa.Table:
    vectors = np.stack([np.asarray(e.vector, np.float32) for e in episodes]) if episodes \
        else np.zeros((0, dim), np.float32)
    columns = {
        "id": [e.id for e in episodes], "text": [e.text for e in episodes],
        "vector": pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1)), dim),
        "time_ms": [e.time_ms for e in episodes], "thread": [e.thread for e in episodes],
        "channel": [e.channel for e in episodes], "speaker": [e.speaker for e in episodes],
        "source_id": [e.source_id for e in episodes],
        "metadata": [json.dumps(e.metadata, ensure_ascii=False) for e in episodes],
    }
    return pa.table(columns, schema=_schema(dim))


class EpisodicStore:
    """The LanceDB table of episodes under one folder.

    The table is never optimized in place: in our benchmark even a no-op `optimize()`
    halved IVF search speed, and Lance keeps deleted rows in data files and in index
    copies. Instead, when there is something to clean up, the table is written afresh
    under the next generation's name and the old one is dropped with all its files.
    """

    def __init__(self, folder: Path, dim: int, ann_threshold: int = ANN_THRESHOLD) -> None:
        self.folder, self.dim, self.ann_threshold = folder, dim, ann_threshold
        self.db = lancedb.connect(str(folder))
        names = sorted(n for n in self.db.list_tables().tables if n.startswith(TABLE))
        if names:
            self.table = self.db.open_table(names[-1])
            for stale in names[:-1]:  # left by a crash between writing and dropping
                self.db.drop_table(stale)
        else:
            self.table = self.db.create_table(f"{TABLE}_000001", schema=_schema(dim))
        self.deleted = False
        self.ensure_indexes()

    def _refresh_index_names(self) -> None:
        self.index_names = {ix.name for ix in self.table.list_indices()}

    # Writing
    def replace_all(self, episodes: list[Episode]) -> None:
        """Load every episode at once (a rebuild), then build the indexes."""
        self._next_generation(_rows(episodes, self.dim))

    def _next_generation(self, data: pa.Table) -> None:
        old = self.table.name
        generation = int(old.rsplit("_", 1)[1]) + 1
        self.table = self.db.create_table(f"{TABLE}_{generation:06d}", data=data,
                                          schema=_schema(self.dim))
        self.ensure_indexes()
        self.db.drop_table(old)
        self.deleted = False

    def add(self, episodes: list[Episode], replace: bool = False) -> None:
        """Add episodes; with `replace`, an id already present is replaced (for replay
        after a crash, when some of them may have been applied already)."""
        if not episodes:
            return
        if replace:
            self.delete([e.id for e in episodes])
        self.table.add(_rows(episodes, self.dim))

    def delete(self, ids: list[str]) -> None:
        """Hide rows now; `rewrite` (called right after a forget) erases them."""
        for start in range(0, len(ids), 500):
            chunk = ", ".join(f"'{_quote(i)}'" for i in ids[start:start + 500])
            if self.table.delete(f"id IN ({chunk})").num_deleted_rows:
                self.deleted = True

    def ensure_indexes(self) -> None:
        """Create the full-text index, and the ANN index once the table is large enough.
        Rows added later are searched by brute force until the next rewrite."""
        rows = self.table.count_rows()
        names = {ix.name for ix in self.table.list_indices()}
        if rows and "text_idx" not in names:
            self.table.create_index("text", config=FTS(), replace=True)
        if rows >= self.ann_threshold and "vector_idx" not in names:
            partitions = min(256, max(16, rows // 800))
            self.table.create_index("vector", config=IvfFlat(distance_type="cosine",
                                                            num_partitions=partitions))
        self._refresh_index_names()

    def rewrite(self) -> None:
        """Write the table and its indexes afresh, and drop the old one with every file.

        The one way to make a forgotten episode's text and vector leave every file
        (~5 s at 100k rows, well under 1 s at 10k).
        """
        self._next_generation(self.table.to_arrow())

    def tidy(self) -> None:
        """Before a seal: rewrite when deletions, many small appends or many unindexed
        rows have piled up; otherwise only create indexes that are due."""
        stats = self.table.stats()
        unindexed = max((self.table.index_stats(n).num_unindexed_rows
                         for n in self.index_names), default=0)
        limit = max(2_000, stats["num_rows"] // 20)
        if self.deleted or stats["fragment_stats"]["num_fragments"] > 64 or unindexed > limit:
            self.rewrite()
        else:
            self.ensure_indexes()

    # Reading
    def count(self) -> int:
        return self.table.count_rows()

    def ids(self) -> set[str]:
        return set(self.table.to_arrow().column("id").to_pylist()) if self.count() else set()

    def search(self, text: str, vector: np.ndarray | None, k: int = 10,
               where: SearchFilter | None = None, mode: str = "hybrid",
               keyword_weight: float = KEYWORD_WEIGHT) -> list[Hit]:
        """The best `k` episodes for a query: 'hybrid', 'vector' or 'fts'."""
        if not self.count():
            return []
        sql = (where or SearchFilter()).sql()
        depth = max(k * 3, 30)
        by_words = mode in ("hybrid", "fts") and bool(text.strip())
        by_meaning = mode in ("hybrid", "vector") and vector is not None
        # Both searches wait in Lance's native code, so they overlap on two threads.
        words = _POOL.submit(self._fts, text, depth, sql) if by_words else None
        rankings = [(1.0, self._vector(vector, depth, sql))] if by_meaning else []
        if words is not None:
            rankings.append((keyword_weight if by_meaning else 1.0, words.result()))
        return _fuse(rankings, k)

    def _vector(self, vector: np.ndarray, depth: int, sql: str | None) -> list[dict[str, Any]]:
        query = self.table.search(np.asarray(vector, np.float32), vector_column_name="vector")
        query = query.distance_type("cosine").limit(depth).select([*_FIELDS, "_distance"])
        if sql:
            query = query.where(sql, prefilter=True)
        if "vector_idx" in self.index_names:
            query = query.nprobes(20)
        return query.to_list()

    def _fts(self, text: str, depth: int, sql: str | None) -> list[dict[str, Any]]:
        query = self.table.search(text, query_type="fts", fts_columns="text")
        query = query.limit(depth).select([*_FIELDS, "_score"])
        if sql:
            query = query.where(sql, prefilter=True)
        try:
            return query.to_list()
        except (ValueError, RuntimeError, OSError):
            return []  # a query of only stop words or symbols: no keyword ranking

    def in_thread(self, thread: str, limit: int) -> list[dict[str, Any]]:
        """The latest `limit` episodes of a thread, oldest first."""
        if not self.count():
            return []
        rows = (self.table.search().where(f"thread = '{_quote(thread)}'")
                .select([*_FIELDS]).limit(None).to_arrow().to_pylist())
        return sorted(rows, key=lambda r: (r["time_ms"], r["id"]))[-limit:]

    def threads(self) -> list[dict[str, Any]]:
        """Each conversation once, latest first: its thread, its first words from the person
        (a title), how many episodes it has and when it was last used. Threads where no
        person said anything (the weekly review's) are not conversations."""
        if not self.count():
            return []
        rows = (self.table.search().select(["thread", "time_ms", "speaker", "text"])
                .limit(None).to_arrow().to_pylist())
        threads: dict[str, dict[str, Any]] = {}
        for row in sorted(rows, key=lambda r: r["time_ms"]):
            seen = threads.setdefault(row["thread"], {"thread": row["thread"], "title": "",
                                                      "episodes": 0, "last_ms": 0})
            seen["episodes"] += 1
            seen["last_ms"] = row["time_ms"]
            if not seen["title"] and row["speaker"] != "famulus" and row["text"].strip():
                seen["title"] = " ".join(row["text"].split())[:80]
        return sorted((t for t in threads.values() if t["title"]), key=lambda t: -t["last_ms"])

    def ids_in_thread(self, thread: str) -> list[str]:
        if not self.count():
            return []
        return [r["id"] for r in self.table.search().where(f"thread = '{_quote(thread)}'")
                .select(["id"]).limit(None).to_arrow().to_pylist()]

    def all_rows(self) -> list[dict[str, Any]]:
        return self.table.to_arrow().select([*_FIELDS]).to_pylist() if self.count() else []


_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="famulus-search")
_FIELDS = ["id", "text", "time_ms", "thread", "channel", "speaker", "source_id", "metadata"]


def _fuse(rankings: list[tuple[float, list[dict[str, Any]]]], k: int) -> list[Hit]:
    """Reciprocal rank fusion; of episodes with the same text only the best one is kept
    (twenty copies of "sounds good" would crowd out everything else)."""
    scores: dict[str, float] = {}
    rows: dict[str, dict[str, Any]] = {}
    for weight, ranking in rankings:
        for rank, row in enumerate(ranking):
            scores[row["id"]] = scores.get(row["id"], 0.0) + weight / (RRF_K + rank + 1)
            rows.setdefault(row["id"], row)
    hits, texts = [], set()
    for ident in sorted(scores, key=lambda i: (-scores[i], -rows[i]["time_ms"], i)):
        text = " ".join(rows[ident]["text"].casefold().split())
        if text not in texts:
            texts.add(text)
            hits.append(_hit(rows[ident], scores[ident]))
        if len(hits) == k:
            break
    return hits


def _hit(row: dict[str, Any], score: float) -> Hit:
    return Hit(row["id"], row["source_id"], score, row["text"], int(row["time_ms"]),
               row["thread"], row["speaker"], row["channel"],
               json.loads(row["metadata"] or "{}"))
