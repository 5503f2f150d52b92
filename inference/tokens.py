"""Counting tokens with a model's own tokenizer, without loading its weights."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from inference import gguf

TokenCounter = Callable[[str], int]


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence native code's writes to fd 2 for a moment (Python's own stderr too)."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def token_counter(model_path: Path) -> TokenCounter:
    """A function that counts the tokens of a text as the model at `model_path` sees them.

    llama.cpp loads only the vocabulary (`vocab_only`), so this costs a fraction of a
    second and a few MB, whatever the model's size.
    """
    gguf.read(model_path)  # a clear error for a missing or broken file
    from llama_cpp import Llama

    with _quiet_stderr():  # llama.cpp warns about the context size of a vocab-only load
        vocab = Llama(str(model_path), vocab_only=True, verbose=False)
    lock = threading.Lock()

    def count(text: str) -> int:
        with lock:
            return len(vocab.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    return count
