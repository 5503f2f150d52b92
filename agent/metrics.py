"""Observability: turn timings, tool outcomes and the person's feedback over time, in
`<data>/metrics.db` (figures only, no conversation text), and the alerts drawn from them.

`Metrics.observe` is an agent observer: it sees every event from outside the loop.
"""

from __future__ import annotations

import logging
import sqlite3
import statistics
import threading
import time
from pathlib import Path
from typing import Any

from agent.errors import NextStep
from agent.events import AgentEvent, ToolDone, ToolFailed, TurnFinished

log = logging.getLogger(__name__)
SCHEMA = """
CREATE TABLE IF NOT EXISTS turns (id INTEGER PRIMARY KEY, time REAL, total_s REAL,
    first_token_s REAL, tokens_per_s REAL, retrieve_s REAL, tools_s REAL, steps INTEGER,
    backend TEXT, memories INTEGER);
CREATE TABLE IF NOT EXISTS tools (id INTEGER PRIMARY KEY, time REAL, tool TEXT, ok INTEGER,
    refused INTEGER);
CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY, time REAL, kind TEXT,
    value INTEGER, turn INTEGER);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT, time REAL);
"""
UNRESPONSIVE_S = 300.0
TOOL_FAILURE_ALERT = 0.10


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 4)


class Metrics:
    """Figures over time, and alerts."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                                  timeout=10)
        self.db.executescript(SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self.db.close()

    def _insert(self, sql: str, args: tuple[Any, ...]) -> int:
        with self._lock:
            return int(self.db.execute(sql, args).lastrowid or 0)

    def observe(self, event: AgentEvent) -> None:
        now = time.time()
        if isinstance(event, TurnFinished):
            t = event.timings
            self._insert("INSERT INTO turns VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (now, t.get("total_s"), t.get("first_token_s"), event.tokens_per_s,
                          t.get("retrieve_s"), t.get("tools_s"), event.steps, event.backend,
                          len(event.memories_used)))
            self.heartbeat()
        elif isinstance(event, ToolDone):
            self._insert("INSERT INTO tools VALUES (NULL, ?, ?, 1, 0)", (now, event.tool))
        elif isinstance(event, ToolFailed):
            self._insert("INSERT INTO tools VALUES (NULL, ?, ?, 0, ?)",
                         (now, event.tool, int(event.refused)))

    def feedback(self, kind: str, good: bool) -> int:
        """Thumbs up or down on the last answer (`answer`) or on the memories it used
        (`memory`)."""
        turn = self.db.execute("SELECT max(id) FROM turns").fetchone()[0]
        return self._insert("INSERT INTO feedback VALUES (NULL, ?, ?, ?, ?)",
                            (time.time(), kind, int(good), turn))

    def set_state(self, key: str, value: str) -> None:
        self._insert("INSERT OR REPLACE INTO state VALUES (?, ?, ?)", (key, value, time.time()))

    def state(self, key: str) -> tuple[str, float] | None:
        row = self.db.execute("SELECT value, time FROM state WHERE key = ?", (key,)).fetchone()
        return (row[0], row[1]) if row else None

    def heartbeat(self) -> None:
        """A running agent says it is alive (every minute, and after each turn)."""
        self.set_state("heartbeat", str(time.time()))

    def summary(self, last: int = 500) -> dict[str, Any]:
        turns = self.db.execute("SELECT total_s, first_token_s, tokens_per_s FROM turns "
                                "ORDER BY id DESC LIMIT ?", (last,)).fetchall()
        tools = self.db.execute("SELECT ok, refused FROM tools ORDER BY id DESC LIMIT ?",
                                (last,)).fetchall()
        votes = self.db.execute("SELECT kind, value FROM feedback").fetchall()
        ran = [t for t in tools if not t[1]]  # refusals are the gate working, not failures

        def rate(kind: str) -> dict[str, Any]:
            up = sum(1 for k, v in votes if k == kind and v)
            down = sum(1 for k, v in votes if k == kind and not v)
            return {"up": up, "down": down,
                    "rate": round(up / (up + down), 4) if up + down else None}

        speeds = [t[2] for t in turns if t[2]]
        return {
            "turns": self.db.execute("SELECT count(*) FROM turns").fetchone()[0],
            "response_time_s": {"p50": _percentile([t[0] for t in turns if t[0]], 0.5),
                                "p95": _percentile([t[0] for t in turns if t[0]], 0.95)},
            "time_to_first_token_s": {"p50": _percentile([t[1] for t in turns if t[1]], 0.5),
                                      "p95": _percentile([t[1] for t in turns if t[1]],
                                                         0.95)},
            "tokens_per_s_median": round(statistics.median(speeds), 2) if speeds else None,
            "tool_calls": len(tools), "tool_refusals": sum(t[1] for t in tools),
            "tool_success_rate": round(sum(t[0] for t in ran) / len(ran), 4) if ran else None,
            "satisfaction": rate("answer"), "memory_feedback": rate("memory"),
        }

    def daily(self, days: int = 30) -> dict[str, list[tuple[str, float]]]:
        """Per-day figures for charts, oldest first: median response time, tool success
        rate (refusals left out), satisfaction and memory (retrieval) feedback rates."""
        since = time.time() - days * 86400
        day = "date(time, 'unixepoch', 'localtime')"
        times: dict[str, list[float]] = {}
        for when, total in self.db.execute(f"SELECT {day}, total_s FROM turns WHERE time >= ? "
                                           "AND total_s IS NOT NULL ORDER BY time", (since,)):
            times.setdefault(when, []).append(total)

        def rates(sql: str, *args: Any) -> list[tuple[str, float]]:
            return [(d, round(r, 4)) for d, r in self.db.execute(sql, (since, *args))]

        return {
            "response_time_s": [(d, round(statistics.median(v), 3)) for d, v in times.items()],
            "tool_success_rate": rates(f"SELECT {day}, avg(ok) FROM tools WHERE time >= ? AND "
                                       "NOT refused GROUP BY 1 ORDER BY 1"),
            "satisfaction": rates(f"SELECT {day}, avg(value) FROM feedback WHERE time >= ? "
                                  "AND kind = ? GROUP BY 1 ORDER BY 1", "answer"),
            "retrieval_accuracy": rates(f"SELECT {day}, avg(value) FROM feedback WHERE "
                                        "time >= ? AND kind = ? GROUP BY 1 ORDER BY 1",
                                        "memory"),
        }

    def alerts(self, summary: dict[str, Any] | None = None) -> list[dict[str, str]]:
        """What needs attention: an unresponsive agent, failing tools, damaged memory; each
        with its kind, its text and the next step (an agent.errors.NextStep value)."""
        summary = summary or self.summary()
        found = []
        beat, running = self.state("heartbeat"), self.state("running")
        if running and running[0] == "yes" and beat and \
                time.time() - float(beat[0]) > UNRESPONSIVE_S:
            found.append({"kind": "unresponsive", "text": "the running agent has not answered "
                          f"for {int(time.time() - float(beat[0]))} s", "next_step": ""})
        rate = summary.get("tool_success_rate")
        if rate is not None and summary["tool_calls"] >= 10 and 1 - rate > TOOL_FAILURE_ALERT:
            found.append({"kind": "tool_failures", "text": f"{(1 - rate):.0%} of tool calls "
                          "failed recently", "next_step": NextStep.SEE_AUDIT.value})
        check = self.state("memory_check")
        if check and check[0] != "ok":
            found.append({"kind": "memory_corruption", "text": f"the memory check found a "
                          f"problem: {check[0]}", "next_step": NextStep.CHECK_MEMORY.value})
        for alert in found:
            log.warning("alert %s: %s", alert["kind"], alert["text"])
        return found
