"""Memory figures: writes, hybrid search latency, unlock and rebuild, retrieval quality.

Speed runs on synthetic episodes (random 384-d unit vectors and random words, so 100k of
them need no hours of embedding); quality runs on the hand-written conversation set in
bench/memory_eval.py with the real embedding model. Each speed figure is set beside the
raw library doing the same work in the same run (a ratio; > 1 means Famulus is slower).

    .venv/bin/python bench/memory.py [--sizes 10000 100000] [--json OUT] [--skip-quality]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from memory import store  # noqa: E402
from memory.events import Episode  # noqa: E402

PASSPHRASE = "benchmark passphrase"
DIM = 384
QUERIES = 200


def words(rng: np.random.Generator, vocab: list[str], n: int) -> str:
    return " ".join(vocab[i] for i in rng.integers(0, len(vocab), n))


def synthetic(count: int, seed: int = 0) -> list[Episode]:
    rng = np.random.default_rng(seed)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "da", "pe", "gu"]
    vocab = sorted({"".join(rng.choice(syllables, 3)) for _ in range(6000)})
    vectors = rng.normal(size=(count, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return [Episode(f"ep{i:07d}", words(rng, vocab, 14), 1_700_000_000_000 + i * 60_000,
                    "user", "bench", f"thread{i % 50}", f"s{i}", {}, vectors[i])
            for i in range(count)]


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def bench_writes(root: Path) -> dict[str, float]:
    """Durable single appends (fsync each) and batched ones, against raw SQLCipher inserts."""
    episodes = synthetic(2_000, seed=1)
    with store.Memory.open(root, passphrase=PASSPHRASE) as memory:
        single, _ = timed(lambda: [memory.add_episodes([e]) for e in episodes[:200]])
        batch, _ = timed(lambda: [memory.add_episodes(episodes[i:i + 500])
                                  for i in range(200, 2_000, 500)])
    import sqlcipher3

    raw_db = sqlcipher3.connect(str(root.parent / "raw.db"), isolation_level=None)
    raw_db.execute(f"PRAGMA key = \"x'{'ab' * 32}'\"")
    raw_db.execute("PRAGMA journal_mode = WAL")
    raw_db.execute("PRAGMA synchronous = FULL")
    raw_db.execute("CREATE TABLE e (id TEXT PRIMARY KEY, payload TEXT, vector BLOB)")

    def raw_single() -> None:
        for e in episodes[:200]:
            raw_db.execute("INSERT INTO e VALUES (?, ?, ?)", (e.id, e.text, e.vector.tobytes()))

    raw, _ = timed(raw_single)
    raw_db.close()
    return {"durable_single_per_s": 200 / single, "batched_per_s": 1_800 / batch,
            "raw_sqlcipher_single_per_s": 200 / raw,
            "single_ratio_vs_raw_log": (single / 200) / (raw / 200)}


def bench_size(root: Path, count: int) -> dict[str, Any]:
    episodes = synthetic(count)
    load_s, _ = timed(lambda: _load(root, episodes))
    out: dict[str, Any] = {"episodes": count, "load_s": load_s}
    rng = np.random.default_rng(9)
    with store.Memory.open(root, passphrase=PASSPHRASE) as memory:
        table = memory.stores.episodic.table
        out["indexes"] = sorted(ix.index_type for ix in table.list_indices())
        picks = rng.integers(0, count, QUERIES)
        texts = [" ".join(episodes[i].text.split()[:3]) for i in picks]
        noise = rng.normal(scale=0.02, size=(QUERIES, DIM)).astype(np.float32)
        vectors = np.stack([episodes[i].vector for i in picks]) + noise
        ours, raw_vec, raw_fts = [], [], []
        for text, vector in zip(texts, vectors, strict=True):
            ours.append(timed(lambda t=text, v=vector: memory.stores.episodic.search(
                t, v, 10))[0] * 1000)
            raw_vec.append(timed(lambda v=vector: _raw_vector(memory, table, v))[0] * 1000)
            raw_fts.append(timed(lambda t=text: table.search(t, query_type="fts").limit(30)
                                 .to_list())[0] * 1000)
        hit = sum(memory.stores.episodic.search(t, v, 10)[0].id == episodes[i].id
                  for t, v, i in zip(texts[:50], vectors[:50], picks[:50], strict=True))
    out.update({"hybrid_p50_ms": pct(ours, 50), "hybrid_p95_ms": pct(ours, 95),
                "raw_vector_p50_ms": pct(raw_vec, 50), "raw_fts_p50_ms": pct(raw_fts, 50),
                "raw_vector_plus_fts_p50_ms": pct([a + b for a, b in zip(raw_vec, raw_fts,
                                                                         strict=True)], 50),
                "top1_self_hit_rate": hit / 50})
    out["hybrid_ratio_vs_raw_vector_plus_fts"] = out["hybrid_p50_ms"] / \
        out["raw_vector_plus_fts_p50_ms"]
    seal_s, _ = timed(lambda: _seal(root))
    out["seal_s"] = seal_s
    out["snapshot_mib"] = (root / "snapshots" / "stores.snap").stat().st_size / (1 << 20)
    unlock_s, memory = timed(lambda: store.Memory.open(root, passphrase=PASSPHRASE))
    memory.close(lock=True)
    out["unlock_s"] = unlock_s
    (root / "snapshots" / "stores.snap").unlink()
    rebuild_s, memory = timed(lambda: store.Memory.open(root, passphrase=PASSPHRASE))
    assert memory.stores.rebuilt
    memory.close(lock=True)
    out["rebuild_s"] = rebuild_s
    return out


def _raw_vector(memory: Any, table: Any, vector: np.ndarray) -> Any:
    query = table.search(vector).distance_type("cosine").limit(30)
    if "vector_idx" in {ix.name for ix in table.list_indices()}:
        query = query.nprobes(20).refine_factor(2)
    return query.to_list()


def _load(root: Path, episodes: list[Episode]) -> None:
    with store.Memory.open(root, passphrase=PASSPHRASE) as memory:
        for start in range(0, len(episodes), 10_000):
            memory.add_episodes(episodes[start:start + 10_000])


def _seal(root: Path) -> None:
    memory = store.Memory.open(root, passphrase=PASSPHRASE)
    memory.stores.applied.sealed_seq = -1  # force a full seal to time it
    memory.close(lock=True)


def bench_quality(root: Path, engine: str) -> dict[str, Any]:
    """Evidence recall@k of hybrid, vector-only and full-text-only search, same data."""
    from bench.memory_eval import build
    from inference.embedded import embedding_model_dir
    from inference.embeddings import SentenceTransformerEmbedder
    from inference.embeddings_onnx import OnnxEmbedder, int8_model_path
    from memory.importer import import_file

    data = build()
    path = root.parent / "eval.json"
    path.write_text(json.dumps(data))
    if engine == "onnx":
        model: Any = OnnxEmbedder(int8_model_path(), embedding_model_dir())
    else:
        model = SentenceTransformerEmbedder(embedding_model_dir(), "cpu")
    out: dict[str, Any] = {"questions": len(data["questions"]), "embedder": engine}
    with store.Memory.open(root, passphrase=PASSPHRASE, embed=model.embed) as memory:
        out["turns"] = import_file(memory, path)["added"]
        variants = [("hybrid", "hybrid", memory.keyword_weight),
                    ("hybrid_equal_weights", "hybrid", 1.0),
                    ("vector", "vector", 0.0), ("fts", "fts", 1.0)]
        for label, mode, weight in variants:
            memory.keyword_weight = weight
            for k in (5, 10, 20):
                by_kind: dict[str, list[float]] = {}
                for q in data["questions"]:
                    hits = {h.source_id for h in memory.search(q["question"], k=k, mode=mode)}
                    recall = len(hits & set(q["evidence"])) / len(q["evidence"])
                    by_kind.setdefault("all", []).append(recall)
                    by_kind.setdefault(q["kind"], []).append(recall)
                out[f"{label}_recall@{k}"] = statistics.mean(by_kind["all"])
                if k == 10:
                    for kind, values in by_kind.items():
                        if kind != "all":
                            out[f"{label}_recall@10_{kind}"] = statistics.mean(values)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--embedder", choices=["onnx", "sentence-transformers"],
                        default="onnx", help="the engine for the quality set (onnx is "
                        "what a CPU-only machine uses by default)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="famulus-bench-"))
    os.environ["FAMULUS_RAM_DIR"] = tempfile.mkdtemp(prefix="famulus-bench-",
                                                     dir="/dev/shm" if Path("/dev/shm")
                                                     .is_dir() else None)
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(),
                                           "platform": platform.platform()}}
    try:
        def fresh(name: str) -> Path:
            root = scratch / name / "memory"
            store.init(root, PASSPHRASE)
            return root

        results["writes"] = bench_writes(fresh("writes"))
        print(json.dumps({"writes": results["writes"]}, indent=1), flush=True)
        for size in args.sizes:
            results[f"size_{size}"] = bench_size(fresh(f"size{size}"), size)
            print(json.dumps({f"size_{size}": results[f"size_{size}"]}, indent=1), flush=True)
        if not args.skip_quality:
            results["quality"] = bench_quality(fresh("quality"), args.embedder)
            print(json.dumps({"quality": results["quality"]}, indent=1), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(os.environ["FAMULUS_RAM_DIR"], ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
