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
    assert "milk" in note.read_text().lower()


def test_without_memory_set_up_it_still_answers(tmp_path: Path, light_model: Path) -> None:
    result = famulus(tmp_path / "home", "ask", "remember that I like tea", env=ENV)
    assert result.returncode == 0, result.stderr
    assert "memory is not set up" in result.stderr
    assert result.stdout.startswith("I cannot remember that")


def test_undo_forgets_a_remembered_thing(tmp_path: Path, light_model: Path) -> None:
    home = tmp_path / "home"
    ok(home, "memory", "init")
    saved = json.loads(ok(home, "ask", "--json", "Remember that the spare key is in the shed"))
    action = saved["actions"][0]["action_id"]
    assert "shed" in ok(home, "memory", "search", "spare key")
    assert json.loads(ok(home, "undo", action, "--json"))["undone"]
    hits = json.loads(ok(home, "memory", "search", "spare key shed", "--json"))["hits"]
    assert not any(h["text"] == "the spare key is in the shed" for h in hits)


def test_a_day_of_episodes_becomes_facts_with_provenance(tmp_path: Path,
                                                         light_model: Path) -> None:
    home = tmp_path / "home"
    ok(home, "memory", "init")
    ids = []
    for text in ("My sister Ana lives in Porto.", "Mia started a new job at the observatory.",
                 "The weather was grey all day."):
        ids.append(json.loads(ok(home, "memory", "add", text, "--speaker", "user",
                                 "--json"))["id"])
    report = json.loads(ok(home, "reflect", "daily", "--day", "today", "--json"))
    facts = report["reports"][0]["facts"]
    assert report["reports"][0]["episodes"] == 3
    assert facts, report
    named = " ".join(f"{f['subject']} {f['object']}" for f in facts).lower()
    assert "ana" in named or "mia" in named, facts  # the light model is not always right
    for fact in facts:  # provenance: the episodes each fact came from
        assert fact["provenance"] and set(fact["provenance"]) <= set(ids)
    learned = json.loads(ok(home, "memory", "facts", facts[0]["subject"], "--json"))["facts"]
    stored = {f["id"]: f for f in learned}  # in the graph, with the same provenance
    assert stored[facts[0]["id"]]["provenance"] == facts[0]["provenance"]
    assert json.loads(ok(home, "status", "--json"))["reflection_last_run"]["daily"] is None


def test_answers_use_a_memory_found_now_and_a_turn_from_three_turns_ago(
        tmp_path: Path, light_model: Path) -> None:
    """The thread's turns come back as messages in each new process, and related memories
    (from another conversation) come in this turn's context."""
    home = tmp_path / "home"
    ok(home, "memory", "init")
    ok(home, "memory", "add", "The spare key is under the blue flower pot.", "--speaker",
       "user", "--thread", "garden")
    ok(home, "ask", "My sister Ana lives in Porto.")
    for filler in ("What is 2 plus 2?", "Name a colour.", "What is the capital of Italy?"):
        ok(home, "ask", filler)
    asked = json.loads(ok(home, "ask", "--json", "Which city does my sister Ana live in?"))
    assert "Porto" in asked["answer"], asked["answer"]
    found = json.loads(ok(home, "ask", "--json", "Where is the spare key?"))
    assert "flower pot" in found["answer"].lower(), found["answer"]
    assert found["memories_used"]
