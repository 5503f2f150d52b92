"""Exercise one graph engine in its own process (Kùzu and Ladybug cannot share one)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from memory.errors import MemoryStoreError
from memory.events import Fact
from memory.graph import SemanticGraph, load_engine
from tests.memory_helpers import create, open_memory


def main(engine: str) -> dict[str, object]:
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as scratch:
        graph = SemanticGraph(Path(scratch) / "g", engine)
        facts = [Fact(f"f{i}", f"Person {i % 50}", "knows", f"Person {(i + 1) % 50}", 0.5,
                      f"{i:013d}", [f"ep{i % 10}"]) for i in range(2000)]
        graph.upsert(facts)
        graph.upsert(facts[:10])  # idempotent
        out["counts"] = graph.count()
        out["about"] = sorted(f.id for f in graph.facts_about("person 7"))
        out["evidence"] = graph.facts_about("Person 3")[0].provenance
        graph.delete_facts(["f3"])
        graph.delete_episode("ep4")
        out["after_delete"] = graph.count()
        graph.close()
        root = Path(scratch) / "memory"
        create(root)
        with open_memory(root, engine=engine) as memory:
            ep = memory.add_episode("Ann moved to Oslo")
            memory.assert_fact("Ann", "lives in", "Oslo", provenance=[ep.id])
        with open_memory(root, engine=engine) as memory:
            out["memory_facts"] = [f.to_dict()["object"] for f in memory.facts("ann")]
    other = "ladybug" if engine == "kuzu" else "kuzu"
    try:
        load_engine(other)
        out["mixing"] = "allowed"
    except MemoryStoreError as exc:
        out["mixing"] = str(exc)
    return out


def reopen(engine: str, root: Path) -> dict[str, object]:
    """Open (creating if needed) a memory with `engine`; report its facts."""
    if not root.exists():
        create(root)
    with open_memory(root, engine=engine) as memory:
        if not memory.facts("ann"):
            memory.assert_fact("Ann", "lives in", "Oslo")
        return {"rebuilt": memory.stores.rebuilt, "engine": memory.stores.engine,
                "facts": [f.object for f in memory.facts("ann")]}


if __name__ == "__main__":
    if len(sys.argv) > 2:
        print(json.dumps(reopen(sys.argv[1], Path(sys.argv[2]))))
    else:
        print(json.dumps(main(sys.argv[1])))
