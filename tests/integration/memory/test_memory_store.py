"""Memory over the real SQLCipher log, LanceDB table and Kùzu graph."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from memory.clock import HybridClock, wall_ms
from memory.episodic import SearchFilter
from memory.errors import CorruptFile, MemoryBusy, NotFound, WrongPassphrase
from memory.events import Kind
from memory.store import Memory
from tests.memory_helpers import create, hash_embed, open_memory


@pytest.fixture
def root(tmp_path: Path) -> Path:
    create(tmp_path / "memory")
    return tmp_path / "memory"


def test_hybrid_search_finds_by_words_and_filters_by_thread_and_time(root: Path) -> None:
    with open_memory(root) as memory:
        memory.add_episode("The plumber comes on Tuesday at nine", thread="home", time_ms=1000)
        memory.add_episode("Quarterly report is due Friday", thread="work", time_ms=2000)
        memory.add_episode("Tuesday: dentist appointment", thread="home", time_ms=3000)
        hits = memory.search("when does the plumber come", k=3)
        assert hits[0].text.startswith("The plumber")
        home = memory.search("Tuesday", k=5, where=SearchFilter(thread="home"))
        assert {h.thread for h in home} == {"home"} and len(home) == 2
        late = memory.search("Tuesday", k=5, where=SearchFilter(since_ms=2500))
        assert [h.text for h in late] == ["Tuesday: dentist appointment"]
        assert memory.search("report", k=1, mode="fts")[0].thread == "work"


def test_facts_keep_provenance_and_the_latest_word_wins(root: Path) -> None:
    with open_memory(root) as memory:
        ep = memory.add_episode("Ann said she moved to Oslo")
        memory.assert_fact("Ann", "lives in", "Bergen", 0.6)
        fact = memory.assert_fact("Ann", "lives in", "Oslo", 0.9, provenance=[ep.id])
        memory.retract_fact(memory.facts("ann")[-1].id)  # Bergen, the weaker one
        facts = memory.facts("ANN")
        assert [f.object for f in facts] == ["Oslo"]
        assert facts[0].provenance == [ep.id] and facts[0].id == fact.id
        assert memory.facts("oslo")[0].subject == "Ann"


def test_a_corrected_fact_replaces_the_old_one_and_keeps_its_sources(root: Path) -> None:
    with open_memory(root) as memory:
        ep = memory.add_episode("Ann said she works at the library")
        old = memory.assert_fact("Ann", "works at", "the libary", 0.7, provenance=[ep.id])
        new = memory.correct_fact(old.id, "Ann", "works at", "the library", old.provenance)
        facts = memory.facts("ann")
        assert [(f.object, f.confidence, f.provenance) for f in facts] == \
            [("the library", 1.0, [ep.id])] and facts[0].id == new.id
        assert memory.episode(ep.id).text == ep.text  # type: ignore[union-attr]
        with pytest.raises(NotFound):
            memory.correct_fact(old.id, "Ann", "works at", "home")
        memory.forget(ep.id)
        assert memory.episode(ep.id) is None


def test_state_survives_lock_and_unlock_through_the_snapshot(root: Path) -> None:
    with open_memory(root) as memory:
        ids = [memory.add_episode(f"note {i}").id for i in range(20)]
        memory.assert_fact("Ann", "likes", "tea")
        memory.set_preference("tone", "brief")
    memory = open_memory(root)
    try:
        assert not memory.stores.rebuilt  # unsealed, not rebuilt
        assert memory.stores.episodic.ids() == set(ids)
        assert memory.preferences()["tone"].value == "brief"
        assert memory.facts("ann")[0].object == "tea"
    finally:
        memory.close(lock=True)


def test_a_corrupt_snapshot_is_rebuilt_from_the_log_not_loaded(root: Path) -> None:
    with open_memory(root) as memory:
        ids = {memory.add_episode(f"note {i}").id for i in range(10)}
    snap = root / "snapshots" / "stores.snap"
    data = bytearray(snap.read_bytes())
    data[len(data) // 2] ^= 0xFF
    snap.write_bytes(bytes(data))
    with open_memory(root) as memory:
        assert memory.stores.rebuilt
        assert memory.stores.episodic.ids() == ids


def test_a_missing_snapshot_is_rebuilt_with_progress(root: Path) -> None:
    with open_memory(root) as memory:
        memory.add_episode("something to keep")
    (root / "snapshots" / "stores.snap").unlink()
    steps: list[str] = []
    with open_memory(root, progress=lambda what, done, total: steps.append(what)) as memory:
        assert memory.stores.rebuilt and memory.stores.episodic.count() == 1
    assert "rebuilding episodic memory" in steps


def test_forget_removes_an_episode_everywhere(root: Path) -> None:
    with open_memory(root) as memory:
        keep = memory.add_episode("keep this one")
        gone = memory.add_episode("the secret plan is bananas")
        assert memory.forget(gone.id) == "episode"
        assert memory.log.get(gone.id) is None
        assert memory.stores.episodic.ids() == {keep.id}
        assert not memory.search("secret plan bananas", mode="fts")
        with pytest.raises(NotFound):
            memory.forget("no-such-id")
        fact = memory.assert_fact("Ann", "likes", "tea")
        memory.set_preference("tone", "brief")
        with pytest.raises(NotFound):  # the id of an event that is not an episode
            memory.forget(memory.log.of_kinds((Kind.PREFERENCE,))[0].uuid)
        assert memory.forget(fact.id) == "fact" and not memory.facts("ann")
        assert memory.forget("tone") == "preference" and not memory.preferences()


def test_restore_to_random_moments_reproduces_the_state_then(root: Path) -> None:
    rng = random.Random(3)
    clock_ms = [1_700_000_000_000]

    def tick() -> int:
        clock_ms[0] += 1000
        return clock_ms[0]

    memory = open_memory(root)
    try:
        memory.clock = HybridClock(memory.clock.device, now_ms=tick)
        moments = []
        for step in range(40):
            roll = rng.random()
            if roll < 0.6:
                memory.add_episode(f"event number {step}")
            elif roll < 0.8:
                memory.assert_fact("Ann", "likes", rng.choice(["tea", "coffee", "cake"]))
            elif roll < 0.9 and memory.facts("ann"):
                memory.retract_fact(rng.choice(memory.facts("ann")).id)
            else:
                memory.set_preference("tone", rng.choice(["brief", "chatty"]))
            moments.append((clock_ms[0], memory.state().summary(), live(memory)))
        for at, summary, stores in rng.sample(moments, 5):
            before = memory.state().summary(), live(memory)
            memory.restore_to(at)
            assert memory.state().summary() == summary
            assert live(memory) == stores
        memory.undo_restore()
        assert (memory.state().summary(), live(memory)) == before
    finally:
        memory.close(lock=True)


def live(memory: Memory) -> tuple[set[str], set[str]]:
    return memory.stores.episodic.ids(), memory.stores.graph.fact_ids()


def test_undo_restore_returns_to_just_before_it(root: Path) -> None:
    ticks = iter(range(1_700_000_000_000, 1_800_000_000_000, 1000))
    with open_memory(root) as memory:
        memory.clock = HybridClock(memory.clock.device, now_ms=lambda: next(ticks))
        first = memory.add_episode("first")
        cut = memory.log.get(first.id).hlc
        memory.add_episode("second")
        memory.restore_to(wall_ms(cut))
        assert memory.stores.episodic.ids() == {first.id}
        memory.undo_restore()
        assert len(memory.stores.episodic.ids()) == 2


def test_a_wrong_passphrase_touches_nothing(root: Path, private_ram: Path) -> None:
    with open_memory(root) as memory:
        memory.add_episode("hello")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    with pytest.raises(WrongPassphrase):
        Memory.open(root, passphrase="wrong", embed=hash_embed)
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert before == after
    assert not list(private_ram.iterdir())  # nothing unlocked, not even an empty folder


@pytest.mark.parametrize("damage", ["flip", "truncate", "foreign", "plain-sqlite"])
def test_a_damaged_or_foreign_log_is_refused_and_left_as_it_was(root: Path,
                                                                damage: str) -> None:
    with open_memory(root) as memory:
        for i in range(50):
            memory.add_episode(f"note {i} " + "x" * 200)
    log = root / "events.db"
    data = bytearray(log.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0xFF
    elif damage == "truncate":
        data = data[: len(data) // 2 + 100]
    elif damage == "foreign":
        data = bytearray(np.random.default_rng(1).bytes(len(data)))
    else:
        import sqlite3

        log.unlink()
        sqlite3.connect(log).execute("CREATE TABLE t(x)").connection.commit()
        data = bytearray(log.read_bytes())
    log.write_bytes(bytes(data))
    with pytest.raises(CorruptFile, match="backup restore"):
        open_memory(root)
    assert log.read_bytes() == bytes(data)


def test_a_second_process_waits_then_is_told_the_memory_is_busy(root: Path) -> None:
    import subprocess
    import sys

    with open_memory(root):
        code = ("import sys; from pathlib import Path; from tests.memory_helpers import "
                "open_memory; open_memory(Path(sys.argv[1]), lock_wait_s=0.3)")
        result = subprocess.run([sys.executable, "-c", code, str(root)],
                                capture_output=True, text=True, cwd=Path(__file__).parents[3])
    assert result.returncode != 0 and MemoryBusy.__name__ in result.stderr


def test_damage_in_a_large_log_is_found_by_check_and_backup(root: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            tmp_path: Path) -> None:
    from memory import backup, hygiene
    from memory import log as log_module

    with open_memory(root) as memory:
        for i in range(50):
            memory.add_episode(f"note {i} " + "x" * 200)
    data = bytearray((root / "events.db").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (root / "events.db").write_bytes(bytes(data))
    monkeypatch.setattr(log_module, "QUICK_CHECK_BYTES", 0)  # as if the log were huge
    memory = open_memory(root)
    try:
        with pytest.raises(CorruptFile, match="integrity check"):
            hygiene.check(memory)
        with pytest.raises(CorruptFile):
            backup.create(memory, tmp_path / "bk")
    finally:
        memory.close()
