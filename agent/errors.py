"""One error taxonomy: the errors a person or the model should see, apart from bugs.

Expected failures carry a message in plain words and, where there is one, the next step
the person can take. Each engine keeps its own base class (`InferenceError`,
`MemoryStoreError`, `ToolError`, `VoiceError`), because the four engines may import
neither each other nor anything above them; `AgentError` is the base of the ones above
them (the agent's and the app's). Together they are `SHOWN`: a front end catches exactly
these and shows them in its own way (a line on stderr, a dialog, a JSON error). Anything
else raised is a bug: it propagates and is logged with its traceback.

A next step is data (`NextStep`), never a command or a button: the core does not know
whether the person is at a terminal or in the window, so each front end words it (the CLI
names a command, the window a menu or a panel).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inference.errors import InferenceError
from memory.errors import MemoryStoreError, VaultLocked, VaultMissing
from tools.errors import ReviewError, ToolError
from voice.errors import VoiceError


class NextStep(StrEnum):
    """What the person can do about an error or a limitation."""

    NONE = ""
    SET_UP_MEMORY = "set_up_memory"
    UNLOCK_MEMORY = "unlock_memory"
    REVIEW = "review"  # decide about actions waiting for approval
    SEE_AUDIT = "see_audit"  # read what the tools did
    CHECK_MEMORY = "check_memory"
    CONFIGURE = "configure"  # change a setting

    @classmethod
    def of(cls, value: str) -> NextStep:
        """The step a string names (as events carry it); NONE for one not known."""
        try:
            return cls(value)
        except ValueError:
            return cls.NONE


class AgentError(Exception):
    """An expected failure above the engines: a message and the next step."""

    def __init__(self, message: str, next_step: NextStep = NextStep.NONE) -> None:
        super().__init__(message)
        self.next_step = next_step


@dataclass(frozen=True)
class Limitation:
    """Something a session runs without (memory, tools, voice), in words, and what would
    bring it back."""

    text: str
    next_step: NextStep = NextStep.NONE


SHOWN: tuple[type[Exception], ...] = (AgentError, InferenceError, MemoryStoreError,
                                      ToolError, VoiceError)


def next_step(exc: BaseException) -> NextStep:
    """The next step for a shown error (NONE when there is nothing to suggest)."""
    if isinstance(exc, AgentError):
        return exc.next_step
    if isinstance(exc, VaultMissing):
        return NextStep.SET_UP_MEMORY
    if isinstance(exc, VaultLocked):
        return NextStep.UNLOCK_MEMORY
    if isinstance(exc, ReviewError):
        return NextStep.REVIEW
    return NextStep.NONE
