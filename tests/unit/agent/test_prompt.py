"""The system prompt stays the same all day (llama.cpp reuses its cache of the prompt's
unchanged prefix); the time of day goes with the message."""

from __future__ import annotations

from datetime import datetime

from agent.prompt import Personality, system_prompt, with_time


def test_the_system_prompt_does_not_change_within_a_day() -> None:
    morning = system_prompt(Personality(), now=datetime(2026, 11, 25, 9, 1))
    evening = system_prompt(Personality(), now=datetime(2026, 11, 25, 21, 59))
    assert morning == evening
    assert "Wednesday 25 November 2026" in morning


def test_the_message_carries_the_time_it_was_sent() -> None:
    assert with_time("What time is it?", datetime(2026, 11, 25, 9, 41)) == \
        "What time is it?\n\n(sent at 09:41)"
