"""The system prompt carries the date only; the time of day is a note of its own, marked as
context and with the part of the day (small models misjudged 13:43 as morning)."""

from __future__ import annotations

from datetime import datetime

from agent.prompt import Personality, part_of_day, system_prompt, time_note


def test_the_minute_is_in_the_note_not_the_system_prompt() -> None:
    now = datetime(2026, 11, 25, 13, 43)
    assert "13:43" not in system_prompt(Personality(), now=now)
    assert "Wednesday 25 November 2026" in system_prompt(Personality(), now=now)
    note = time_note(now)
    assert "13:43, afternoon" in note and note.startswith("(Context, not from the user")


def test_parts_of_the_day() -> None:
    assert [part_of_day(h) for h in (4, 5, 11, 12, 17, 18, 21, 22)] == [
        "night", "morning", "morning", "afternoon", "afternoon", "evening", "evening", "night"]


def test_the_coming_days_are_listed_with_their_dates() -> None:
    from datetime import datetime

    from agent.prompt import coming_days

    said = coming_days(datetime(2026, 12, 2, 14, 0))  # a Wednesday
    assert "today 2026-12-02" in said and "tomorrow Thursday 2026-12-03" in said
    assert "Friday 2026-12-04" in said and "Wednesday 2026-12-09" in said
