"""A hybrid logical clock: timestamps that sort like wall time yet never go backwards.

A stamp is the string "WWWWWWWWWWWWW.CCCCCC.device" (wall ms, counter, device id), so plain
string comparison orders events from several devices the same way everywhere.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

WALL_DIGITS, COUNTER_DIGITS = 13, 6


def stamp(wall_ms: int, counter: int, device: str) -> str:
    return f"{wall_ms:0{WALL_DIGITS}d}.{counter:0{COUNTER_DIGITS}d}.{device}"


def parse(hlc: str) -> tuple[int, int, str]:
    wall, counter, device = hlc.split(".", 2)
    return int(wall), int(counter), device


def wall_ms(hlc: str) -> int:
    """The wall-clock part, in ms since the epoch."""
    return int(hlc[:WALL_DIGITS])


def upper_bound(ms: int) -> str:
    """A stamp after every event at or before `ms`, and before every later one."""
    return f"{ms:0{WALL_DIGITS}d}.{'9' * COUNTER_DIGITS}.~"


class HybridClock:
    """Issues increasing stamps for one device and absorbs stamps seen from others."""

    def __init__(self, device: str, now_ms: Callable[[], int] | None = None) -> None:
        self.device = device
        self._now = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._wall, self._counter = 0, 0
        self._lock = threading.Lock()

    def now(self) -> str:
        with self._lock:
            wall = self._now()
            if wall > self._wall:
                self._wall, self._counter = wall, 0
            else:
                self._counter += 1
            return stamp(self._wall, self._counter, self.device)

    def observe(self, hlc: str) -> None:
        """Move past a stamp from the log or another device."""
        wall, counter, _ = parse(hlc)
        with self._lock:
            if (wall, counter) > (self._wall, self._counter):
                self._wall, self._counter = wall, counter
