"""How many layers of a model to put on the GPU so the weights and KV cache fit.

llama.cpp counts the output head as one more layer after the blocks, so n_gpu_layers =
block_count + 1 puts the whole model on the GPU.
"""

from __future__ import annotations

from dataclasses import dataclass

from inference.gguf import GgufInfo

# Compute buffers, CUDA context and scratch that llama.cpp needs besides weights and cache.
OVERHEAD_BYTES = 600 << 20


@dataclass(frozen=True)
class OffloadPlan:
    """Layers for the GPU, the bytes they should take, and why."""

    n_gpu_layers: int
    estimated_bytes: int
    reason: str


def plan(info: GgufInfo, n_ctx: int, free_bytes: int, budget_bytes: int) -> OffloadPlan:
    """The most layers that fit in min(free VRAM, budget) with their share of the KV cache."""
    available = min(free_bytes, budget_bytes) - OVERHEAD_BYTES
    layers = info.layer_bytes()
    kv_per_layer = info.kv_bytes_per_token_per_layer() * n_ctx
    head = info.other_bytes()
    full = sum(layers) + kv_per_layer * len(layers) + head
    budget_mb, free_mb = budget_bytes >> 20, free_bytes >> 20
    if full <= available:
        return OffloadPlan(len(layers) + 1, full + OVERHEAD_BYTES,
                           f"whole model fits ({full >> 20} MiB of {free_mb} MiB free, "
                           f"budget {budget_mb} MiB)")
    used, count = 0, 0
    for size in layers:
        if used + size + kv_per_layer > available:
            break
        used += size + kv_per_layer
        count += 1
    if count == 0:
        return OffloadPlan(0, 0, f"not even one layer fits in {min(free_mb, budget_mb)} MiB")
    return OffloadPlan(count, used + OVERHEAD_BYTES,
                       f"{count} of {len(layers)} layers fit ({free_mb} MiB free, "
                       f"budget {budget_mb} MiB)")
