"""assemble() over a real memory, counting with the light model's own tokenizer."""

from __future__ import annotations

from pathlib import Path

from inference.tokens import token_counter
from memory.working import assemble
from tests.memory_helpers import create, open_memory


def test_context_fits_the_budget_counted_by_the_models_tokenizer(tmp_path: Path,
                                                                 light_model: Path) -> None:
    count = token_counter(light_model)
    assert count("Hello world") == 2
    root = tmp_path / "memory"
    create(root)
    with open_memory(root) as memory:
        for i in range(6):
            memory.add_episode(f"turn {i} about the garden shed roof", thread="chat",
                               speaker="user")
        memory.add_episode("Jane's birthday party is at the lake house", thread="old")
        memory.assert_fact("Jane", "lives in", "Lisbon")
        memory.set_preference("tone", "brief answers")
        full = assemble(memory, "What do we know about Jane?", 10_000, thread="chat",
                        count_tokens=count, goals=["buy a gift for Jane"])
        kinds = {item.kind for item in full.items}
        assert kinds == {"recent", "episodic", "facts", "preferences", "goals"}
        assert "Jane lives in Lisbon" in full.render()
        tight = assemble(memory, "What do we know about Jane?", 40, thread="chat",
                         count_tokens=count, goals=["buy a gift for Jane"])
        assert tight.used_tokens <= 40 and tight.dropped
        assert tight.used_tokens == sum(count(i.text) + 2 for i in tight.items)
        assert len(tight.items) + len(tight.dropped) == len(full.items)
