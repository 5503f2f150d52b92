"""What a running tool gets (its context) and gives back (an outcome with its undo)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.boundaries import Boundaries
from tools.errors import Cancelled


@dataclass
class UndoRecord:
    """How to take an action back: a kind the undo handlers know, and its data.

    `blob` holds bulky prior state (a file's previous content); it is stored encrypted
    beside the audit log, never in the log itself.
    """

    kind: str
    data: dict[str, Any]
    blob: bytes | None = None


def short(text: str, limit: int = 120) -> str:
    """The start of a text, for an outcome's sentence about it."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


@dataclass
class Outcome:
    """A tool's result, and the record that undoes it (if it can be undone)."""

    result: Any
    undo: UndoRecord | None = None
    summary: str = ""


NEEDS = {"caldav": "tasks, reminders and the calendar need a CalDAV server (Nextcloud, "
                   "Radicale, Fastmail, iCloud …)",
         "smtp": "sending e-mail needs an outgoing mail server (SMTP)",
         "imap": "reading e-mail needs an incoming mail server (IMAP)"}


@dataclass
class ToolContext:
    """Everything a tool may use: the person's boundaries, the services it was configured
    with, a scratch folder and a cancel flag. Tools never read settings themselves."""

    boundaries: Boundaries
    scratch: Path
    services: dict[str, Any] = field(default_factory=dict)
    cancel: threading.Event = field(default_factory=threading.Event)
    mail_hold_s: float = 0.0
    action_id: str = ""
    autonomy_level: int = 0  # the person's level when the action runs
    untrusted: bool = False  # the call followed untrusted content (what it writes is marked)

    def service(self, name: str) -> Any:
        """A configured service (smtp, caldav, outbox, sandbox, …) or a clear error that
        says what it is for and which settings set it up."""
        from tools.errors import NotSetUp, ToolFailed

        try:
            return self.services[name]
        except KeyError:
            if name == "memory":
                raise ToolFailed("the memory is not set up or not unlocked") from None
            what = NEEDS.get(name, f"this needs {name}")
            raise NotSetUp(f"{what}, and none is set up yet: fill in the settings "
                           f"tools.{name}.*", f"tools.{name}") from None

    def check_cancelled(self) -> None:
        if self.cancel.is_set():
            raise Cancelled("the action was cancelled")
