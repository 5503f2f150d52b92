"""Three replicas exchanging bundles in shuffled order converge to one state."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from memory.store import Memory
from memory.sync import sync
from tests.memory_helpers import create, open_memory


def replicas(tmp_path: Path, count: int = 3) -> list[Path]:
    first = tmp_path / "r0" / "memory"
    create(first)
    roots = [first]
    for i in range(1, count):
        root = tmp_path / f"r{i}" / "memory"
        shutil.copytree(first, root)
        (root / "device_id").unlink(missing_ok=True)  # a new device, a new id
        roots.append(root)
    return roots


def picture(memory: Memory) -> tuple[object, set[str], set[str]]:
    return (memory.state().summary(), memory.stores.episodic.ids(),
            memory.stores.graph.fact_ids())


def test_three_replicas_converge_under_shuffled_delivery(tmp_path: Path) -> None:
    rng = random.Random(5)
    roots = replicas(tmp_path)
    folders = [tmp_path / f"share{i}" for i in range(3)]  # pairwise-ish sync folders
    for step in range(4):
        for index, root in enumerate(roots):
            with open_memory(root) as memory:
                for n in range(3):
                    memory.add_episode(f"replica {index} step {step} note {n}")
                memory.assert_fact("Ann", "lives in", rng.choice(["Oslo", "Rome", "Lima"]))
                if rng.random() < 0.5 and memory.facts("ann"):
                    memory.retract_fact(rng.choice(memory.facts("ann")).id)
                memory.set_preference("tone", rng.choice(["brief", "chatty", "formal"]))
                episodes = sorted(memory.stores.episodic.ids())
                if episodes and rng.random() < 0.5:
                    memory.forget(rng.choice(episodes))
        order = [(r, f) for r in roots for f in folders]
        rng.shuffle(order)
        for root, folder in order[: len(order) // 2]:  # partial, shuffled delivery
            with open_memory(root) as memory:
                sync(memory, folder)
    for _ in range(2):  # then everyone meets everyone
        order = [(r, f) for r in roots for f in folders]
        rng.shuffle(order)
        for root, folder in order:
            with open_memory(root) as memory:
                sync(memory, folder)
    pictures = []
    for root in roots:
        with open_memory(root) as memory:
            pictures.append(picture(memory))
    assert pictures[0] == pictures[1] == pictures[2]
    assert pictures[0][1]  # something survived to compare


def test_a_bundle_from_another_vault_or_tampered_is_refused(tmp_path: Path) -> None:
    a = tmp_path / "a" / "memory"
    roots = replicas(tmp_path / "pair", 2)
    create(a)
    share = tmp_path / "share"
    with open_memory(roots[0]) as memory:
        memory.add_episode("from replica zero")
        sync(memory, share)
    bundle = next(share.iterdir())
    data = bytearray(bundle.read_bytes())
    data[-5] ^= 1
    bundle.write_bytes(bytes(data))
    with open_memory(roots[1]) as memory:
        result = sync(memory, share)
        assert result["received"] == 0 and "integrity" in result["refused"][0]
    with open_memory(a) as memory:  # another vault ignores bundles that are not its own
        result = sync(memory, share)
        assert result["received"] == 0 and not result["refused"]
        assert not memory.stores.episodic.ids()
