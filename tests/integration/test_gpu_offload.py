"""GPU offload on a real NVIDIA GPU with a CUDA build of llama-cpp-python; skipped elsewhere
(the CPU path is covered by every other test)."""

from pathlib import Path

import pytest

from inference.hardware import probe_gpus
from inference.local import LocalBackend
from inference.local_loader import LocalModelConfig, gpu_offload_supported
from inference.messages import ChatMessage, ChatRequest, Finished, GenerationOptions

pytestmark = [pytest.mark.slow, pytest.mark.gpu]


def test_light_model_goes_wholly_onto_the_gpu(light_model: Path) -> None:
    gpus, how = probe_gpus()
    if not gpus:
        pytest.skip(how)
    if not gpu_offload_supported():
        pytest.skip("llama-cpp-python is a CPU build (docs/gpu.md: the CUDA build)")
    backend = LocalBackend(LocalModelConfig(light_model, n_ctx=2048))
    report = backend.load()
    assert report.device == "gpu" and report.n_gpu_layers == 25  # 24 blocks + output
    request = ChatRequest((ChatMessage("user", "Say hi."),),
                          options=GenerationOptions(max_tokens=8, temperature=0.0))
    assert isinstance(list(backend.stream(request))[-1], Finished)
    backend.close()
