"""`famulus tools|review|audit|undo|outbox` as a user (or a script) runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import _fails_cleanly, famulus

pytestmark = pytest.mark.slow
PW = {"FAMULUS_PASSPHRASE": "a long passphrase"}


def ok(home: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = famulus(home, *args, env={**PW, **(env or {})})
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    return result.stdout


def jok(home: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    return json.loads(ok(home, *args, "--json", env=env))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    ok(home, "memory", "init")
    (tmp_path / "docs").mkdir()
    ok(home, "config", "set", "tools.allowed_paths", str(tmp_path / "docs"))
    return home


def test_list_run_undo_and_audit(home: Path, tmp_path: Path) -> None:
    listed = jok(home, "tools", "list", "--no-mcp")
    by_name = {t["name"]: t for t in listed["tools"]}
    assert by_name["file_write"]["risk"] == "write" and by_name["file_write"]["undo"]
    assert {t["category"] for t in listed["tools"]} >= {
        "file_system", "productivity", "communication", "data_processing", "web_automation"}
    text = ok(home, "tools", "list", "--no-mcp")
    assert "file_system/" in text and "email_send" in text

    (tmp_path / "docs" / "plan.md").write_text("v1")
    run = jok(home, "tools", "run", "file_write",
              '{"path": "plan.md", "content": "v2", "mode": "overwrite"}')
    assert run["status"] == "done" and run["undoable"] and run["action_id"] == "A1"
    assert (tmp_path / "docs" / "plan.md").read_text() == "v2"
    undone = jok(home, "undo", "A1")
    assert undone["undone"] and (tmp_path / "docs" / "plan.md").read_text() == "v1"
    _fails_cleanly(famulus(home, "undo", "A1", env=PW), "undone already")

    refused = famulus(home, "tools", "run", "file_read", '{"path": "../../etc/passwd"}', env=PW)
    _fails_cleanly(refused, "paths with '..' are refused")
    _fails_cleanly(famulus(home, "tools", "run", "file_read", "{oops", env=PW),
                   "not valid JSON")

    entries = jok(home, "audit", "list", "--limit", "0")["entries"]
    assert [(e["action"], e["event"]) for e in entries] == [
        ("A1", "decided"), ("A1", "done"), ("A1", "undone"), ("A2", "decided")]
    assert entries[0]["decision"]["verdict"] == "run"
    assert all(set(e) >= {"seq", "time", "action", "event", "prev", "hash"} for e in entries)
    assert jok(home, "audit", "verify") == {"ok": True, "entries": 4}


def test_review_queue_across_processes(home: Path, tmp_path: Path) -> None:
    level0 = {"FAMULUS_TOOLS_AUTONOMY_LEVEL": "0"}
    first = jok(home, "tools", "run", "notes_write", '{"title": "Plan", "text": "draft"}',
                env=level0)
    second = jok(home, "tools", "run", "file_list", "{}", env=level0)
    assert first["status"] == second["status"] == "review"
    items = jok(home, "review", "list")["items"]
    assert [i["id"] for i in items] == ["R1", "R2"]
    assert set(items[0]) >= {"id", "action_id", "call", "reason", "risk", "created", "expires",
                             "status"}
    assert "level 0" in items[0]["reason"]
    done = jok(home, "review", "approve", "R1", "--args",
               '{"title": "Plan", "text": "final"}')
    assert done["status"] == "done"
    assert (home / "data" / "notes" / "plan.md").read_text() == "final\n"
    assert jok(home, "review", "deny", "R2")["status"] == "denied"
    assert jok(home, "review", "list")["items"] == []
    assert len(jok(home, "review", "list", "--all")["items"]) == 2
    _fails_cleanly(famulus(home, "review", "approve", "R2", env=PW), "already denied")
    _fails_cleanly(famulus(home, "review", "approve", "R9", env=PW), "no review item")


def test_tampering_shows(home: Path, tmp_path: Path) -> None:
    ok(home, "tools", "run", "file_list", "{}")
    ok(home, "tools", "run", "file_list", "{}")
    from memory.actions import open_actions

    db = open_actions(home / "data" / "memory", PW["FAMULUS_PASSPHRASE"])
    body = json.loads(db.db.execute("SELECT body FROM log WHERE seq = 2").fetchone()[0])
    body["tool"] = "something_else"
    db.db.execute("UPDATE log SET body = ? WHERE seq = 2", (json.dumps(body),))
    db.close()
    _fails_cleanly(famulus(home, "audit", "verify", env=PW), "entry 2 was changed")


def test_without_memory_or_passphrase(tmp_path: Path) -> None:
    _fails_cleanly(famulus(tmp_path / "fresh", "review", "list"), "famulus memory init")
    home = tmp_path / "home"
    ok(home, "memory", "init")
    _fails_cleanly(famulus(home, "audit", "list"), "memory is locked")
    wrong = famulus(home, "audit", "list", env={"FAMULUS_PASSPHRASE": "wrong"})
    _fails_cleanly(wrong, "passphrase")


def test_mail_is_held_then_leaves_with_the_next_command(home: Path, tmp_path: Path) -> None:
    import time
    from datetime import datetime

    from tests.integration.tools.servers import SmtpSink

    with SmtpSink(tmp_path) as smtp:
        env = {"FAMULUS_TOOLS_AUTONOMY_LEVEL": "2", "FAMULUS_TOOLS_MAIL_UNDO_S": "8",
               "FAMULUS_TOOLS_ALLOWED_RECIPIENTS": "bob@example.com",
               "FAMULUS_TOOLS_SMTP_HOST": "127.0.0.1",
               "FAMULUS_TOOLS_SMTP_PORT": str(smtp.port),
               "FAMULUS_TOOLS_SMTP_SENDER": "me@example.com",
               "FAMULUS_TOOLS_SMTP_CA_FILE": str(smtp.cert)}
        mail = '{"to": ["bob@example.com"], "subject": "Hi", "body": "See you"}'
        text = ok(home, "tools", "run", "email_send", mail, env=env)
        assert "the mail leaves after" in text and "famulus undo A1" in text
        assert [h["action"] for h in jok(home, "outbox", env=env)["held"]] == ["A1"]
        second = jok(home, "tools", "run", "email_send", mail, env=env)
        assert second["result"]["status"] == "held"
        assert jok(home, "undo", second["action_id"], env=env)["undone"]
        release = datetime.fromisoformat(second["result"]["sends_at"]).timestamp()
        time.sleep(max(0.0, release - time.time() + 0.5))
        assert jok(home, "outbox", env=env)["held"] == []  # A1 left on the way in
        assert [m.rcpt_tos for m in smtp.messages] == [["bob@example.com"]]
        _fails_cleanly(famulus(home, "undo", "A1", env={**PW, **env}),
                       "sent mail cannot be recalled")
        events = [(e["action"], e["event"])
                  for e in jok(home, "audit", "list", env=env)["entries"]]
        assert ("A1", "sent") in events and ("A2", "undone") in events
        assert ("A2", "sent") not in events


def test_mcp_server_tools_through_the_cli(home: Path) -> None:
    import sys

    server = Path(__file__).resolve().parents[1] / "servers" / "mcp_notes_server.py"
    (home / "config" / "mcp.json").write_text(json.dumps({"mcpServers": {"demo": {
        "command": sys.executable, "args": [str(server)]}}}))
    listed = jok(home, "tools", "list")
    assert listed["problems"] == []
    assert {"mcp_demo_add", "mcp_demo_shout"} <= {t["name"] for t in listed["tools"]}
    waiting = jok(home, "tools", "run", "mcp_demo_add", '{"a": 20, "b": 22}')
    assert waiting["status"] == "review"
    done = jok(home, "review", "approve", waiting["review_id"])
    assert done["status"] == "done" and "42" in json.dumps(done["result"])
