"""Inference figures: Famulus's local backend and embedder against the raw libraries.

For the light and the default model, on the same prompts in the same run: time to first
token and generation tokens/s through Famulus's LocalBackend and through raw
llama-cpp-python (create_chat_completion, streaming), and their ratio; then embeddings per
second through Famulus and through raw sentence-transformers.

    .venv/bin/python bench/inference.py [--models light default] [--threads 2] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from inference import embedded  # noqa: E402
from inference.local import LocalBackend  # noqa: E402
from inference.local_loader import LocalModelConfig  # noqa: E402
from inference.messages import (  # noqa: E402
    ChatMessage,
    ChatRequest,
    Finished,
    GenerationOptions,
)

PROMPTS = [
    "Explain in a paragraph why the sky is blue.",
    "Write a short Python function that reverses a string, with a docstring.",
    "List five tips for keeping a tidy desk, one sentence each.",
]
SYSTEM = "You are a helpful assistant."
MAX_TOKENS = 128


def _request(prompt: str) -> ChatRequest:
    return ChatRequest((ChatMessage("system", SYSTEM), ChatMessage("user", prompt)),
                       options=GenerationOptions(max_tokens=MAX_TOKENS, temperature=0.0))


def famulus_once(backend: LocalBackend, prompt: str) -> dict[str, float]:
    """One answer through Famulus's backend: time to first token and tokens/s."""
    for event in backend.stream(_request(prompt)):
        if isinstance(event, Finished):
            stats = event.stats
    return {"ttft_s": stats.time_to_first_token_s or 0.0, "tok_s": stats.tokens_per_s or 0.0}


def raw_once(llm: object, prompt: str) -> dict[str, float]:
    """The same answer through raw llama-cpp-python's streaming chat completion."""
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}]
    start = time.perf_counter()
    first, tokens = None, 0
    for chunk in llm.create_chat_completion(messages, max_tokens=MAX_TOKENS,  # type: ignore[attr-defined]
                                            temperature=0.0, stream=True):
        if chunk["choices"][0]["delta"].get("content"):
            tokens += 1
            if first is None:
                first = time.perf_counter() - start
    total = time.perf_counter() - start
    rate = (tokens - 1) / (total - first) if first is not None and tokens > 1 else 0.0
    return {"ttft_s": first or 0.0, "tok_s": rate}


def _median(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(float(r[key]) for r in rows)


def bench_model(name: str, threads: int, n_ctx: int, rounds: int) -> dict[str, object]:
    """Famulus and raw llama-cpp-python, interleaved prompt by prompt, medians of all runs."""
    from llama_cpp import Llama

    cache = Path(os.environ.get("FAMULUS_CACHE_DIR", ROOT / ".cache")) / "models"
    path = embedded.ensure_joined(embedded.EMBEDDED[name], cache)
    backend = LocalBackend(LocalModelConfig(path, n_ctx=n_ctx, n_threads=threads))
    report = backend.load()
    llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads,
                n_gpu_layers=report.n_gpu_layers, verbose=False)
    famulus_once(backend, "Hi")  # untimed: both start with warm caches
    raw_once(llm, "Hi")
    ours, raw = [], []
    for _ in range(rounds):
        for prompt in PROMPTS:
            ours.append(famulus_once(backend, prompt))
            raw.append(raw_once(llm, prompt))
    backend.close()
    llm.close()
    result: dict[str, object] = {
        "model": name, "device": report.describe(), "runs": len(ours),
        "famulus_ttft_s": _median(ours, "ttft_s"), "raw_ttft_s": _median(raw, "ttft_s"),
        "famulus_tok_s": _median(ours, "tok_s"), "raw_tok_s": _median(raw, "tok_s"),
    }
    result["tok_s_ratio"] = result["famulus_tok_s"] / result["raw_tok_s"]  # type: ignore[operator]
    return result


def bench_embeddings(count: int = 1000, batch: int = 32) -> dict[str, object]:
    from sentence_transformers import SentenceTransformer

    from inference.embeddings import SentenceTransformerEmbedder

    texts = [f"Note {i}: remember to water the plants on day {i % 7} and call Sam about "
             f"project {i % 13}." for i in range(count)]
    folder = embedded.embedding_model_dir()
    ours = SentenceTransformerEmbedder(folder, batch_size=batch)
    raw = SentenceTransformer(str(folder), device=ours.device)
    ours.embed(texts[:32])
    raw.encode(texts[:32], batch_size=batch)
    ours_s, raw_s = [], []
    for _ in range(3):  # alternate, so neither side gets the quieter moments
        start = time.perf_counter()
        ours.embed(texts)
        ours_s.append(time.perf_counter() - start)
        start = time.perf_counter()
        raw.encode(texts, batch_size=batch, normalize_embeddings=True, show_progress_bar=False)
        raw_s.append(time.perf_counter() - start)
    famulus_rate = count / statistics.median(ours_s)
    raw_rate = count / statistics.median(raw_s)
    return {"device": ours.device, "famulus_per_s": famulus_rate, "raw_per_s": raw_rate,
            "ratio": famulus_rate / raw_rate}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["light", "default"])
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--ctx", type=int, default=2048)
    parser.add_argument("--rounds", type=int, default=3, help="times through the prompts")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
          f"python {platform.python_version()}, threads {args.threads}")
    results: dict[str, object] = {"models": []}
    print(f"{'model':<8} {'ttft famulus':>13} {'ttft raw':>9} {'tok/s famulus':>14} "
          f"{'tok/s raw':>10} {'ratio':>6}  device")
    for name in args.models:
        row = bench_model(name, args.threads, args.ctx, args.rounds)
        results["models"].append(row)  # type: ignore[union-attr]
        print(f"{name:<8} {row['famulus_ttft_s']:>12.3f}s {row['raw_ttft_s']:>8.3f}s "
              f"{row['famulus_tok_s']:>14.1f} {row['raw_tok_s']:>10.1f} "
              f"{row['tok_s_ratio']:>6.3f}  {row['device']}")
    emb = bench_embeddings()
    results["embeddings"] = emb
    print(f"embeddings ({emb['device']}): famulus {emb['famulus_per_s']:.0f}/s, raw "
          f"sentence-transformers {emb['raw_per_s']:.0f}/s, ratio {emb['ratio']:.3f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
