"""Sync between devices through a folder the user syncs by any means (Syncthing, a share).

Each device writes one sealed bundle holding every event it knows (so events also travel
through intermediaries) and reads the bundles of the others. Appending is idempotent and
tombstones win, so replicas converge whatever order bundles arrive in. A bundle is
rewritten whole each time, so events forgotten here leave the shared folder too.
"""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from memory import crypto
from memory.errors import CorruptFile
from memory.events import Event, Kind
from memory.files import write_atomic

SUFFIX = ".famsync"


def _bundle_name(memory: Any) -> str:
    return f"famulus-{memory.vault.vault_id[:12]}-{memory.clock.device}{SUFFIX}"


def _encode(event: Event) -> dict[str, Any]:
    data = {"uuid": event.uuid, "hlc": event.hlc, "device": event.device,
            "kind": str(event.kind), "payload": event.payload}
    raw = event.vector_bytes()
    if raw is not None:
        data["vector"] = base64.b64encode(raw).decode()
    return data


def _decode(data: dict[str, Any]) -> Event:
    vector = data.get("vector")
    vec = np.frombuffer(base64.b64decode(vector), np.float32) if vector else None
    return Event(data["uuid"], data["hlc"], data["device"], Kind(data["kind"]),
                 data["payload"], vec)


def export_bundle(memory: Any, folder: Path) -> int:
    events = memory.log.in_order()
    body = zlib.compress(json.dumps([_encode(e) for e in events]).encode(), 3)
    blob = crypto.seal(crypto.subkey(memory.key, "sync"), body, memory.vault.vault_id.encode())
    write_atomic(folder / _bundle_name(memory), blob)
    return len(events)


def read_bundle(memory: Any, path: Path) -> list[Event]:
    blob = path.read_bytes()
    body = crypto.open_sealed(crypto.subkey(memory.key, "sync"), blob,
                              memory.vault.vault_id.encode(), what=f"sync bundle {path.name}")
    try:
        return [_decode(d) for d in json.loads(zlib.decompress(body))]
    except (zlib.error, ValueError, KeyError) as exc:
        raise CorruptFile(f"the sync bundle {path.name} is damaged") from exc


def sync(memory: Any, folder: Path) -> dict[str, Any]:
    """Take in the other devices' events, then write this device's bundle."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    received, refused = 0, []
    prefix = f"famulus-{memory.vault.vault_id[:12]}-"
    for path in sorted(folder.glob(f"{prefix}*{SUFFIX}")):
        if path.name == _bundle_name(memory):
            continue
        try:
            events = read_bundle(memory, path)
        except CorruptFile as exc:
            refused.append(str(exc))
            continue
        for event in events:
            memory.clock.observe(event.hlc)
        received += len(memory.record(events))
    sent = export_bundle(memory, folder)
    return {"received": received, "sent": sent, "refused": refused, "folder": str(folder)}
