"""The embedded all-MiniLM-L6-v2 through sentence-transformers, loaded offline."""

import numpy as np
import pytest

from inference.embedded import embedding_model_dir
from inference.embeddings import SentenceTransformerEmbedder

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(embedding_model_dir(), device="cpu")


def test_unit_vectors_of_384_dimensions(embedder: SentenceTransformerEmbedder) -> None:
    vectors = embedder.embed(["hello", "world", "a longer sentence about cats"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert embedder.embed([]).shape == (0, 384)


def test_similar_sentences_are_closer(embedder: SentenceTransformerEmbedder) -> None:
    a, b, c = embedder.embed(["My sister's birthday is June 3rd.",
                              "When was my sister born? Her birthday is in June.",
                              "The GPU has eight gigabytes of memory."])
    assert a @ b > a @ c + 0.2
