"""Server-sent events, as OpenAI-compatible and Anthropic APIs stream them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class ServerEvent:
    event: str
    data: str


def events(lines: Iterable[str]) -> Iterator[ServerEvent]:
    """Group `lines` of an SSE stream into events (blank line ends one)."""
    event, data = "message", []
    for line in lines:
        if not line.strip():
            if data:
                yield ServerEvent(event, "\n".join(data))
            event, data = "message", []
        elif line.startswith(":"):
            continue
        else:
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                event = value
            elif field == "data":
                data.append(value)
    if data:
        yield ServerEvent(event, "\n".join(data))
