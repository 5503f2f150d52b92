"""A call's values repaired only where the request or the schema proves the repair."""

from __future__ import annotations

from datetime import date

from agent.values import grounded, nearest, signed

SCHEMA = {"type": "object", "properties": {
    "country": {"type": "string", "enum": ["GB", "US", "uk-ireland"]},
    "taste": {"type": "string", "enum": ["sweet", "slightly bitter", "sour"]},
    "lon": {"type": "number"}, "count": {"type": "integer"}}}


def test_enum_near_misses_map_to_the_one_value_they_mean() -> None:
    assert nearest("gb", ["GB", "US"]) == "GB"  # case
    assert nearest("bitter", ["sweet", "slightly bitter", "sour"]) == "slightly bitter"
    assert nearest("sweat", ["sweet", "slightly bitter", "sour"]) == "sweet"  # spelling
    assert nearest("UK", ["GB", "US"]) == "UK"  # nothing proves GB: the gate will say why
    assert nearest("s", ["sweet", "sour"]) == "s"  # two candidates: no guess


def test_a_dropped_minus_sign_comes_back_only_when_the_request_has_it() -> None:
    assert signed(122.4194, "the weather at 37.7749, -122.4194 please") == -122.4194
    assert signed(37.7749, "the weather at 37.7749, -122.4194 please") == 37.7749
    assert signed(5, "between -5 and 5 degrees") == 5  # said both ways: left alone


def test_grounded_repairs_a_whole_call_and_leaves_the_rest() -> None:
    call = {"country": "us", "taste": "bitter", "lon": 3.5, "count": 2, "extra": "x"}
    assert grounded(call, SCHEMA, "a slightly bitter one near -3.5 for us two") == {
        "country": "US", "taste": "slightly bitter", "lon": -3.5, "count": 2, "extra": "x"}
    assert grounded(call, {"type": "object"}, "anything") == call


def test_a_place_cut_short_gets_its_qualifier_back_and_nothing_else_does() -> None:
    from agent.values import grounded

    schema = {"type": "object", "properties": {"location": {"type": "string"},
                                               "text": {"type": "string"}}}
    asked = "What's the weather in San Francisco, CA? Note: milk, Eggs"
    fixed = grounded({"location": "San Francisco", "text": "milk"}, schema, asked)
    assert fixed == {"location": "San Francisco, CA", "text": "milk"}
    assert grounded({"location": "Paris"}, schema, "Paris, France or Paris, Texas?") == \
        {"location": "Paris"}  # two readings: left as it is
    assert grounded({"location": "Porto"}, schema, "trains to Porto tomorrow") == \
        {"location": "Porto"}


def test_the_day_a_request_names_wins_over_the_models_count() -> None:
    from datetime import date

    from agent.values import grounded

    wednesday = date(2026, 12, 2)
    schema = {"type": "object", "properties": {"due": {"type": "string"},
                                               "start": {"type": "string"}}}

    def fixed(args: dict, asked: str) -> dict:
        return grounded(args, schema, asked, wednesday)

    assert fixed({"due": "2026-12-04T10:00:00"}, "call the dentist tomorrow at 10") == \
        {"due": "2026-12-03T10:00:00"}
    assert fixed({"start": "2026-12-05T12:00"}, "lunch with Ana this Friday at 12") == \
        {"start": "2026-12-04T12:00"}
    assert fixed({"start": "2026-12-05"}, "move it to Friday") == {"start": "2026-12-04"}
    # a date written out, or two days named: the model's value stands
    assert fixed({"due": "2027-03-15"}, "pay by March 15") == {"due": "2027-03-15"}
    assert fixed({"start": "2026-12-05"}, "Friday or Saturday?") == {"start": "2026-12-05"}
    assert fixed({"due": "soon"}, "tomorrow") == {"due": "soon"}
    # a span moves as one; one on the day already means the model counted right
    assert fixed({"start": "2026-12-04", "end": "2026-12-05"}, "anything tomorrow?") == \
        {"start": "2026-12-03", "end": "2026-12-04"}
    assert fixed({"start": "2026-12-03", "end": "2026-12-04"}, "anything tomorrow?") == \
        {"start": "2026-12-03", "end": "2026-12-04"}


def test_dates_the_request_never_asked_for_are_left_to_the_tool() -> None:
    schema = {"type": "object", "properties": {"start": {"type": "string"},
                                               "end": {"type": "string"}}}
    guessed = {"start": "2026-12-02", "end": "2026-12-02"}
    assert grounded(guessed, schema, "when is my dentist appointment?",
                    date(2026, 12, 2)) == {}
    assert grounded(guessed, schema, "what is on my calendar this week?",
                    date(2026, 12, 2)) == guessed
    task = {"type": "object", "properties": {"summary": {"type": "string"},
                                             "due": {"type": "string"}},
            "required": ["summary", "due"]}
    assert grounded({"summary": "x", "due": "2026-12-05"}, task, "add a task x",
                    date(2026, 12, 2))["due"] == "2026-12-05"  # required: it stays


def test_a_time_of_day_the_request_never_said_is_left_out_of_a_span() -> None:
    schema = {"type": "object", "properties": {"uid": {"type": "string"},
                                               "start": {"type": "string"}}}
    moved = grounded({"uid": "dentist", "start": "2026-12-04T15:43:00"}, schema,
                     "move my dentist appointment to Friday", date(2026, 12, 2))
    assert moved["start"] == "2026-12-04"  # the tool keeps the appointment's hour
    for said in ("move my dentist appointment to Friday at 3pm", "move it to Friday 15:43",
                 "book lunch with Ana this Friday at 12"):
        assert grounded({"uid": "d", "start": "2026-12-04T15:43:00"}, schema, said,
                        date(2026, 12, 2))["start"] == "2026-12-04T15:43:00", said


def test_a_limit_the_request_never_asked_for_is_left_to_the_tool() -> None:
    schema = {"type": "object", "properties": {"max_results": {"type": "integer"}}}
    assert grounded({"max_results": 1}, schema, "when is my dentist appointment?") == {}
    assert grounded({"max_results": 3}, schema, "show my next 3 meetings") == \
        {"max_results": 3}
