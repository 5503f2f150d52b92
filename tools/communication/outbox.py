"""Held mail: sent mail cannot be recalled, so outgoing mail waits here for its undo
window, and leaves when a running Famulus finds it due."""

from __future__ import annotations

import time
from collections.abc import Callable
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any

from tools.communication.mail_services import SmtpService
from tools.errors import NotUndoable, ToolError
from tools.store import ActionStore

KIND = "outbox"


class Outbox:
    """Mail held by action id, in the action store (it survives a restart)."""

    def __init__(self, store: ActionStore, smtp: SmtpService | None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store, self.smtp, self.clock = store, smtp, clock

    def hold(self, action_id: str, message: EmailMessage, seconds: float) -> float:
        release = self.clock() + seconds
        self.store.put(KIND, action_id, {"action": action_id, "message": message.as_string(),
                                         "release": release, "status": "held", "error": ""})
        return release

    def held(self) -> list[dict[str, Any]]:
        return [d for d in self.store.items(KIND) if d["status"] == "held"]

    def release_of(self, action_id: str) -> float:
        doc = self.store.get(KIND, action_id)
        return float(doc["release"]) if doc else 0.0

    def status_of(self, action_id: str) -> str:
        """The held mail's fate in words: held, sent, cancelled, or why it failed."""
        doc = self.store.get(KIND, action_id) or {"status": "unknown", "error": ""}
        if doc["error"] and doc["status"] == "held":
            return f"the mail is still held: sending failed ({doc['error']})"
        return f"the mail was {doc['status']}"

    def cancel(self, action_id: str) -> None:
        doc = self.store.get(KIND, action_id)
        if doc is None:
            raise NotUndoable(f"no held mail for {action_id}")
        if doc["status"] != "held":
            raise NotUndoable(f"the mail of {action_id} was {doc['status']} already; sent "
                              "mail cannot be recalled")
        doc["status"] = "cancelled"
        self.store.put(KIND, action_id, doc)

    def send_due(self) -> list[tuple[str, str]]:
        """Send every held mail whose window has passed: (action id, error or '')."""
        done = []
        for doc in self.held():
            if doc["release"] > self.clock():
                continue
            error = ""
            try:
                if self.smtp is None:
                    raise ToolError("tools.smtp.host is not set")
                self.smtp.send(message_from_string(doc["message"], policy=policy.default))
                doc["status"] = "sent"
            except ToolError as exc:
                error = str(exc)
                doc["error"] = error
            doc["sent_at"] = self.clock() if not error else None
            self.store.put(KIND, doc["action"], doc)
            done.append((doc["action"], error))
        return done
