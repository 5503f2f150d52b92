"""The events of the memory log: small dataclasses with to/from dict.

Events commute: episodes are add-only under UUIDs, deletes are tombstones that win over any
add of the same id, and facts and preferences are last-writer-wins by HLC stamp.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np


class Kind(StrEnum):
    """What an event does."""

    EPISODE = "episode.added"
    FACT_ASSERTED = "fact.asserted"
    FACT_RETRACTED = "fact.retracted"
    PREFERENCE = "preference.set"
    PROCEDURE = "procedure.set"
    FORGOTTEN = "item.forgotten"
    RESTORED = "memory.restored"


@dataclass
class Event:
    """One entry of the log. `vector` travels beside the JSON payload as float32 bytes."""

    uuid: str
    hlc: str
    device: str
    kind: Kind
    payload: dict[str, Any]
    vector: np.ndarray | None = None
    seq: int = 0  # local order in this device's log; not part of the event's identity

    def payload_json(self) -> str:
        return json.dumps(self.payload, ensure_ascii=False, sort_keys=True)

    def vector_bytes(self) -> bytes | None:
        return None if self.vector is None else np.asarray(self.vector, np.float32).tobytes()

    def to_dict(self) -> dict[str, Any]:
        data = {"uuid": self.uuid, "hlc": self.hlc, "device": self.device,
                "kind": str(self.kind), "payload": self.payload}
        if self.vector is not None:
            data["vector"] = [float(x) for x in self.vector]
        return data

    @classmethod
    def from_row(cls, seq: int, uuid: str, hlc: str, device: str, kind: str, payload: str,
                 vector: bytes | None) -> Event:
        vec = None if vector is None else np.frombuffer(vector, dtype=np.float32)
        return cls(uuid, hlc, device, Kind(kind), json.loads(payload), vec, seq)


def fact_key(subject: str, relation: str, obj: str) -> str:
    """A fact's identity: the same triple asserted anywhere gets the same id."""
    norm = "\x1f".join(part.strip().casefold() for part in (subject, relation, obj))
    return "fact-" + hashlib.sha256(norm.encode()).hexdigest()[:24]


@dataclass
class Episode:
    """Something said or seen: a turn of a conversation, a note, an imported message."""

    id: str
    text: str
    time_ms: int
    speaker: str = ""
    channel: str = ""
    thread: str = ""
    source_id: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    vector: np.ndarray | None = None

    @classmethod
    def from_event(cls, event: Event) -> Episode:
        p = event.payload
        return cls(event.uuid, p["text"], int(p["time_ms"]), p.get("speaker", ""),
                   p.get("channel", ""), p.get("thread", ""), p.get("source_id", ""),
                   p.get("metadata", {}), event.vector)

    def payload(self) -> dict[str, Any]:
        return {"text": self.text, "time_ms": self.time_ms, "speaker": self.speaker,
                "channel": self.channel, "thread": self.thread, "source_id": self.source_id,
                "metadata": self.metadata}


@dataclass
class Fact:
    """A subject–relation–object statement, with the episodes it came from."""

    id: str
    subject: str
    relation: str
    object: str
    confidence: float
    hlc: str
    provenance: list[str] = field(default_factory=list)

    @classmethod
    def from_event(cls, event: Event) -> Fact:
        p = event.payload
        return cls(p["fact_id"], p["subject"], p["relation"], p["object"],
                   float(p.get("confidence", 1.0)), event.hlc, list(p.get("provenance", [])))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "subject": self.subject, "relation": self.relation,
                "object": self.object, "confidence": self.confidence,
                "provenance": self.provenance, "hlc": self.hlc}


@dataclass
class Preference:
    """A preference or learned procedure: procedural memory, with an optional expiry."""

    key: str
    value: Any
    kind: str  # "preference" or "procedure"
    hlc: str
    expires_ms: int | None = None

    def expired(self, now_ms: int) -> bool:
        return self.expires_ms is not None and now_ms >= self.expires_ms

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "value": self.value, "kind": self.kind,
                "expires_ms": self.expires_ms, "hlc": self.hlc}
