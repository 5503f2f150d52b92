"""Push-to-talk keys in a terminal, which reports key presses but never releases.

Holding a key makes the terminal repeat it, so a hold is a press followed by repeats, and
the release is when the repeats stop (voice.push_to_talk.HoldOrTap is that rule).
`terminal_keys` and `line_keys` turn a terminal into push-to-talk events: ("press", ""),
("release", ""), ("line", typed text) and ("quit", "").
"""

from __future__ import annotations

import os
import select
import termios
import time
import tty
from collections.abc import Iterator
from typing import TextIO

from voice.push_to_talk import HoldOrTap

KeyEvent = tuple[str, str]


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
