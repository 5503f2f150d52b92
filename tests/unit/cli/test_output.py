"""The command line words the core's next steps as commands."""

from __future__ import annotations

from agent.errors import AgentError, Limitation, NextStep
from cli.output import error_text, hint, limitation_text, with_hint
from memory.errors import VaultMissing


def test_next_steps_become_commands() -> None:
    assert hint(NextStep.SET_UP_MEMORY) == "famulus memory init"
    assert hint("review") == "famulus review list"
    assert hint("") == "" and hint("not a step") == ""
    assert with_hint("3 tool calls failed", "see_audit") == \
        "3 tool calls failed (`famulus audit list`)"


def test_errors_and_limitations_carry_their_command_once() -> None:
    assert error_text(AgentError("tools are off", NextStep.UNLOCK_MEMORY)).startswith(
        "tools are off (`famulus memory unlock")
    # a message that already names its command is left as it is
    already = "memory is not set up yet: run `famulus memory init`"
    assert error_text(VaultMissing(already)) == already
    assert limitation_text(Limitation("memory is not set up: answering without it",
                                      NextStep.SET_UP_MEMORY)) == \
        "memory is not set up: answering without it (`famulus memory init`)"
