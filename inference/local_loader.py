"""Loading a GGUF model into llama.cpp: on the GPU as far as it fits, else on the CPU.

Offload is sized from the file's own layer and tensor sizes; if a load fails (no CUDA
build, out of GPU memory) we retry with half the layers, then on the CPU, and report what
was chosen and why.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from inference import gguf, offload
from inference.amx import avoid_amx_repack
from inference.errors import BackendUnavailable
from inference.hardware import Hardware

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LocalModelConfig:
    """How to load one local model."""

    path: Path
    n_ctx: int = 4096
    n_threads: int = 0  # 0: one per physical core
    gpu_layers: str = "auto"  # "auto", or a number of layers
    vram_budget_mb: int = 7680
    seed: int = -1


@dataclass
class LoadReport:
    """Where the model ended up and why."""

    device: str
    n_gpu_layers: int
    n_threads: int
    n_ctx: int
    reason: str
    attempts: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def describe(self) -> str:
        where = "CPU" if self.n_gpu_layers == 0 else f"GPU ({self.n_gpu_layers} layers)"
        return f"{where}, {self.n_threads} threads: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def gpu_offload_supported() -> bool:
    """Whether this llama-cpp-python build can offload to a GPU (CUDA, Metal, Vulkan…)."""
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


def layer_candidates(config: LocalModelConfig, info: gguf.GgufInfo, hardware: Hardware,
                     gpu_supported: bool) -> tuple[list[int], str]:
    """The GPU layer counts to try in order (ending with 0, the CPU), and why."""
    if config.gpu_layers.strip().lower() != "auto":
        try:
            wanted = int(config.gpu_layers)
        except ValueError:
            raise BackendUnavailable(
                f"models.gpu_layers must be 'auto' or a number, not {config.gpu_layers!r}"
            ) from None
        if wanted <= 0:
            return [0], "models.gpu_layers is 0"
        return ([wanted, 0], "models.gpu_layers is set") if gpu_supported else (
            [0], "llama-cpp-python was built without GPU support")
    if not gpu_supported:
        return [0], "llama-cpp-python was built without GPU support (README: GPU set-up)"
    if not hardware.gpus:
        return [0], hardware.gpu_probe or "no NVIDIA GPU found"
    gpu = max(hardware.gpus, key=lambda g: g.free_bytes)
    plan = offload.plan(info, config.n_ctx, gpu.free_bytes, config.vram_budget_mb << 20)
    layers = plan.n_gpu_layers
    candidates = [layers, layers // 2, 0] if layers > 1 else [layers, 0]
    return list(dict.fromkeys(candidates)), f"{gpu.name}: {plan.reason}"


def thread_count(config: LocalModelConfig, hardware: Hardware) -> int:
    return config.n_threads if config.n_threads > 0 else max(1, hardware.physical_cores)


def load(config: LocalModelConfig, hardware: Hardware,
         factory: Callable[..., Any] | None = None,
         gpu_supported: bool | None = None) -> tuple[Any, gguf.GgufInfo, LoadReport]:
    """Load the model with the most GPU layers that work; BackendUnavailable if none do."""
    info = gguf.read(config.path)
    if factory is None:
        from llama_cpp import Llama as factory

        avoid_amx_repack()
    if gpu_supported is None:
        gpu_supported = gpu_offload_supported()
    candidates, reason = layer_candidates(config, info, hardware, gpu_supported)
    threads = thread_count(config, hardware)
    n_ctx = min(config.n_ctx, info.context_length or config.n_ctx)
    attempts: list[str] = []
    start = time.perf_counter()
    for layers in candidates:
        try:
            llm = factory(model_path=os.fspath(config.path), n_ctx=n_ctx, n_threads=threads,
                          n_threads_batch=threads, n_gpu_layers=layers, seed=config.seed,
                          verbose=False)
        except (ValueError, RuntimeError, OSError) as exc:
            attempts.append(f"{layers} GPU layers failed: {exc}")
            log.warning("loading %s with %d GPU layers failed: %s", config.path.name, layers, exc)
            continue
        why = reason if not attempts else f"{reason}; after {'; '.join(attempts)}"
        report = LoadReport("gpu" if layers else "cpu", layers, threads, n_ctx, why, attempts,
                            time.perf_counter() - start)
        log.info("loaded %s on %s", config.path.name, report.describe())
        return llm, info, report
    raise BackendUnavailable(f"could not load {config.path}: " + "; ".join(attempts))
