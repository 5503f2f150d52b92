"""The agent as a user meets it: `famulus ask` with memory and tools, the light model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import famulus

pytestmark = pytest.mark.slow
ENV = {"FAMULUS_PASSPHRASE": "a long passphrase", "FAMULUS_INFERENCE_MAX_TOKENS": "80"}


def ok(home: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = famulus(home, *args, env={**ENV, **(env or {})})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_remembered_in_one_process_answered_in_another(tmp_path: Path,
                                                        light_model: Path) -> None:
    home = tmp_path / "home"
    ok(home, "memory", "init")
    saved = json.loads(ok(home, "ask", "--json",
                          "Remember that my sister's birthday is June 3rd"))
    assert saved["actions"][0]["tool"] == "memory_remember"
    assert saved["actions"][0]["type"] == "tool_done"
    answer = json.loads(ok(home, "ask", "--json", "When is my sister's birthday?"))
    assert "June 3" in answer["answer"] or "3 June" in answer["answer"], answer["answer"]
    assert answer["memories_used"]
    assert set(answer["agent_timings"]) >= {"retrieve_s", "model_s", "store_s", "total_s"}


def test_a_tool_request_waits_at_level_0_and_runs_after_approval(
        tmp_path: Path, light_model: Path) -> None:
    home = tmp_path / "home"
    ok(home, "memory", "init")
    result = json.loads(ok(home, "ask", "--autonomy", "0", "--json",
                           "Write a note titled Groceries with the text: milk and eggs"))
    waiting = [a for a in result["actions"] if a["type"] == "tool_awaiting_approval"]
    assert waiting and waiting[0]["tool"] == "notes_write", result
    note = home / "data" / "notes" / "groceries.md"
    assert not note.exists()
    ok(home, "review", "approve", waiting[0]["review_id"])
    assert "milk" in note.read_text()


def test_without_memory_set_up_it_still_answers(tmp_path: Path, light_model: Path) -> None:
    result = famulus(tmp_path / "home", "ask", "remember that I like tea", env=ENV)
    assert result.returncode == 0, result.stderr
    assert "memory is not set up" in result.stderr
    assert result.stdout.startswith("I cannot remember that")
