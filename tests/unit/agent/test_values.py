"""A call's values repaired only where the request or the schema proves the repair."""

from __future__ import annotations

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
