"""The command line's frame: every group registers its commands, errors a person should
see are one line with the command that helps, and tool errors are JSON with --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import GROUPS, main, parser


def test_every_group_registers_its_commands() -> None:
    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"run", "chat", "ask", "memory", "backup", "review", "audit", "undo", "outbox",
            "reflect", "goals", "status", "feedback", "say", "transcribe", "voice",
            "serve"} <= set(commands)
    assert len(GROUPS) == len(set(GROUPS))


def test_a_shown_error_is_one_line_with_its_next_step(famulus_home: Path, capsys) -> None:
    assert main(["config", "set", "models.colour", "blue"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("famulus: error: unknown setting 'models.colour'")
    assert "(`famulus config show`)" in err and "Traceback" not in err


def test_a_tool_error_is_json_with_json(famulus_home: Path, capsys,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMULUS_PASSPHRASE", "correct horse battery")
    assert main(["tools", "show", "no_such_tool", "--json"]) == 1
    error = json.loads(capsys.readouterr().out)
    assert error["type"] == "UnknownTool"


def test_a_short_passphrase_is_refused_as_the_window_refuses_it(
        famulus_home: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMULUS_PASSPHRASE", "five5")
    assert main(["memory", "init"]) == 1
    assert "at least 8 characters" in capsys.readouterr().err
    assert not (famulus_home / "data" / "memory" / "vault.json").exists()
