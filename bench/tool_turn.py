"""A one-tool turn, as a person makes it: "make a note called groceries with milk and
eggs" at autonomy level 1 (a note is written without asking), memory on. Prints the time
from the message to the tool's result and to the end of the answer, medians over a few
notes, for the agent as it is (the tool's own sentence is the answer) and, in the same run,
with the model asked to write the confirmation (how it was before).

    .venv/bin/python bench/tool_turn.py [--model default|light] [--turns 4] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("FAMULUS_CACHE_DIR", str(ROOT / ".cache"))
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bench.agent import profile_for, seed_memory  # noqa: E402

NOTES = [("groceries", "milk and eggs"), ("packing", "passport and charger"),
         ("books", "Dune and Emma"), ("garden", "water the roses"),
         ("gifts", "a scarf for Ana"), ("car", "check the tyres")]


def one_turn(famulus: Any, title: str, text: str, thread: str) -> dict[str, float]:
    from agent.events import ToolDone, TurnFinished

    start = time.perf_counter()
    to_tool, answer = None, ""
    for event in famulus.turn(f"make a note called {title} with {text}", thread):
        if isinstance(event, ToolDone) and to_tool is None:
            to_tool = time.perf_counter() - start
        elif isinstance(event, TurnFinished):
            answer = event.answer
    return {"to_tool_s": to_tool if to_tool is not None else float("nan"),
            "total_s": time.perf_counter() - start, "done": to_tool is not None,
            "answer": answer}


def run(model: str, turns: int) -> dict[str, Any]:
    from app.famulus import open_famulus

    home = Path(tempfile.mkdtemp(prefix=f"famulus-bench-tool-{model}-"))
    profile = profile_for(home, model)
    seed_memory(profile)
    found: dict[str, list[dict[str, Any]]] = {"tool_tells": [], "model_confirms": []}
    with open_famulus(profile) as famulus:
        famulus.warm_up()
        for index in range(turns):  # interleaved, so both meet the same caches and load
            for way in found:
                famulus.agent.config.tools_tell_changes = way == "tool_tells"
                title, text = NOTES[index % len(NOTES)]
                found[way].append(one_turn(famulus, f"{title}-{way}-{index}", text,
                                           f"bench-{way}-{index}"))
    return {way: {"turns": len(rows), "done": sum(r["done"] for r in rows),
                  "to_tool_s_p50": round(statistics.median(r["to_tool_s"] for r in rows), 2),
                  "total_s_p50": round(statistics.median(r["total_s"] for r in rows), 2),
                  "answer_example": rows[0]["answer"]}
            for way, rows in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = {"model": args.model, "cores": os.cpu_count(), "cpu": platform.processor(),
              **run(args.model, args.turns)}
    now, before = result["tool_tells"]["total_s_p50"], result["model_confirms"]["total_s_p50"]
    result["ratio_total_now_to_before"] = round(now / before, 3) if before else None
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
