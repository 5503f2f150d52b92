from pathlib import Path

import pytest

from inference import gguf, offload
from inference.errors import BackendUnavailable
from inference.hardware import Gpu, Hardware
from inference.local_loader import LocalModelConfig, layer_candidates, load
from tests import gguf_writer

MiB = 1 << 20


@pytest.fixture
def model(tmp_path: Path) -> Path:
    return gguf_writer.tiny_model(tmp_path / "m.gguf", blocks=4)


def _info(model: Path) -> gguf.GgufInfo:
    return gguf.read(model)


def test_whole_model_on_a_roomy_gpu(model: Path) -> None:
    plan = offload.plan(_info(model), 256, 8000 * MiB, 7680 * MiB)
    assert plan.n_gpu_layers == 5  # four blocks and the output head
    assert "whole model" in plan.reason


def test_partial_offload_when_short_of_memory(model: Path) -> None:
    info = _info(model)
    per_layer = info.layer_bytes()[0] + info.kv_bytes_per_token_per_layer() * 256
    free = offload.OVERHEAD_BYTES + 2 * per_layer + 1
    plan = offload.plan(info, 256, free, 7680 * MiB)
    assert plan.n_gpu_layers == 2


def test_budget_caps_free_memory(model: Path) -> None:
    plan = offload.plan(_info(model), 256, 80_000 * MiB, 100 * MiB)
    assert plan.n_gpu_layers == 0


def _hardware(free_mib: int | None) -> Hardware:
    gpus = (Gpu(0, "Test GPU", 8192 * MiB, free_mib * MiB),) if free_mib else ()
    return Hardware(2, 2, 16 << 30, 8 << 30, gpus, "test probe: no GPU")


def test_no_gpu_means_cpu_with_reason(model: Path) -> None:
    layers, why = layer_candidates(LocalModelConfig(model), _info(model), _hardware(None), True)
    assert layers == [0] and "no GPU" in why


def test_cpu_build_means_cpu_even_with_a_gpu(model: Path) -> None:
    layers, why = layer_candidates(LocalModelConfig(model), _info(model), _hardware(8000), False)
    assert layers == [0] and "without GPU support" in why


def test_auto_tries_full_then_half_then_cpu(model: Path) -> None:
    layers, _ = layer_candidates(LocalModelConfig(model), _info(model), _hardware(8000), True)
    assert layers == [5, 2, 0]


class _FussyLlama:
    """Stands in for llama_cpp.Llama: refuses more GPU layers than `limit`."""

    limit = 2

    def __init__(self, **kwargs: object) -> None:
        if int(kwargs["n_gpu_layers"]) > self.limit:  # type: ignore[call-overload]
            raise ValueError("Failed to create llama_context: out of memory")
        self.kwargs = kwargs


def test_load_falls_back_to_fewer_layers_and_says_so(model: Path) -> None:
    config = LocalModelConfig(model, n_ctx=128, n_threads=1)
    llm, _, report = load(config, _hardware(8000), _FussyLlama, gpu_supported=True)
    assert report.n_gpu_layers == 2 and report.device == "gpu"
    assert "5 GPU layers failed" in report.reason
    assert llm.kwargs["n_threads"] == 1 and llm.kwargs["n_ctx"] == 128


def test_load_ends_on_the_cpu(model: Path) -> None:
    _FussyLlama.limit = 0
    try:
        _llm, _, report = load(LocalModelConfig(model), _hardware(8000), _FussyLlama, True)
    finally:
        _FussyLlama.limit = 2
    assert report.device == "cpu" and len(report.attempts) == 2


def test_load_failing_everywhere_is_a_clear_error(model: Path) -> None:
    def broken(**_kwargs: object) -> None:
        raise ValueError("Failed to load model from file")

    with pytest.raises(BackendUnavailable, match="could not load"):
        load(LocalModelConfig(model), _hardware(None), broken, gpu_supported=False)
