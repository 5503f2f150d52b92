"""Helpers for memory tests: a fast vault and a deterministic embedder.

The embedder hashes words into a 384-d bag of words: the stores under test are real, and
only the model is replaced (the real MiniLM has its own tests and a search test).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from memory import store
from memory.vault import KdfParams

FAST_KDF = KdfParams(time_cost=1, memory_kib=8192, parallelism=1)
PASSPHRASE = "correct horse battery staple"


def hash_embed(texts: Sequence[str], dim: int = 384) -> np.ndarray:
    out = np.zeros((len(texts), dim), np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"\w+", text.lower()):
            out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % dim] += 1.0
        norm = np.linalg.norm(out[row])
        out[row] /= norm or 1.0
    return out


def create(root: Path) -> str:
    """A new memory in `root`; returns its recovery key."""
    return store.init(root, PASSPHRASE, FAST_KDF)


def open_memory(root: Path, **kwargs: object) -> store.Memory:
    kwargs.setdefault("embed", hash_embed)
    return store.Memory.open(root, passphrase=PASSPHRASE, **kwargs)  # type: ignore[arg-type]
