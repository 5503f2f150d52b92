"""The semantic graph: entities, facts and their provenance, in Kùzu or Ladybug.

One adapter over both engines (`kuzu` 0.11.3 or its fork `ladybug`, the same Python API),
using core Cypher only: Ladybug ships no extensions. The two engines cannot be loaded in
one process, so the choice is made once, at start-up. Writes are batched with UNWIND, one
pattern per statement (a multi-MERGE UNWIND lost rows in Ladybug 0.22).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from memory.errors import MemoryStoreError
from memory.events import Fact

ENGINES = ("kuzu", "ladybug")
SCHEMA = [
    "CREATE NODE TABLE IF NOT EXISTS Entity(key STRING, name STRING, PRIMARY KEY(key))",
    "CREATE NODE TABLE IF NOT EXISTS Episode(id STRING, PRIMARY KEY(id))",
    "CREATE NODE TABLE IF NOT EXISTS Fact(id STRING, subject STRING, relation STRING, "
    "object STRING, confidence DOUBLE, hlc STRING, PRIMARY KEY(id))",
    "CREATE REL TABLE IF NOT EXISTS SUBJECT(FROM Fact TO Entity)",
    "CREATE REL TABLE IF NOT EXISTS OBJECT(FROM Fact TO Entity)",
    "CREATE REL TABLE IF NOT EXISTS EVIDENCE(FROM Fact TO Episode)",
]
BATCH = 5_000


def load_engine(name: str) -> Any:
    """Import the engine module, refusing to mix the two in one process."""
    if name not in ENGINES:
        raise MemoryStoreError(f"unknown graph engine {name!r}: choose kuzu or ladybug")
    other = ENGINES[1 - ENGINES.index(name)]
    if other in sys.modules:
        raise MemoryStoreError(f"{other} is already loaded in this process; {name} cannot "
                               "be loaded beside it (restart Famulus after changing engine)")
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise MemoryStoreError(f"the graph engine {name} is not installed: "
                               f"pip install {name}") from exc


def entity_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class SemanticGraph:
    """Facts as nodes linked to their subject, object and evidence episodes."""

    def __init__(self, folder: Path, engine: str = "kuzu") -> None:
        self.engine_name = engine
        module = load_engine(engine)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.db = module.Database(str(folder / "graph.db"))
        self.conn = module.Connection(self.db)
        for statement in SCHEMA:
            self.conn.execute(statement)

    def close(self) -> None:
        self.conn.close()
        self.db.close()

    def _query(self, cypher: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        result = self.conn.execute(cypher, params or {})
        rows = []
        while result.has_next():
            rows.append(result.get_next())
        return rows

    # Writing
    def upsert(self, facts: list[Fact]) -> None:
        """Add or update facts (idempotent: MERGE on ids)."""
        for start in range(0, len(facts), BATCH):
            self._upsert_batch(facts[start:start + BATCH])

    def _upsert_batch(self, facts: list[Fact]) -> None:
        if not facts:
            return
        self.delete_facts([f.id for f in facts])
        names = {entity_key(n): n for f in facts for n in (f.subject, f.object)}
        self.conn.execute("UNWIND $rows AS r MERGE (e:Entity {key: r.key}) SET e.name = r.name",
                          {"rows": [{"key": k, "name": n} for k, n in names.items()]})
        rows = [{"id": f.id, "s": f.subject, "r": f.relation, "o": f.object,
                 "c": f.confidence, "h": f.hlc, "sk": entity_key(f.subject),
                 "ok": entity_key(f.object)} for f in facts]
        self.conn.execute("UNWIND $rows AS r CREATE (:Fact {id: r.id, subject: r.s, "
                          "relation: r.r, object: r.o, confidence: r.c, hlc: r.h})",
                          {"rows": rows})
        for rel, key in (("SUBJECT", "sk"), ("OBJECT", "ok")):
            self.conn.execute(f"UNWIND $rows AS r MATCH (f:Fact {{id: r.id}}), "
                              f"(e:Entity {{key: r.{key}}}) CREATE (f)-[:{rel}]->(e)",
                              {"rows": rows})
        evidence = [{"f": f.id, "e": ep} for f in facts for ep in f.provenance]
        if evidence:
            self.conn.execute("UNWIND $rows AS r MERGE (:Episode {id: r.e})",
                              {"rows": [{"e": e} for e in {x["e"] for x in evidence}]})
            self.conn.execute("UNWIND $rows AS r MATCH (f:Fact {id: r.f}), "
                              "(e:Episode {id: r.e}) CREATE (f)-[:EVIDENCE]->(e)",
                              {"rows": evidence})

    def delete_facts(self, ids: list[str]) -> None:
        if ids:
            self.conn.execute("UNWIND $ids AS i MATCH (f:Fact {id: i}) DETACH DELETE f",
                              {"ids": ids})

    def delete_episode(self, episode_id: str) -> None:
        """Drop an episode's node; facts it supported keep their other evidence."""
        self.conn.execute("MATCH (e:Episode {id: $id}) DETACH DELETE e", {"id": episode_id})

    def checkpoint(self) -> None:
        """Fold the engine's WAL into its file, so a sealed copy is self-contained."""
        self.conn.execute("CHECKPOINT")

    # Reading
    def facts_about(self, name: str, limit: int = 100) -> list[Fact]:
        """Facts whose subject or object is the entity, strongest first."""
        rows = self._query(
            "MATCH (f:Fact)-[:SUBJECT|OBJECT]->(e:Entity {key: $key}) "
            "OPTIONAL MATCH (f)-[:EVIDENCE]->(ep:Episode) "
            "RETURN f.id, f.subject, f.relation, f.object, f.confidence, f.hlc, "
            "collect(ep.id) ORDER BY f.confidence DESC, f.hlc DESC LIMIT $limit",
            {"key": entity_key(name), "limit": limit})
        return [Fact(r[0], r[1], r[2], r[3], float(r[4]), r[5],
                     sorted({e for e in (r[6] or []) if e})) for r in rows]

    def entity_names(self) -> list[str]:
        return [r[0] for r in self._query("MATCH (e:Entity) RETURN e.name ORDER BY e.name")]

    def fact_ids(self) -> set[str]:
        return {r[0] for r in self._query("MATCH (f:Fact) RETURN f.id")}

    def count(self) -> dict[str, int]:
        return {label.lower(): int(self._query(f"MATCH (n:{label}) RETURN count(n)")[0][0])
                for label in ("Entity", "Fact", "Episode")}
