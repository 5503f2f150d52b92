"""The BFCL checker: nested dict answers, and a right first call among several."""

from __future__ import annotations

from bench.bfcl import matches
from inference.messages import ToolCall

TRUTH = [{"book_ride": {"trip": [{"city": ["San Francisco, CA", "SF"], "seats": [2, ""]}],
                        "when": ["now", ""]}}]


def test_a_nested_dict_answer_is_scored_by_its_fields() -> None:
    assert matches([ToolCall("book_ride", {"trip": {"city": "san francisco ca"}})], TRUTH)
    assert matches([ToolCall("book_ride", {"trip": {"city": "SF", "seats": 2}})], TRUTH)
    assert not matches([ToolCall("book_ride", {"trip": {"city": "Oakland"}})], TRUTH)
    assert not matches([ToolCall("book_ride", {"trip": {"seats": 2}})], TRUTH)  # city needed


def test_the_first_call_of_the_expected_function_counts() -> None:
    right = ToolCall("book_ride", {"trip": {"city": "SF"}, "when": "now"})
    extra = ToolCall("buy_ticket", {"event_name": "Theatre Event Name"})
    assert matches([right, extra], TRUTH)
    assert not matches([extra], TRUTH)
