"""One taxonomy: errors a person should see carry their next step as data; bugs are not
among them."""

from __future__ import annotations

from agent.errors import SHOWN, AgentError, NextStep, next_step
from app.secrets import KeyringUnavailable
from app.settings import SettingError
from inference.errors import BackendTimeout
from memory.errors import VaultLocked, VaultMissing
from tools.errors import ReviewError
from voice.errors import NoAudioDevice


def test_the_engines_errors_and_the_apps_are_shown() -> None:
    for error in (BackendTimeout("x"), VaultLocked("x"), ReviewError("x"), NoAudioDevice("x"),
                  SettingError("x"), KeyringUnavailable("x"), AgentError("x")):
        assert isinstance(error, SHOWN)
    assert not isinstance(KeyError("x"), SHOWN)  # a bug raises


def test_each_names_its_next_step() -> None:
    assert next_step(VaultMissing("x")) is NextStep.SET_UP_MEMORY
    assert next_step(VaultLocked("x")) is NextStep.UNLOCK_MEMORY
    assert next_step(ReviewError("x")) is NextStep.REVIEW
    assert next_step(SettingError("x")) is NextStep.CONFIGURE
    assert next_step(AgentError("x", NextStep.SEE_AUDIT)) is NextStep.SEE_AUDIT
    assert next_step(BackendTimeout("x")) is NextStep.NONE


def test_the_cores_messages_name_no_command() -> None:
    """No `famulus …` in what the core says: each front end words the next step."""
    from pathlib import Path

    core = Path(__file__).resolve().parents[3] / "agent"
    said = [p for p in core.rglob("*.py") if "`famulus " in p.read_text(encoding="utf-8")
            or "famulus review" in p.read_text(encoding="utf-8")]
    assert not said, said
