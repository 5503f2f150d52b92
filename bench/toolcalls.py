"""Tool calls with the embedded local models on BFCL's simple, multiple and irrelevance sets.

For each model, with and without the grammar constraint, side by side: the share of outputs
that are valid calls, the share that match the expected call (BFCL-style AST match), and
correct abstention on `irrelevance`. Install the data first:
    .venv/bin/pip install --no-deps bfcl-eval

    .venv/bin/python bench/toolcalls.py [--models light default] [--limit 50] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import bfcl  # noqa: E402
from inference import embedded  # noqa: E402
from inference.local import LocalBackend  # noqa: E402
from inference.local_loader import LocalModelConfig  # noqa: E402
from inference.messages import (  # noqa: E402
    ChatMessage,
    ChatRequest,
    Finished,
    GenerationOptions,
    ToolCallReady,
)

CATEGORIES = {"simple": "simple_python", "multiple": "multiple", "irrelevance": "irrelevance"}


def _sample(entries: list[dict], limit: int) -> list[dict]:
    if limit <= 0 or limit >= len(entries):
        return entries
    step = len(entries) / limit
    return [entries[int(i * step)] for i in range(limit)]


THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)


def offered(entry: dict, chooser: Any) -> tuple:
    """The entry's tools, or only those the agent's tool choice offers for its question
    (by meaning, with the embedded MiniLM, and by words): the agent's way to abstain."""
    tools = bfcl.tools_of(entry)
    if chooser is None:
        return tools
    from agent.tool_choice import select

    question = " ".join(m["content"] for m in entry["question"][0] if m["role"] == "user")
    manifests = [SimpleNamespace(name=t.name, description=t.description, examples=(),
                                 parameters=t.parameters) for t in tools]
    return tuple(select(manifests, question, 6, chooser))


def run_entry(backend: LocalBackend, entry: dict, constrain: bool,
              chooser: Any = None) -> dict:
    """One BFCL entry: the calls made, parse errors, and the model's call confidence."""
    messages = tuple(ChatMessage(m["role"], m["content"]) for m in entry["question"][0])
    tools = offered(entry, chooser)
    if not tools:  # none fits: the agent answers in words without asking for a call
        return {"called": False, "valid": False, "match": False, "confidence": 0.0}
    request = ChatRequest(messages, tools=tools, constrain_tool_calls=constrain,
                          options=GenerationOptions(max_tokens=256, temperature=0.0))
    calls, stats = [], None
    for event in backend.stream(request):
        if isinstance(event, ToolCallReady):
            calls.append(event.call)
        elif isinstance(event, Finished):
            stats = event.stats
    assert stats is not None
    return {"called": bool(calls) or bool(stats.tool_call_errors),
            "valid": bool(calls) and not stats.tool_call_errors,
            "match": bfcl.matches(calls, entry["ground_truth"]) if "ground_truth" in entry
            else False,
            "confidence": stats.call_confidence or 0.0}


def score(outcomes: dict[str, list[dict]], threshold: float) -> dict:
    """Shares of valid calls, AST matches and abstentions when calls below `threshold`
    confidence are declined (the model then answers in words)."""
    def made(o: dict) -> bool:
        return o["called"] and o["confidence"] >= threshold

    result: dict = {"threshold": threshold}
    for category, rows in outcomes.items():
        n = len(rows)
        if category == "irrelevance":
            result[category] = {"n": n, "abstention": sum(not made(o) for o in rows) / n}
        else:
            result[category] = {
                "n": n,
                "valid_calls": sum(made(o) and o["valid"] for o in rows) / n,
                "ast_match": sum(made(o) and o["match"] for o in rows) / n,
            }
    return result


def _line(name: str, grammar: str, row: dict) -> str:
    s, m, i = row["simple"], row["multiple"], row["irrelevance"]
    return (f"{name:<8} {grammar:<8} {row['threshold']:>9.1f} "
            f"{s['valid_calls']:>8.0%}/{s['ast_match']:<8.0%} "
            f"{m['valid_calls']:>9.0%}/{m['ast_match']:<9.0%} {i['abstention']:>12.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["light", "default"])
    parser.add_argument("--limit", type=int, default=50,
                        help="entries per category, spread evenly (0: all)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--choose", action="store_true",
                        help="offer only the tools the agent's tool choice picks (abstention)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    chooser = None
    if args.choose:
        from agent.tool_choice import ToolChooser
        from inference.embedded import embedding_model_dir
        from inference.embeddings_onnx import OnnxEmbedder, int8_model_path

        chooser = ToolChooser(OnnxEmbedder(int8_model_path(), embedding_model_dir()).embed)
    cache = Path(os.environ.get("FAMULUS_CACHE_DIR", ROOT / ".cache")) / "models"
    data = {name: _sample(bfcl.load(cat), args.limit) for name, cat in CATEGORIES.items()}
    results = []
    header = (f"{'model':<8} {'grammar':<8} {'min conf':>9} {'simple valid/AST':>17} "
              f"{'multiple valid/AST':>19} {'abstention':>12}")
    print(header)
    for name in args.models:
        path = embedded.ensure_joined(embedded.EMBEDDED[name], cache)
        backend = LocalBackend(LocalModelConfig(path, n_ctx=4096, n_threads=args.threads))
        for constrain in (True, False):
            start = time.perf_counter()
            outcomes = {category: [run_entry(backend, e, constrain, chooser)
                                   for e in entries]
                        for category, entries in data.items()}
            rows = [score(outcomes, t) for t in THRESHOLDS]
            results.append({"model": name, "grammar": constrain, "rows": rows,
                            "seconds": time.perf_counter() - start, "outcomes": outcomes})
            for row in rows if constrain else rows[:1]:
                print(_line(name, "on" if constrain else "off", row), flush=True)
        backend.close()
    if args.json:
        args.json.write_text(json.dumps({"limit": args.limit, "results": results}, indent=2))


if __name__ == "__main__":
    main()
