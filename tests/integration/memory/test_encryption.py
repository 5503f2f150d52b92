"""Nothing readable under the data dir: no canary text, no canary vector bytes, ever."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.memory_helpers import create, open_memory

CANARY = "canary-7f3a9 zebra-quartz-lumen"


def files_under(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_absent(folder: Path, needles: list[bytes]) -> None:
    for path, data in files_under(folder).items():
        for needle in needles:
            assert needle not in data, f"{needle[:16]!r} found in {path}"


def test_canaries_never_reach_the_data_dir_locked_or_unlocked(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    root = data_dir / "memory"
    create(root)
    vector = np.random.default_rng(5).normal(size=384).astype(np.float32)
    vector /= np.linalg.norm(vector)
    raw = vector.tobytes()
    needles = [CANARY.encode(), b"zebra-quartz", raw[:32], raw[600:632], raw[-32:]]
    memory = open_memory(root)
    try:
        episode = memory.add_episode(CANARY, thread="canary-thread", vector=vector)
        memory.assert_fact("canary-7f3a9", "is", "zebra-quartz-lumen",
                           provenance=[episode.id])
        memory.set_preference("canary-pref", CANARY)
        memory.seal()
        assert memory.search("zebra quartz lumen", k=1, mode="fts")[0].id == episode.id
        assert_absent(data_dir, needles)  # unlocked: plaintext only in the RAM folder
        ram_files = b"".join(files_under(memory.ram).values())
        assert CANARY.encode() in ram_files and raw[:32] in ram_files  # the probe works
    finally:
        memory.close(lock=True)
    assert_absent(data_dir, needles)
    assert (root / "snapshots" / "stores.snap").exists()
    assert not memory.ram.exists()


def test_forgotten_text_is_gone_from_every_file_and_the_ram_copy(tmp_path: Path) -> None:
    root = tmp_path / "memory"
    create(root)
    with open_memory(root) as memory:
        memory.add_episode("an ordinary note")
        gone = memory.add_episode(CANARY)
        memory.seal()
        memory.forget(gone.id)
        ram = b"".join(files_under(memory.ram).values())
        assert CANARY.encode() not in ram  # old Lance versions were cleaned up too
        assert not memory.search("zebra quartz lumen", k=3, mode="fts")


def test_a_forgotten_vector_leaves_a_large_batch_and_its_indexes(tmp_path: Path) -> None:
    from memory.events import Episode

    root = tmp_path / "memory"
    create(root)
    rng = np.random.default_rng(2)
    vectors = rng.normal(size=(400, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    episodes = [Episode(f"ep{i}", f"batch note {i}", 1000 + i, vector=vectors[i])
                for i in range(400)]
    with open_memory(root, ann_threshold=100) as memory:
        memory.add_episodes(episodes)  # one fragment, and an ANN index that copies vectors
        memory.seal()
        raw = vectors[123].tobytes()
        assert raw[:48] in b"".join(files_under(memory.ram).values())
        memory.forget("ep123")
        assert raw[:48] not in b"".join(files_under(memory.ram).values())
        assert memory.stores.episodic.count() == 399
