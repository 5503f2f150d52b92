"""Agent figures: a turn's latency broken down, and the agent's overhead over the model.

Each turn runs through the whole agent (working memory from an encrypted memory of a few
hundred episodes, the tools gate, storing the turn). The last prompt the agent sent is then
given to the raw backend in the same process, and the generation speeds are compared
(goal: agent tokens/s >= 0.95 x raw; the prompt's reading is excluded from both).

    .venv/bin/python bench/agent.py [--models light default] [--turns 5] [--json OUT]
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

QUESTIONS = ["When is my sister's birthday?", "What did I say about the dentist?",
             "Which city does Ana live in?", "What should I buy for the kayak trip?",
             "Summarise what I told you about work."]
FACTS = ["My sister's birthday is June 3rd.", "My dentist is Dr. Silva on Main Street.",
         "Ana moved to Porto last spring.", "For the kayak trip we need dry bags and snacks.",
         "At work I lead the observatory's data team."]


def profile_for(home: Path, model: str) -> Any:
    from app import paths, settings
    from app.profile import open_profile

    os.environ.update({"FAMULUS_HOME": str(home), "FAMULUS_PASSPHRASE": "bench passphrase",
                       "FAMULUS_MODELS_CHAT": model, "FAMULUS_INFERENCE_TEMPERATURE": "0",
                       "FAMULUS_INFERENCE_MAX_TOKENS": "96"})
    resolved = paths.resolve(None)
    return open_profile(resolved, settings.load(resolved.config_file))


def seed_memory(profile: Any) -> None:
    from app.build_memory import memory_root, open_memory
    from memory import store

    store.init(memory_root(profile), os.environ["FAMULUS_PASSPHRASE"])
    with open_memory(profile) as memory:
        filler = [f"Note {n}: errands, weather and plans for day {n}." for n in range(300)]
        for start in range(0, len(filler), 100):
            for text in filler[start:start + 100]:
                memory.add_episode(text, speaker="user")
        for text in FACTS:
            memory.add_episode(text, speaker="user")


def run_model(model: str, turns: int, one_thread: bool = False) -> dict[str, Any]:
    from agent.events import TurnFinished
    from app.famulus import open_famulus
    from inference.messages import Finished

    home = Path(tempfile.mkdtemp(prefix=f"famulus-bench-agent-{model}-"))
    profile = profile_for(home, model)
    seed_memory(profile)
    rows, raw_speeds = [], []
    with open_famulus(profile) as famulus:
        router = famulus.agent.router
        backend = next(b for b in router.backends if b.name == "local")
        sent: list[Any] = []
        original = router.stream

        def capture(request: Any) -> Any:
            sent.append(request)
            return original(request)

        router.stream = capture
        for index, question in enumerate(QUESTIONS[:turns]):
            thread = "bench" if one_thread else f"bench-{index}"
            finished = [e for e in famulus.turn(question, thread)
                        if isinstance(e, TurnFinished)][-1]
            rows.append(finished)
            events = list(backend.stream(sent[-1]))  # to the end: it releases the model
            stats = next(e.stats for e in events if isinstance(e, Finished))
            raw_speeds.append(stats.tokens_per_s)
    return summarise(model, rows, raw_speeds)


def summarise(model: str, rows: list[Any], raw_speeds: list[float | None]) -> dict[str, Any]:
    def median(key: str) -> float:
        return round(statistics.median(r.timings[key] or 0.0 for r in rows), 3)

    agent_speed = statistics.median(r.tokens_per_s for r in rows if r.tokens_per_s)
    raw_speed = statistics.median(s for s in raw_speeds if s)
    return {"model": model, "turns": len(rows),
            "retrieve_s": median("retrieve_s"), "model_s": median("model_s"),
            "first_token_s": median("first_token_s"), "tools_s": median("tools_s"),
            "store_s": median("store_s"), "total_s": median("total_s"),
            "prompt_tokens": statistics.median(r.generation.get("prompt_tokens", 0)
                                               for r in rows),
            "reused_prompt_tokens": statistics.median(
                r.generation.get("reused_prompt_tokens", 0) for r in rows[1:] or rows),
            "agent_tokens_per_s": round(agent_speed, 1), "raw_tokens_per_s": round(raw_speed, 1),
            "ratio_agent_to_raw": round(agent_speed / raw_speed, 3),
            "goal_ratio_at_least_0_95": agent_speed / raw_speed >= 0.95}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["light"])
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--one-thread", action="store_true",
                        help="all turns in one thread (a conversation), not one thread each")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
              "when": time.strftime("%Y-%m-%d"), "results": []}
    for model in args.models:
        result = run_model(model, args.turns, args.one_thread)
        report["results"].append(result)
        for key, value in result.items():
            print(f"{key:<28} {value}")
        print()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
