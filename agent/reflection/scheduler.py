"""When reflection runs: daily, weekly and monthly jobs, caught up at start, preferring idle
time. The last run of each job is kept in `<data>/schedule.json`."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
PERIODS = {"daily": 86_400.0, "weekly": 7 * 86_400.0, "monthly": 30 * 86_400.0}


class Schedule:
    """The last run of each job, and which are due."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path, self.clock = path, clock

    def _load(self) -> dict[str, float]:
        try:
            data = json.loads(self.path.read_text())
            return {k: float(v) for k, v in data.items() if k in PERIODS}
        except (OSError, ValueError, AttributeError):
            return {}

    def last(self, job: str) -> float | None:
        return self._load().get(job)

    def mark(self, job: str, when: float | None = None) -> None:
        data = self._load()
        data[job] = when if when is not None else self.clock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2))
        tmp.replace(self.path)

    def due(self) -> list[str]:
        """Jobs never run or whose period has passed since their last run (a missed run
        is run once, not once per missed period)."""
        now, data = self.clock(), self._load()
        return [job for job, period in PERIODS.items()
                if job not in data or now - data[job] >= period]

    def overdue(self, job: str) -> bool:
        """Past twice its period: it runs even when the person is busy."""
        last = self.last(job)
        return last is None or self.clock() - last >= 2 * PERIODS[job]


class Background:
    """A thread that runs due jobs when the agent is idle; `stop` ends it."""

    def __init__(self, schedule: Schedule, run_job: Callable[[str], object],
                 idle: Callable[[], bool], every_s: float = 60.0,
                 extra: Callable[[], object] | None = None) -> None:
        self.schedule, self.run_job, self.idle = schedule, run_job, idle
        self.every_s, self.extra = every_s, extra
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="famulus-scheduler",
                                       daemon=True)

    def start(self) -> Background:
        self.thread.start()
        return self

    def tick(self, starting: bool = False) -> list[str]:
        """Run what is due now; returns the jobs run. At start, missed runs catch up at
        once; later, a due job waits for idle time unless it is overdue."""
        ran = []
        for job in self.schedule.due():
            if starting or self.idle() or self.schedule.overdue(job):
                try:
                    self.run_job(job)
                    self.schedule.mark(job)
                    ran.append(job)
                except Exception:  # a failed reflection is logged and tried next period
                    log.exception("reflection job %s failed", job)
                    self.schedule.mark(job)
        if self.extra is not None:
            self.extra()
        return ran

    def _loop(self) -> None:
        starting = True
        while not self._stop.is_set():
            self.tick(starting)
            starting = False
            self._stop.wait(self.every_s)

    def stop(self, timeout: float = 60.0) -> None:
        """End the thread, letting a job in progress finish (it may be using the memory
        that is about to close)."""
        self._stop.set()
        if self.thread.is_alive() and self.thread is not threading.current_thread():
            self.thread.join(timeout)
