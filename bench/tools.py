"""Tool figures: the gate's overhead per call, a whole call through the service, and a
10,000-call fuzz run's counts.

The gate's cost is set beside the raw library doing the same work in the same run (a
jsonschema validator checking the same arguments; a ratio > 1 means the gate costs more).
The goal is under a millisecond per call.

    .venv/bin/python bench/tools.py [--calls 10000] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jsonschema import Draft202012Validator  # noqa: E402

from memory.actions import ActionDatabase  # noqa: E402
from tools.boundaries import Boundaries  # noqa: E402
from tools.catalog import builtin_tools  # noqa: E402
from tools.context import Outcome, ToolContext  # noqa: E402
from tools.declare import Tool  # noqa: E402
from tools.gate import Gate, Origin, ToolCall  # noqa: E402
from tools.manifest import RateLimit  # noqa: E402
from tools.registry import Registry  # noqa: E402
from tools.service import ToolService  # noqa: E402
from tools.store import VolatileStore  # noqa: E402
from tools.validation import validate  # noqa: E402

SAMPLE = [ToolCall("file_write", {"path": "notes/a.txt", "content": "hello", "mode": "create"}),
          ToolCall("email_send", {"to": ["bob@example.com"], "subject": "s", "body": "b"}),
          ToolCall("web_fetch", {"url": "https://en.wikipedia.org/wiki/Tide"}),
          ToolCall("table_query", {"path": "data.csv", "where": "age > 3", "limit": 5})]
WEIRD = [None, True, -1, 3.5, "", "../../etc/passwd", "/etc/shadow", "a.txt", [], {},
         "https://evil.example/x", "bob@example.com", "x" * 300, ["a", 1], {"k": "v"}]


def noop(t: Tool) -> Tool:
    def run(ctx: ToolContext, arguments: dict[str, Any]) -> Outcome:
        return Outcome("ok")

    return Tool(t.manifest, run)


def per_call_us(fn: Any, calls: list[Any], rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for call in calls:
            fn(call)
        best = min(best, (time.perf_counter() - start) / len(calls))
    return best * 1e6


def gate_overhead(root: Path) -> dict[str, Any]:
    registry = Registry(builtin_tools())
    gate = Gate(registry, Boundaries((root,), ("*.wikipedia.org",), ("bob@example.com",)), 2)
    gate.limiter.take = lambda name, limit: None  # measure decisions, not the limit
    calls = SAMPLE * 500
    validators = {t.name: Draft202012Validator(t.manifest.parameters) for t in registry}

    def raw(call: ToolCall) -> None:
        list(validators[call.tool].iter_errors(call.arguments))

    def ours(call: ToolCall) -> None:
        gate.decide(call)

    def ours_validation(call: ToolCall) -> None:
        validate(registry.get(call.tool).manifest, call.arguments)

    raw_us, gate_us = per_call_us(raw, calls), per_call_us(ours, calls)
    return {"gate_decide_us": round(gate_us, 1), "raw_jsonschema_us": round(raw_us, 1),
            "famulus_validation_us": round(per_call_us(ours_validation, calls), 1),
            "ratio_gate_to_raw_validation": round(gate_us / raw_us, 2),
            "goal_under_1000_us": gate_us < 1000}


def service_call(root: Path, store: Any, label: str, n: int = 300) -> dict[str, Any]:
    tools = [noop(t) for t in builtin_tools()]
    registry = Registry(tools)
    gate = Gate(registry, Boundaries((root,)), 3)
    service = ToolService(registry, gate, store, {})
    call = ToolCall("file_list", {"path": "."})
    times = []
    for _ in range(n):
        start = time.perf_counter()
        service.call(call)
        times.append(time.perf_counter() - start)
    times.sort()
    return {f"{label}_p50_ms": round(statistics.median(times) * 1e3, 3),
            f"{label}_p95_ms": round(times[int(len(times) * 0.95)] * 1e3, 3)}


def random_call(rng: random.Random, names: list[str], props: dict[str, list[str]]) -> ToolCall:
    name = rng.choice([*names, "no_such_tool", 7])
    keys = [*props.get(name, []), "bogus"] if isinstance(name, str) else ["x"]
    if rng.random() < 0.1:
        arguments: Any = rng.choice(WEIRD)
    else:
        arguments = {rng.choice(keys): rng.choice(WEIRD)
                     for _ in range(rng.randint(0, len(keys) + 1))}
    return ToolCall(name, arguments, rng.choice(list(Origin)), rng.random())


def fuzz(root: Path, calls: int) -> dict[str, Any]:
    ran: list[tuple[str, Any]] = []

    def spy(t: Tool) -> Tool:
        def run(ctx: ToolContext, arguments: dict[str, Any]) -> Outcome:
            ran.append((t.name, arguments))
            return Outcome("ok")

        return Tool(t.manifest, run)

    # generous limits: the fuzz measures decisions, not throttling
    tools = [spy(Tool(replace(t.manifest, rate_limit=RateLimit(10**9, 1)), t.run))
             for t in builtin_tools()]
    names = [t.name for t in tools]
    props = {t.name: list(t.manifest.parameters.get("properties", {})) for t in tools}
    rng, counts = random.Random(7), {"done": 0, "refused": 0, "review": 0, "failed": 0}
    invalid_executed = errors = 0
    for _ in range(calls):
        registry = Registry(tools)
        service = ToolService(registry, Gate(registry, Boundaries((root,)), rng.randint(0, 3)),
                              VolatileStore(), {})
        ran.clear()
        try:
            result = service.call(random_call(rng, names, props))
            counts[result.status] += 1
        except Exception:
            errors += 1
            continue
        for name, arguments in ran:
            try:
                validate(registry.get(name).manifest, arguments)
            except Exception:
                invalid_executed += 1
    return {"fuzz_calls": calls, **{f"fuzz_{k}": v for k, v in counts.items()},
            "fuzz_unhandled_exceptions": errors, "fuzz_invalid_calls_executed": invalid_executed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="famulus-bench-tools-"))
    report: dict[str, Any] = {"machine": f"{platform.processor() or platform.machine()}, "
                                         f"{os.cpu_count()} CPUs, Python "
                                         f"{platform.python_version()}"}
    report.update(gate_overhead(root))
    report.update(service_call(root, VolatileStore(), "service_call_ram_store"))
    db = ActionDatabase(root / "actions.db", os.urandom(32))
    report.update(service_call(root, db, "service_call_encrypted_store"))
    db.close()
    report.update(fuzz(root, args.calls))
    for key, value in report.items():
        print(f"{key:<40} {value}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
