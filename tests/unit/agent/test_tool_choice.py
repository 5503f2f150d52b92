"""Which tools a turn offers: those whose words the request shares; none for small talk or
the time of day (their schemas would cost seconds of prompt on a CPU)."""

from __future__ import annotations

import pytest

from agent.tool_choice import choose, select
from tools.catalog import builtin_tools

MANIFESTS = [t.manifest for t in builtin_tools()]


@pytest.mark.parametrize("request_text", ["What time is it now?", "What is 7 times 6?",
                                          "I like green tea.", "Tell me a fun fact."])
def test_no_tools_for_what_needs_none(request_text: str) -> None:
    assert select(MANIFESTS, request_text) == []


def test_the_tools_a_request_names_come_first() -> None:
    assert select(MANIFESTS, "Remind me to call mum at 5")[0].name == "reminders_add"
    assert "notes_write" in [s.name for s in select(MANIFESTS, "Add milk to my shopping note")]


def test_meaning_brings_tools_that_share_no_word_and_comes_first() -> None:
    import numpy as np

    from agent.tool_choice import ToolChooser

    def embed(texts: list[str]) -> np.ndarray:
        """Texts about folders point one way, greetings another, everything else a third."""
        def direction(text: str) -> list[float]:
            if any(w in text for w in ("files", "folder", "documents")):
                return [1.0, 0.0, 0.0]
            return [0.0, 0.0, 1.0] if "hello" in text else [0.0, 1.0, 0.0]

        return np.array([direction(t) for t in texts])

    chooser = ToolChooser(embed)
    assert select(MANIFESTS, "what is in my documents", 6, chooser)[0].name == "file_list"
    assert select(MANIFESTS, "what is in my documents") == []  # by words alone: nothing
    # with meaning at hand, one shared word is not enough
    assert select(MANIFESTS, "Say hello in one short word", 6, chooser) == []


def test_a_request_plainly_about_a_tool_is_sure() -> None:
    import numpy as np

    from agent.tool_choice import ToolChooser, choose

    def embed(texts: list[str]) -> np.ndarray:
        return np.array([[1.0, 0.0, 0.0] if "to-do" in t else [0.5, 0.866, 0.0]
                         if "someday" in t else [0.0, 0.0, 1.0] for t in texts])

    chooser = ToolChooser(embed)
    specs, sure = choose(MANIFESTS, "what is on my to-do list", 6, chooser)
    assert specs[0].name == "tasks_list" and sure
    _specs, sure = choose(MANIFESTS, "someday", 6, chooser)
    assert not sure  # 0.5: not close enough
    assert choose(MANIFESTS, "what is on my to-do list") == (
        select(MANIFESTS, "what is on my to-do list"), False)  # words alone are never sure


def test_a_tool_named_in_the_request_is_offered_and_only_reads_are_forced() -> None:
    import numpy as np

    from agent.tool_choice import ToolChooser, choose

    far = ToolChooser(lambda texts: np.array([[1.0, 0.0] if "plants" in t else [0.0, 1.0]
                                              for t in texts]))
    specs, _ = choose(MANIFESTS, "remind me to water the plants tomorrow at 8am", 6, far)
    assert "reminders_add" in [s.name for s in specs]
    same = ToolChooser(lambda texts: np.ones((len(texts), 2)) / np.sqrt(2))
    specs, sure = choose([m for m in MANIFESTS if m.name == "calendar_add"],
                         "when is my dentist appointment", 6, same)
    assert specs and not sure  # close to a tool that writes: offered, never forced


def test_a_second_look_offers_the_closest_tools_below_the_threshold() -> None:
    import numpy as np

    from agent.tool_choice import ToolChooser, nearest_tools

    def embed(texts: list[str]) -> np.ndarray:  # near calendar_remove's examples only
        return np.array([[1.0, 0.0] if ("cancel" in t or "remove the team" in t)
                         else [0.3, 0.95] for t in texts])

    chooser = ToolChooser(embed)
    found = nearest_tools(MANIFESTS, "cancel my yoga class", chooser, floor=0.42)
    assert [s.name for s in found] == ["calendar_remove"]
    assert nearest_tools(MANIFESTS, "cancel my yoga class", chooser, floor=1.01) == []


def test_a_web_address_offers_the_page_first() -> None:
    from agent.tool_choice import choose

    specs, sure = choose(MANIFESTS, "read http://127.0.0.1:8000/recipe and tell me the "
                                     "oven temperature")
    assert specs[0].name == "web_fetch" and sure  # the page is read before any answer


def test_a_follow_up_is_chosen_for_with_the_request_before_it() -> None:
    from agent.tool_choice import with_what_came_before

    before = "make a note called packing with passport"
    assert with_what_came_before("also add sunscreen to it", before) == \
        f"{before}\nalso add sunscreen to it"
    assert with_what_came_before("what is the capital of France?", before) == \
        "what is the capital of France?"
    specs, _ = choose(MANIFESTS, with_what_came_before("also add sunscreen to it", before))
    assert specs[0].name.startswith("notes")


def test_narrowing_to_the_plain_tool_keeps_the_look_that_makes_it_sure() -> None:
    import numpy as np

    from agent.tool_choice import ToolChooser

    def embed(texts: list[str]) -> np.ndarray:  # close to calendar_change, near enough
        return np.array([[1.0, 0.0] if ("dentist" in t or "reschedule" in t) else  # to read
                         [0.6, 0.8] if "meeting" in t or "calendar tomorrow" in t
                         else [0.0, 1.0] for t in texts])

    specs, sure = choose(MANIFESTS, "when is my dentist appointment?", 6, ToolChooser(embed))
    names = [s.name for s in specs]
    assert "calendar_change" in names and "calendar_events" in names and sure
