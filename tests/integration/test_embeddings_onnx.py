"""The int8 ONNX copy of all-MiniLM-L6-v2 gives the vectors sentence-transformers gives."""

from pathlib import Path

import numpy as np
import pytest

from app.build_inference import embedder
from app.paths import resolve
from app.profile import open_profile
from app.settings import load
from inference.embedded import embedding_model_dir
from inference.embeddings import SentenceTransformerEmbedder
from inference.embeddings_onnx import OnnxEmbedder, int8_model_path
from inference.hardware import probe_gpus

pytestmark = pytest.mark.slow
TEXTS = ["My sister's birthday is June 3rd.", "When was my sister born?",
         "The GPU has eight gigabytes of memory.", "ok", "Ünïcödé and emoji 🎉 too",
         "a long one " * 200, "Quarterly report is due Friday at noon."]


def test_vectors_match_sentence_transformers() -> None:
    onnx = OnnxEmbedder(int8_model_path(), embedding_model_dir()).embed(TEXTS)
    torch = SentenceTransformerEmbedder(embedding_model_dir(), device="cpu").embed(TEXTS)
    assert onnx.shape == (len(TEXTS), 384) and onnx.dtype == np.float32
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-4)
    assert float((onnx * torch).sum(axis=1).min()) > 0.99
    # the same nearest neighbours: what search depends on
    assert np.array_equal(np.argsort(-(onnx @ onnx.T), axis=1)[:, :3],
                          np.argsort(-(torch @ torch.T), axis=1)[:, :3])


def test_auto_picks_onnx_on_a_cpu_and_settings_can_force_the_other(
        famulus_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if probe_gpus()[0]:
        pytest.skip("auto takes sentence-transformers where there is a GPU")
    paths = resolve()
    assert isinstance(embedder(open_profile(paths, load(paths.config_file))), OnnxEmbedder)
    monkeypatch.setenv("FAMULUS_MODELS_EMBEDDING_ENGINE", "sentence-transformers")
    chosen = embedder(open_profile(paths, load(paths.config_file)))
    assert isinstance(chosen, SentenceTransformerEmbedder)
