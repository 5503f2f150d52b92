"""Every function schema in the BFCL data, through the tool-call grammar: each tool's
schema (as BFCL writes it, Python type names and all) is turned into llama.cpp's grammar
and compiled by llama.cpp. Prints how many schemas there are, how many grammars llama.cpp
accepted, how many had to fall back to "any object" for their arguments (the gate then
validates them against the real schema), and the exceptions (goal: 0).

    .venv/bin/pip install --no-deps bfcl-eval   # the data, once
    .venv/bin/python bench/grammar_sweep.py [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bfcl  # noqa: E402
from inference import toolcalls  # noqa: E402
from inference.messages import ToolSpec  # noqa: E402


def functions() -> dict[str, dict[str, Any]]:
    """Every distinct function definition in the data files, by its JSON text."""
    found: dict[str, dict[str, Any]] = {}
    folder = bfcl.data_dir()
    for path in sorted([*folder.glob("BFCL_v4_*.json"),
                        *folder.glob("multi_turn_func_doc/*.json")]):
        for line in path.open():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:  # a file that is not JSON lines
                continue
            listed = entry.get("function") if isinstance(entry, dict) else None
            for f in listed if isinstance(listed, list) else [entry]:
                if isinstance(f, dict) and "parameters" in f:
                    found.setdefault(json.dumps(f, sort_keys=True), f)
    return found


def sweep() -> dict[str, Any]:
    from llama_cpp import LlamaGrammar

    counts = {"schemas": 0, "compiled": 0, "loose": 0, "exceptions": 0}
    failures: list[str] = []
    start = time.perf_counter()
    for f in functions().values():
        counts["schemas"] += 1
        spec = ToolSpec(str(f.get("name", "tool")), str(f.get("description", "")),
                        f["parameters"])
        try:
            if toolcalls._gbnf(toolcalls.call_schema([spec])) is None:
                counts["loose"] += 1
            source = toolcalls.grammar([spec])
            LlamaGrammar.from_string(source, verbose=False)
            counts["compiled"] += 1
        except Exception as exc:  # what the sweep is looking for
            counts["exceptions"] += 1
            failures.append(f"{spec.name}: {type(exc).__name__}: {exc}"[:200])
    return {**counts, "seconds": round(time.perf_counter() - start, 1),
            "failures": failures[:20]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = sweep()
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
