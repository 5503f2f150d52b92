"""Every function schema in the BFCL data (3,420 of them: Python, Java and JavaScript
tools, live user-written APIs) becomes a tool-call grammar that llama.cpp compiles, with
no schema falling back to "any object"."""

from __future__ import annotations

from bench.grammar_sweep import sweep


def test_every_bfcl_schema_gives_a_grammar() -> None:
    result = sweep()
    assert result["schemas"] > 3000
    assert result["exceptions"] == 0, result["failures"]
    assert result["compiled"] == result["schemas"] and result["loose"] == 0
