"""Which tools a turn offers: those whose words the request shares; none for small talk or
the time of day (their schemas would cost seconds of prompt on a CPU)."""

from __future__ import annotations

import pytest

from agent.tool_choice import select
from tools.catalog import builtin_tools

MANIFESTS = [t.manifest for t in builtin_tools()]


@pytest.mark.parametrize("request_text", ["What time is it now?", "What is 7 times 6?",
                                          "I like green tea.", "Tell me a fun fact."])
def test_no_tools_for_what_needs_none(request_text: str) -> None:
    assert select(MANIFESTS, request_text) == []


def test_the_tools_a_request_names_come_first() -> None:
    assert select(MANIFESTS, "Remind me to call mum at 5")[0].name == "reminders_add"
    assert "notes_write" in [s.name for s in select(MANIFESTS, "Add milk to my shopping note")]
