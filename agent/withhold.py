"""Streamed text held back from the moment it may be a tool call written out as text (a
fence, bare JSON, double braces, a tag): such text must never reach the person, on the
screen or spoken, and by the time it is certain what it is, it would have been shown.
What was held is shown after all when it turns out to be words."""

from __future__ import annotations

# <tool_call>, <tool_response> echoed and <tools> written out; {"status" is a tool's
# result read back as JSON
MARKERS = ("```", '{"name"', '{"status"', "{{", "<tool")


class Withheld:
    """Feed it the answer's pieces; it returns what may be shown now."""

    def __init__(self) -> None:
        self.pending = ""
        self.holding = False

    def feed(self, text: str) -> str:
        self.pending += text
        if self.holding:
            return ""
        starts = [at for at in (self.pending.find(m) for m in MARKERS) if at >= 0]
        if starts:
            cut, self.holding = min(starts), True
        else:  # keep a tail that could still become a marker
            cut = len(self.pending) - _tail(self.pending)
        out, self.pending = self.pending[:cut], self.pending[cut:]
        return out

    def flush(self) -> str:
        """What is held (the turn decided it is words after all)."""
        out, self.pending, self.holding = self.pending, "", False
        return out


def _tail(text: str) -> int:
    """The length of the longest end of `text` that begins a marker."""
    for size in range(min(len(text), max(map(len, MARKERS)) - 1), 0, -1):
        if any(m.startswith(text[-size:]) for m in MARKERS):
            return size
    return 0
