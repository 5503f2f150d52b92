"""Text embeddings with sentence-transformers: the embedded all-MiniLM-L6-v2 by default."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from inference.errors import ModelFileError


class Embedder(Protocol):
    """Turns texts into unit-length vectors of a fixed dimension."""

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def pick_device(preference: str) -> str:
    """'cuda' when asked or when 'auto' and torch sees a CUDA GPU; else 'cpu'."""
    if preference != "auto":
        return preference
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder, never from a hub."""

    def __init__(self, model_dir: Path, device: str = "auto", batch_size: int = 32) -> None:
        self.model_dir, self.batch_size = Path(model_dir), batch_size
        self.device_preference = device
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                if not (self.model_dir / "modules.json").is_file() and not (
                    self.model_dir / "config.json"
                ).is_file():
                    raise ModelFileError(f"no sentence-transformers model in {self.model_dir}")
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()

                self._model = SentenceTransformer(
                    str(self.model_dir), device=pick_device(self.device_preference)
                )
        return self._model

    @property
    def device(self) -> str:
        return str(self._load().device)

    @property
    def dimension(self) -> int:
        model = self._load()
        getter = getattr(model, "get_embedding_dimension", None) or \
            model.get_sentence_embedding_dimension
        return int(getter())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text, float32."""
        model = self._load()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = model.encode(list(texts), batch_size=self.batch_size,
                               normalize_embeddings=True, convert_to_numpy=True,
                               show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)
