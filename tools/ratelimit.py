"""Per-tool rate limits: a sliding window of recent runs."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

from tools.manifest import RateLimit


class RateLimiter:
    """Counts runs per tool; `take` refuses one that would exceed the tool's limit."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._runs: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def take(self, name: str, limit: RateLimit) -> float | None:
        """Count one run now and return None, or return the seconds until one is allowed."""
        now = self._clock()
        with self._lock:
            runs = self._runs[name]
            while runs and now - runs[0] >= limit.per_s:
                runs.popleft()
            if len(runs) >= limit.calls:
                return max(0.0, limit.per_s - (now - runs[0]))
            runs.append(now)
            return None
