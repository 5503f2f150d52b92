"""Retention (forgetting old episodes for real) and `check` (rebuild and compare)."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from memory import ramdir
from memory.episodic import EpisodicStore
from memory.events import Episode
from memory.graph import SemanticGraph, entity_key
from memory.state import fold

DAY_MS = 86_400_000
Summarise = Callable[[list[Episode]], str | None]


def apply_retention(memory: Any, days: int, now_ms: int,
                    summarise: Summarise | None = None) -> dict[str, Any]:
    """Forget episodes older than `days`: tombstones, purged log pages, compacted tables.

    `summarise` (the agent's hook) sees the doomed episodes first; a text it returns is
    kept as a new episode, so the gist survives what is forgotten.
    """
    if days <= 0:
        return {"forgotten": 0, "summary_id": None}
    cutoff = now_ms - days * DAY_MS
    doomed = [e for e in memory.state().episodes.values() if e.time_ms < cutoff]
    summary_id = None
    if doomed and summarise is not None:
        text = summarise(doomed)
        if text:
            summary_id = memory.add_episode(text, speaker="famulus", channel="summary").id
    if doomed:  # one write; the scrub vacuums the log, rewrites the table, reseals
        memory.forget_many([e.id for e in doomed])
    return {"forgotten": len(doomed), "cutoff_ms": cutoff, "summary_id": summary_id}


def check(memory: Any) -> dict[str, Any]:
    """Rebuild the stores from the log into scratch space and compare with the live ones."""
    memory.log.verify()
    state = fold(memory.log.in_order())
    live_rows = {r["id"]: r["text"] for r in memory.stores.episodic.all_rows()}
    live_facts = memory.stores.graph.fact_ids()
    with tempfile.TemporaryDirectory(dir=ramdir.ram_base()) as scratch:
        rebuilt = EpisodicStore(Path(scratch) / "episodes", memory.stores.dim)
        rebuilt.replace_all(list(state.episodes.values()))
        rebuilt_rows = {r["id"]: r["text"] for r in rebuilt.all_rows()}
        graph = SemanticGraph(Path(scratch) / "graph", memory.stores.engine)
        graph.upsert(list(state.facts.values()))
        rebuilt_facts = graph.fact_ids()
        graph.close()
    drift = {
        "episodes_missing": sorted(set(rebuilt_rows) - set(live_rows)),
        "episodes_extra": sorted(set(live_rows) - set(rebuilt_rows)),
        "episodes_changed": sorted(i for i in set(live_rows) & set(rebuilt_rows)
                                   if live_rows[i] != rebuilt_rows[i]),
        "facts_missing": sorted(rebuilt_facts - live_facts),
        "facts_extra": sorted(live_facts - rebuilt_facts),
    }
    return {"ok": not any(drift.values()), "drift": drift,
            "episodes": len(rebuilt_rows), "facts": len(rebuilt_facts),
            "contradictions": contradictions(state.facts.values())}


def contradictions(facts: Any) -> list[dict[str, Any]]:
    """Facts that give one subject several values for the same relation."""
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for fact in facts:
        groups[(entity_key(fact.subject), entity_key(fact.relation))].append(fact)
    return [{"subject": group[0].subject, "relation": group[0].relation,
             "facts": [f.to_dict() for f in sorted(group, key=lambda f: f.hlc)]}
            for group in groups.values() if len({entity_key(f.object) for f in group}) > 1]
