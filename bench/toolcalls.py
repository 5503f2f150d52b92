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


def run_entry(backend: LocalBackend, entry: dict, constrain: bool) -> tuple[list, list[str]]:
    messages = tuple(ChatMessage(m["role"], m["content"]) for m in entry["question"][0])
    request = ChatRequest(messages, tools=bfcl.tools_of(entry), constrain_tool_calls=constrain,
                          options=GenerationOptions(max_tokens=256, temperature=0.0))
    calls, errors = [], []
    for event in backend.stream(request):
        if isinstance(event, ToolCallReady):
            calls.append(event.call)
        elif isinstance(event, Finished):
            errors = event.stats.tool_call_errors
    return calls, errors


def score(backend: LocalBackend, category: str, entries: list[dict], constrain: bool) -> dict:
    valid = matched = abstained = 0
    for entry in entries:
        calls, errors = run_entry(backend, entry, constrain)
        if category == "irrelevance":
            abstained += not calls and not errors
            continue
        valid += bool(calls) and not errors
        matched += bfcl.matches(calls, entry["ground_truth"])
    n = len(entries)
    if category == "irrelevance":
        return {"n": n, "abstention": abstained / n}
    return {"n": n, "valid_calls": valid / n, "ast_match": matched / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["light", "default"])
    parser.add_argument("--limit", type=int, default=50,
                        help="entries per category, spread evenly (0: all)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    cache = Path(os.environ.get("FAMULUS_CACHE_DIR", ROOT / ".cache")) / "models"
    data = {name: _sample(bfcl.load(cat), args.limit) for name, cat in CATEGORIES.items()}
    results = []
    print(f"{'model':<8} {'grammar':<8} {'simple valid/AST':>17} {'multiple valid/AST':>19} "
          f"{'irrelevance abstain':>20} {'time':>6}")
    for name in args.models:
        path = embedded.ensure_joined(embedded.EMBEDDED[name], cache)
        backend = LocalBackend(LocalModelConfig(path, n_ctx=4096, n_threads=args.threads))
        for constrain in (True, False):
            start = time.perf_counter()
            row = {"model": name, "grammar": constrain}
            for category, entries in data.items():
                row[category] = score(backend, category, entries, constrain)
            row["seconds"] = time.perf_counter() - start
            results.append(row)
            s, m, i = row["simple"], row["multiple"], row["irrelevance"]
            print(f"{name:<8} {'on' if constrain else 'off':<8} "
                  f"{s['valid_calls']:>8.0%}/{s['ast_match']:<8.0%} "
                  f"{m['valid_calls']:>9.0%}/{m['ast_match']:<9.0%} "
                  f"{i['abstention']:>20.0%} {row['seconds']:>5.0f}s", flush=True)
        backend.close()
    if args.json:
        args.json.write_text(json.dumps({"limit": args.limit, "results": results}, indent=2))


if __name__ == "__main__":
    main()
