"""The routine of an agent that stays up (whichever front end keeps it running):
reflection when it is due and the person is idle, nudges as often as the proactivity
setting allows, and alerts from the metrics, each told once through `notify`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.events import Notification
from agent.loop import Agent
from agent.metrics import Metrics
from agent.reflection.daily import ReflectionReport
from agent.reflection.jobs import Reflector, nudges
from agent.reflection.scheduler import Background, Schedule

Notify = Callable[[Notification], None]


def worth_telling(report: ReflectionReport) -> str:
    """What a finished reflection has to tell, or "" when nothing (a fresh install's
    catch-up runs find no goals and no turns: no notification for that)."""
    if report.facts:
        return f"{len(report.facts)} facts learned"
    first = (report.summary or "").splitlines()[0] if report.summary else ""
    if not first or first.startswith("No open goals") or first.startswith("This month: 0 "):
        return ""
    return first


class Routine:
    """The background thread's work for one agent; `start` runs it, `stop` ends it."""

    def __init__(self, agent: Agent, reflector: Reflector | None, schedule: Schedule,
                 notify: Notify, *, memory: Any = None, tools: Any = None,
                 metrics: Metrics | None = None, proactivity: str = "normal",
                 idle_s: float = 300.0) -> None:
        self.agent, self.reflector, self.schedule = agent, reflector, schedule
        self.notify, self.memory, self.tools, self.metrics = notify, memory, tools, metrics
        self.proactivity, self.idle_s = proactivity, idle_s
        self.seen: set[str] = set()  # what was told already
        self.background: Background | None = None

    def start(self) -> Routine:
        if self.metrics is not None:
            self.metrics.set_state("running", "yes")
        self.background = Background(self.schedule, self.run_job,
                                     lambda: self.agent.idle_for() >= self.idle_s,
                                     extra=self.look_around).start()
        return self

    def stop(self) -> None:
        """End the thread, letting a job in progress finish (it may be using the memory
        that is about to close)."""
        if self.background is not None:
            self.background.stop()
            self.background = None
            if self.metrics is not None:
                self.metrics.set_state("running", "no")

    def run_job(self, job: str) -> None:
        """One reflection job, between turns; its news told."""
        with self.agent.turn_lock:
            reports = self.reflector.run(job) if self.reflector else []
        for report in reports:
            text = worth_telling(report)
            if text:
                self.notify(Notification(f"{report.job.capitalize()} reflection done", text,
                                         "reflection"))

    def look_around(self) -> None:
        """Nudges, the heartbeat and alerts: each new one told once."""
        with self.agent.turn_lock:
            found = nudges(self.memory, self.tools, self.proactivity, self.seen)
        if self.metrics is not None:
            self.metrics.heartbeat()
            for alert in self.metrics.alerts():  # also logged as warnings
                key = f"alert:{alert['kind']}"
                if key not in self.seen:
                    self.seen.add(key)
                    found.append(Notification("Famulus needs attention", alert["text"],
                                              "alert", alert.get("next_step", "")))
        for n in found:
            self.notify(n)
