"""Text that may be a written-out tool call is held back until it is known what it is."""

from __future__ import annotations

from agent.withhold import Withheld


def feed(pieces: list[str]) -> tuple[str, Withheld]:
    held = Withheld()
    return "".join(held.feed(p) for p in pieces), held


def test_words_pass_at_once_and_a_call_is_held_from_its_first_brace() -> None:
    shown, held = feed(["To make the note, use this", ":\n`", "``json\n{\"name\": ", "1}"])
    assert shown == "To make the note, use this:\n"
    assert held.flush() == "```json\n{\"name\": 1}"
    shown, _ = feed(["{", "{\"na", "me\": \"notes_write\"}}"])
    assert shown == ""


def test_a_brace_that_starts_no_call_is_shown_when_the_words_go_on() -> None:
    shown, held = feed(["The set {1, 2", "} has two members."])
    assert shown == "The set {1, 2} has two members." and held.flush() == ""
