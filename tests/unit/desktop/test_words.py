"""The window words the core's next steps as its own views, never as commands."""

from __future__ import annotations

from agent.errors import NextStep
from desktop.words import next_step, with_next_step


def test_every_next_step_has_window_words_without_a_command() -> None:
    for step in NextStep:
        words = next_step(step)
        assert (words == "") == (step is NextStep.NONE)
        assert "famulus " not in words
    assert with_next_step("1 action waits", "review") == "1 action waits (see the Review tab)"
    assert with_next_step("plain", "") == "plain"
