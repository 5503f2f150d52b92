"""Retention forgets old episodes for real, after letting a hook summarise them."""

from __future__ import annotations

from pathlib import Path

from memory.events import Episode
from memory.hygiene import DAY_MS, apply_retention, check
from tests.memory_helpers import create, open_memory

NOW = 1_800_000_000_000


def test_old_episodes_are_summarised_then_gone_from_log_tables_and_snapshot(
        tmp_path: Path) -> None:
    root = tmp_path / "memory"
    create(root)
    seen: list[Episode] = []

    def summarise(doomed: list[Episode]) -> str:
        seen.extend(doomed)
        return f"Summary of {len(doomed)} old notes about gardening."

    with open_memory(root) as memory:
        old = [memory.add_episode(f"ancient gardening note {i} marigold", time_ms=NOW - 120 *
                                  DAY_MS + i) for i in range(3)]
        fresh = memory.add_episode("recent note", time_ms=NOW - DAY_MS)
        memory.seal()
        result = apply_retention(memory, 90, NOW, summarise)
        assert result["forgotten"] == 3 and {e.id for e in seen} == {e.id for e in old}
        ids = memory.stores.episodic.ids()
        assert fresh.id in ids and result["summary_id"] in ids
        assert not ids & {e.id for e in old}
        assert memory.log.known([e.id for e in old]) == {e.id for e in old}  # as purged
        assert all(memory.log.get(e.id) is None for e in old)
        assert not memory.search("marigold", mode="fts")
        assert check(memory)["ok"]
    with open_memory(root) as memory:  # the resealed snapshot holds none of them either
        assert not memory.stores.rebuilt
        assert not memory.stores.episodic.ids() & {e.id for e in old}


def test_zero_days_keeps_everything(tmp_path: Path) -> None:
    root = tmp_path / "memory"
    create(root)
    with open_memory(root) as memory:
        memory.add_episode("very old", time_ms=1)
        assert apply_retention(memory, 0, NOW)["forgotten"] == 0
        assert memory.stores.episodic.count() == 1
