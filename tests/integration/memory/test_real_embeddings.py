"""Hybrid search with the embedded all-MiniLM-L6-v2: finds by meaning, not only by words."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.build_inference import embedder
from app.paths import resolve
from app.profile import open_profile
from app.settings import load
from tests.memory_helpers import create, open_memory


@pytest.mark.slow
def test_a_paraphrase_finds_the_memory_that_shares_no_words(tmp_path: Path,
                                                            famulus_home: Path) -> None:
    paths = resolve()
    model = embedder(open_profile(paths, load(paths.config_file)))
    root = tmp_path / "memory"
    create(root)
    with open_memory(root, embed=model.embed) as memory:
        memory.add_episode("My daughter's ballet recital is on the 14th")
        memory.add_episode("The car needs new tyres before winter")
        memory.add_episode("I am allergic to penicillin")
        assert memory.search("which medicine must I avoid?", k=1, mode="vector")[0].text \
            == "I am allergic to penicillin"
        assert memory.search("when does my kid dance on stage", k=1)[0].text.startswith(
            "My daughter's")
