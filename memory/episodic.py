"""The episodic store: episodes in a LanceDB table, found by meaning and by words.

Hybrid search runs a vector search and LanceDB's native BM25 full-text search under the
same filters and fuses the two rankings by reciprocal rank (RRF). Past `ann_threshold` rows
an IVF_FLAT index replaces the brute-force scan (IVF builds in seconds, HNSW in minutes).
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field
from datetime import timedelta
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
ANN_THRESHOLD = 20_000


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
    """The LanceDB table of episodes under one folder."""

    def __init__(self, folder: Path, dim: int, ann_threshold: int = ANN_THRESHOLD) -> None:
        self.folder, self.dim, self.ann_threshold = folder, dim, ann_threshold
        self.db = lancedb.connect(str(folder))
        if TABLE in self.db.list_tables().tables:
            self.table = self.db.open_table(TABLE)
        else:
            self.table = self.db.create_table(TABLE, schema=_schema(dim))

    # Writing
    def replace_all(self, episodes: list[Episode]) -> None:
        """Load every episode at once (a rebuild), then build the indexes."""
        self.table = self.db.create_table(TABLE, data=_rows(episodes, self.dim),
                                          mode="overwrite")
        self.ensure_indexes(force=True)

    def add(self, episodes: list[Episode]) -> None:
        """Add episodes; re-adding an id replaces it, so replay is idempotent."""
        if not episodes:
            return
        self.delete([e.id for e in episodes])
        self.table.add(_rows(episodes, self.dim))

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ", ".join(f"'{_quote(i)}'" for i in ids[start:start + 500])
            self.table.delete(f"id IN ({chunk})")

    def ensure_indexes(self, force: bool = False) -> None:
        """Create the full-text index, and the ANN index once the table is large enough;
        fold rows added since into them."""
        rows = self.table.count_rows()
        names = {ix.name for ix in self.table.list_indices()}
        if rows and "text_idx" not in names:
            self.table.create_index("text", config=FTS(), replace=True)
        if rows >= self.ann_threshold and "vector_idx" not in names:
            partitions = max(16, int(rows ** 0.5))
            self.table.create_index("vector", config=IvfFlat(distance_type="cosine",
                                                            num_partitions=partitions))
        elif force or names:
            self.table.optimize()

    def compact_for_good(self) -> None:
        """Merge files and drop every old version, so deleted rows are gone from disk."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.table.optimize(cleanup_older_than=timedelta(0), delete_unverified=True)

    # Reading
    def count(self) -> int:
        return self.table.count_rows()

    def ids(self) -> set[str]:
        return set(self.table.to_arrow().column("id").to_pylist()) if self.count() else set()

    def search(self, text: str, vector: np.ndarray | None, k: int = 10,
               where: SearchFilter | None = None, mode: str = "hybrid") -> list[Hit]:
        """The best `k` episodes for a query: 'hybrid', 'vector' or 'fts'."""
        if not self.count():
            return []
        sql = (where or SearchFilter()).sql()
        depth = max(k * 3, 30)
        rankings = []
        if mode in ("hybrid", "vector") and vector is not None:
            rankings.append(self._vector(vector, depth, sql))
        if mode in ("hybrid", "fts") and text.strip():
            rankings.append(self._fts(text, depth, sql))
        return _fuse(rankings, k)

    def _vector(self, vector: np.ndarray, depth: int, sql: str | None) -> list[dict[str, Any]]:
        query = self.table.search(np.asarray(vector, np.float32), vector_column_name="vector")
        query = query.distance_type("cosine").limit(depth).select([*_FIELDS, "_distance"])
        if sql:
            query = query.where(sql, prefilter=True)
        if "vector_idx" in {ix.name for ix in self.table.list_indices()}:
            query = query.nprobes(20).refine_factor(2)
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

    def all_rows(self) -> list[dict[str, Any]]:
        return self.table.to_arrow().select([*_FIELDS]).to_pylist() if self.count() else []


_FIELDS = ["id", "text", "time_ms", "thread", "channel", "speaker", "source_id", "metadata"]


def _fuse(rankings: list[list[dict[str, Any]]], k: int) -> list[Hit]:
    scores: dict[str, float] = {}
    rows: dict[str, dict[str, Any]] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking):
            scores[row["id"]] = scores.get(row["id"], 0.0) + 1.0 / (RRF_K + rank + 1)
            rows.setdefault(row["id"], row)
    best = sorted(scores, key=lambda i: (-scores[i], i))[:k]
    return [_hit(rows[i], scores[i]) for i in best]


def _hit(row: dict[str, Any], score: float) -> Hit:
    return Hit(row["id"], row["source_id"], score, row["text"], int(row["time_ms"]),
               row["thread"], row["speaker"], row["channel"],
               json.loads(row["metadata"] or "{}"))
