"""Import conversations from the documented JSON format (docs/memory.md).

The whole file is checked before anything is written, so a bad file changes nothing.
Episode ids derive from (conversation, turn id), so importing a file twice adds nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from memory.errors import ImportFormatError
from memory.events import Episode

NAMESPACE = uuid.UUID("1b6f7c53-5b8e-4f0e-9a43-6a8d2f1c7e10")
TIME_FORMATS = ("%I:%M %p on %d %B, %Y", "%I:%M %p on %d %b, %Y", "%Y-%m-%d %H:%M",
                "%Y-%m-%d")


def parse_time(text: str) -> datetime:
    """ISO 8601, or the "1:56 pm on 8 May, 2023" style; naive times are taken as UTC."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        for fmt in TIME_FORMATS:
            try:
                when = datetime.strptime(text.strip(), fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"unrecognised date-time {text!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _field(obj: Any, name: str, where: str, kind: type = str) -> Any:
    if not isinstance(obj, dict) or name not in obj:
        raise ImportFormatError(f"{where}: missing '{name}'")
    value = obj[name]
    if kind is str and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, kind):
        raise ImportFormatError(f"{where}.{name}: expected {kind.__name__}")
    return value


def read_conversations(path: Path) -> list[Episode]:
    """Every turn of the file as an episode (without vectors), or ImportFormatError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportFormatError(f"{path} does not exist") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportFormatError(f"{path} is not valid JSON: {exc}") from exc
    episodes: list[Episode] = []
    for ci, conv in enumerate(_field(data, "conversations", "file", list)):
        where = f"conversations[{ci}]"
        thread = _field(conv, "id", where)
        for si, session in enumerate(_field(conv, "sessions", where, list)):
            episodes += _session(session, thread, f"{where}.sessions[{si}]")
    return episodes


def _session(session: Any, thread: str, where: str) -> list[Episode]:
    try:
        start = parse_time(_field(session, "date_time", where))
    except ValueError as exc:
        raise ImportFormatError(f"{where}.date_time: {exc}") from None
    base_ms = int(start.timestamp() * 1000)
    out = []
    for ti, turn in enumerate(_field(session, "turns", where, list)):
        twhere = f"{where}.turns[{ti}]"
        turn_id, speaker = _field(turn, "id", twhere), _field(turn, "speaker", twhere)
        text = _field(turn, "text", twhere)
        ident = uuid.uuid5(NAMESPACE, f"{thread}\x1f{turn_id}").hex
        meta = {"session": str(session.get("id", ""))}
        out.append(Episode(ident, text, base_ms + ti * 1000, speaker, "import", thread,
                           turn_id, meta))
    return out


def import_file(memory: Any, path: Path, batch: int = 512,
                progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Check, embed and store a conversation file; returns counts."""
    episodes = read_conversations(path)
    known = memory.log.known([e.id for e in episodes])
    fresh = [e for e in episodes if e.id not in known]
    for start in range(0, len(fresh), batch):
        memory.add_episodes(fresh[start:start + batch])
        if progress:
            progress(min(start + batch, len(fresh)), len(fresh))
    return {"turns": len(episodes), "added": len(fresh),
            "already_known": len(episodes) - len(fresh)}
