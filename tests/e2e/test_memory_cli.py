"""`famulus memory` and `famulus backup` as a user (or a script) runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import _fails_cleanly, famulus

pytestmark = pytest.mark.slow
PW = {"FAMULUS_PASSPHRASE": "a long passphrase"}
CONVERSATIONS = {"conversations": [{"id": "trip", "sessions": [
    {"id": "s1", "date_time": "2026-10-01 18:00", "turns": [
        {"id": "D1:1", "speaker": "Mia", "text": "We booked the cabin by the lake for June."},
        {"id": "D1:2", "speaker": "Leo", "text": "Great, I'll bring the kayak."}]},
    {"id": "s2", "date_time": "2026-10-08 09:30", "turns": [
        {"id": "D2:1", "speaker": "Mia", "text": "My new job at the observatory starts soon."}]},
]}]}


def ok(home: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = famulus(home, *args, env={**PW, **(env or {})})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_init_import_search_facts_and_stats(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init = json.loads(ok(home, "memory", "init", "--json"))
    assert len(init["recovery_key"].split("-")) == 8
    conv = tmp_path / "conv.json"
    conv.write_text(json.dumps(CONVERSATIONS))
    assert json.loads(ok(home, "memory", "import", str(conv), "--json"))["added"] == 3
    assert json.loads(ok(home, "memory", "import", str(conv), "--json"))["added"] == 0
    hits = json.loads(ok(home, "memory", "search", "where is the job", "--k", "2",
                         "--json"))["hits"]
    assert hits[0]["source_id"] == "D2:1" and hits[0]["speaker"] == "Mia"
    assert set(hits[0]) >= {"id", "source_id", "score", "text", "time", "thread", "speaker"}
    batch = famulus(home, "memory", "search", "--batch", "-", "--k", "1", env=PW,
                    stdin='{"id": "q1", "query": "kayak"}\nwhen is the cabin booked\n')
    assert batch.returncode == 0, batch.stderr
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    assert lines[0]["id"] == "q1" and lines[0]["hits"][0]["source_id"] == "D1:2"
    assert lines[1]["hits"][0]["source_id"] == "D1:1" and len(lines[1]["hits"]) == 1
    ok(home, "memory", "fact", "Mia", "works at", "the observatory", "--source", hits[0]["id"])
    facts = json.loads(ok(home, "memory", "facts", "mia", "--json"))["facts"]
    assert facts[0]["object"] == "the observatory" and facts[0]["provenance"] == [hits[0]["id"]]
    context = json.loads(ok(home, "memory", "context", "What does Mia do?", "--budget", "60",
                            "--json"))
    assert context["used_tokens"] <= 60
    assert "Mia works at the observatory" in [i["text"] for i in context["items"]]
    stats = json.loads(ok(home, "memory", "stats", "--json"))
    assert stats["episodes"] == 3 and stats["unsealed_events"] == 0
    assert "No drift" in ok(home, "memory", "check")
    for path in home.rglob("*"):  # logs, config, memory: no plaintext anywhere
        if path.is_file():
            assert b"observatory" not in path.read_bytes(), path


def test_changing_the_passphrase(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ok(home, "memory", "init")
    ok(home, "memory", "add", "kept across the change")
    ok(home, "memory", "passphrase", env={"FAMULUS_NEW_PASSPHRASE": "a newer passphrase"})
    _fails_cleanly(famulus(home, "memory", "stats", env=PW), "wrong passphrase")
    stats = famulus(home, "memory", "stats", "--json",
                    env={"FAMULUS_PASSPHRASE": "a newer passphrase"})
    assert json.loads(stats.stdout)["episodes"] == 1


def test_locked_wrong_and_bad_input_are_clear_errors(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _fails_cleanly(famulus(home, "memory", "stats", env=PW), "famulus memory init")
    ok(home, "memory", "init")
    ok(home, "memory", "add", "remember the milk")
    _fails_cleanly(famulus(home, "memory", "stats"), "memory is locked")
    _fails_cleanly(famulus(home, "memory", "stats", env={"FAMULUS_PASSPHRASE": "no"}),
                   "wrong passphrase")
    bad = tmp_path / "bad.json"
    bad.write_text('{"conversations": [{"id": "c", "sessions": [{"turns": []}]}]}')
    _fails_cleanly(famulus(home, "memory", "import", str(bad), env=PW), "missing 'date_time'")
    _fails_cleanly(famulus(home, "memory", "forget", "nope", env=PW), "no memory has the id")
    assert json.loads(ok(home, "memory", "stats", "--json"))["episodes"] == 1  # kept


def test_unlock_session_then_lock(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ok(home, "memory", "init")
    assert "unlocked" in ok(home, "memory", "unlock")
    no_pw = famulus(home, "memory", "add", "no passphrase needed now")
    assert no_pw.returncode == 0, no_pw.stderr
    assert "locked" in famulus(home, "memory", "lock").stdout
    _fails_cleanly(famulus(home, "memory", "stats"), "memory is locked")


def test_backup_and_restore_on_a_fresh_home_with_the_recovery_key(tmp_path: Path) -> None:
    home, other = tmp_path / "home", tmp_path / "other"
    recovery = json.loads(ok(home, "memory", "init", "--json"))["recovery_key"]
    ok(home, "memory", "add", "the spare key is under the blue pot")
    ok(home, "backup", "create", str(tmp_path / "bk"))
    assert json.loads(ok(home, "backup", "verify", str(tmp_path / "bk"), "--json"))["ok"]
    result = famulus(other, "backup", "restore", str(tmp_path / "bk"), "--recovery-key",
                     stdin=recovery + "\n")
    assert result.returncode == 0, result.stderr
    hits = json.loads(ok(other, "memory", "search", "blue pot", "--json", "--mode", "fts"))
    assert hits["hits"][0]["text"] == "the spare key is under the blue pot"


def test_restore_at_a_moment_and_undo(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ok(home, "memory", "init")
    ok(home, "memory", "add", "before")
    stats = json.loads(ok(home, "memory", "stats", "--json"))
    assert stats["episodes"] == 1
    ok(home, "memory", "restore", "--at", "2000-01-01 00:00")
    assert json.loads(ok(home, "memory", "stats", "--json"))["episodes"] == 0
    ok(home, "memory", "restore", "--undo")
    assert json.loads(ok(home, "memory", "stats", "--json"))["episodes"] == 1
