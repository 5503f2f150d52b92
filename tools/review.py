"""The review queue: calls that wait for the person, kept across restarts, expiring.

Items are approved (optionally with edited arguments), denied, or expire. The queue only
keeps the items; ToolService runs what is approved, through the gate again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from tools.errors import ReviewError
from tools.gate import ToolCall
from tools.store import ActionStore

KIND = "review"


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"
    EXPIRED = "expired"


@dataclass
class ReviewItem:
    """One call waiting for a decision."""

    id: str
    action_id: str
    call: dict[str, Any]
    reason: str
    risk: str
    created: float
    expires: float
    status: Status = Status.PENDING
    decided: float | None = None
    note: str = ""
    edited_arguments: dict[str, Any] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = str(self.status)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReviewItem:
        return cls(**{**data, "status": Status(data["status"])})

    @property
    def tool_call(self) -> ToolCall:
        return ToolCall.from_dict(self.call)


class ReviewQueue:
    """Pending calls in an ActionStore."""

    def __init__(self, store: ActionStore, expiry_s: float = 86_400.0,
                 clock: Callable[[], float] = time.time) -> None:
        self.store, self.expiry_s, self.clock = store, expiry_s, clock

    def add(self, action_id: str, call: ToolCall, reason: str, risk: str) -> ReviewItem:
        now = self.clock()
        item = ReviewItem(f"R{self.store.next_number(KIND)}", action_id, call.to_dict(),
                          reason, risk, now, now + self.expiry_s)
        self._save(item)
        return item

    def _save(self, item: ReviewItem) -> None:
        self.store.put(KIND, item.id, item.to_dict())

    def get(self, ident: str) -> ReviewItem:
        doc = self.store.get(KIND, str(ident).upper())
        if doc is None:
            raise ReviewError(f"no review item {ident!r}: see `famulus review list`")
        return ReviewItem.from_dict(doc)

    def items(self, status: Status | None = Status.PENDING) -> list[ReviewItem]:
        """Items (pending ones by default), oldest first; expired ones are marked so."""
        self.expire()
        items = [ReviewItem.from_dict(d) for d in self.store.items(KIND)]
        items.sort(key=lambda i: i.created)
        return [i for i in items if status is None or i.status == status]

    def expire(self) -> list[ReviewItem]:
        now, expired = self.clock(), []
        for doc in self.store.items(KIND):
            item = ReviewItem.from_dict(doc)
            if item.status == Status.PENDING and item.expires <= now:
                item.status, item.decided = Status.EXPIRED, now
                self._save(item)
                expired.append(item)
        return expired

    def decide(self, ident: str, status: Status, note: str = "",
               arguments: dict[str, Any] | None = None) -> ReviewItem:
        """Mark a pending item approved or denied; ReviewError if it is not pending."""
        item = self.get(ident)
        if item.status == Status.PENDING and item.expires <= self.clock():
            self.expire()
            item = self.get(ident)
        if item.status != Status.PENDING:
            raise ReviewError(f"review item {item.id} is already {item.status}")
        before = item.to_dict()
        item.status, item.decided, item.note = status, self.clock(), note
        item.edited_arguments = arguments
        if not self.store.swap(KIND, item.id, before, item.to_dict()):
            raise ReviewError(f"review item {item.id} was decided elsewhere meanwhile")
        return item
