"""An input to the agent, from any channel, in the map's message protocol."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

CHANNELS = ("desktop", "voice", "cli", "api", "scheduler")


@dataclass(frozen=True)
class MessageContext:
    """Where a message belongs and how it should be handled."""

    thread: str = "default"
    priority: int = 0
    requires_action: bool = False


@dataclass(frozen=True)
class Message:
    """One input: who said what, on which channel, when."""

    content: str
    channel: str = "cli"
    sender: str = "user"
    context: MessageContext = field(default_factory=MessageContext)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    timestamp: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "timestamp": self.timestamp, "channel": self.channel,
                "sender": self.sender, "content": self.content,
                "context": {"thread": self.context.thread, "priority": self.context.priority,
                            "requires_action": self.context.requires_action}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        ctx = data.get("context") or {}
        return cls(str(data["content"]), str(data.get("channel", "cli")),
                   str(data.get("sender", "user")),
                   MessageContext(str(ctx.get("thread", "default")),
                                  int(ctx.get("priority", 0)),
                                  bool(ctx.get("requires_action", False))),
                   str(data.get("id") or uuid.uuid4().hex),
                   float(data.get("timestamp") or time.time()))
