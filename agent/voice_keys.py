"""Push-to-talk keys in a terminal, which reports key presses but never releases.

Holding a key makes the terminal repeat it, so a hold is a press followed by repeats, and
the release is when the repeats stop. A key let go before the first repeat was a tap: it
toggles, and talking goes on until the next tap. `HoldOrTap` is that rule, fed with key
times; `terminal_keys` and `line_keys` turn a terminal into push-to-talk events:
("press", ""), ("release", ""), ("line", typed text) and ("quit", "").
"""

from __future__ import annotations

import os
import select
import termios
import time
import tty
from collections.abc import Iterator
from typing import TextIO

KeyEvent = tuple[str, str]


class HoldOrTap:
    """Space held: talk until it is let go. Space tapped: talk until the next tap."""

    def __init__(self, first_repeat_s: float = 0.8, release_gap_s: float = 0.2) -> None:
        self.first_repeat_s, self.release_gap_s = first_repeat_s, release_gap_s
        self.state = "idle"  # idle, pressed (tap or hold?), holding, toggled
        self.last = 0.0

    def key(self, now: float) -> str | None:
        """The key came (pressed, or repeated): "press", "release" or nothing."""
        previous, self.last = self.last, now
        if self.state == "idle":
            self.state = "pressed"
            return "press"
        if self.state == "toggled":
            self.state = "idle"
            return "release"
        if self.state == "pressed" and now - previous < self.first_repeat_s:
            self.state = "holding"
        return None

    def wait_s(self, now: float) -> float | None:
        """How long to wait for the next key before `quiet` has something to say."""
        limit = {"pressed": self.first_repeat_s, "holding": self.release_gap_s}.get(self.state)
        return None if limit is None else max(0.0, self.last + limit - now)

    def quiet(self, now: float) -> str | None:
        """No key came for a while: a hold ends ("release"); a tap becomes a toggle."""
        if self.state == "holding" and now - self.last >= self.release_gap_s:
            self.state = "idle"
            return "release"
        if self.state == "pressed" and now - self.last >= self.first_repeat_s:
            self.state = "toggled"
        return None

    @property
    def talking(self) -> bool:
        return self.state != "idle"


def line_keys(stdin: TextIO) -> Iterator[KeyEvent]:
    """Without a terminal (a pipe): an empty line toggles talking, text is sent typed."""
    talking = False
    for line in stdin:
        if line.strip():
            yield "line", line.strip()
        else:
            talking = not talking
            yield ("press" if talking else "release"), ""
    yield "quit", ""


def terminal_keys(stdin: TextIO, out: TextIO) -> Iterator[KeyEvent]:
    """Space to hold (or tap) to talk, Enter to toggle, any other key starts a typed line."""
    fd = stdin.fileno()
    saved = termios.tcgetattr(fd)
    keys = HoldOrTap()
    try:
        tty.setcbreak(fd)
        while True:
            ready, _, _ = select.select([fd], [], [], keys.wait_s(time.monotonic()))
            if not ready:
                if keys.quiet(time.monotonic()):
                    yield "release", ""
                continue
            for char in os.read(fd, 64).decode(errors="ignore"):
                event = _char_event(char, keys, stdin, saved, out)
                if event:
                    yield event
                if event and event[0] == "quit":
                    return
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _char_event(char: str, keys: HoldOrTap, stdin: TextIO, saved: list, out: TextIO
                ) -> KeyEvent | None:
    if char == " ":
        action = keys.key(time.monotonic())
        return (action, "") if action else None
    if char in "\r\n":
        if keys.talking:
            keys.state = "idle"
            return "release", ""
        keys.state, keys.last = "toggled", time.monotonic()
        return "press", ""
    if char == "\x04":
        return "quit", ""
    if keys.talking or not char.isprintable():
        return None
    out.write(char)
    out.flush()
    fd = stdin.fileno()
    termios.tcsetattr(fd, termios.TCSADRAIN, saved)  # a typed line gets line editing
    try:
        rest = stdin.readline()
    finally:
        tty.setcbreak(fd)
    return "line", (char + rest).strip()
