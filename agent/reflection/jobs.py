"""The reflection jobs and proactive nudges, over one process's memory, model and tools."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from agent.errors import NextStep
from agent.events import Notification
from agent.reflection import goals
from agent.reflection.daily import ReflectionReport, daily_review
from memory import hygiene

log = logging.getLogger(__name__)
CATCH_UP_DAYS = 7
PROACTIVITY = {"off": 0, "low": 1, "normal": 2, "high": 3}


class Reflector:
    """Runs the daily review, weekly planning and monthly assessment."""

    def __init__(self, memory: Any, router: Any, *, metrics: Any = None, tools: Any = None,
                 retention_days: int = 90, last_run: Callable[[str], float | None] =
                 lambda job: None, notify: Callable[[Notification], None] = lambda n: None,
                 weights: tuple[float, float, float] = goals.WEIGHTS) -> None:
        self.memory, self.router, self.metrics, self.tools = memory, router, metrics, tools
        self.retention_days, self.last_run, self.notify = retention_days, last_run, notify
        self.weights = weights

    def run(self, job: str, day: date | None = None) -> list[ReflectionReport]:
        if job == "daily":
            return self.daily(day)
        if job == "weekly":
            return [self.weekly()]
        if job == "monthly":
            return [self.monthly()]
        raise ValueError(f"unknown reflection job {job!r}: daily, weekly or monthly")

    def days_to_review(self) -> list[date]:
        """Yesterday, and the days before it since the last run (at most a week)."""
        today = datetime.now().date()
        last = self.last_run("daily")
        first = datetime.fromtimestamp(last).date() if last else today - timedelta(days=1)
        first = max(first, today - timedelta(days=CATCH_UP_DAYS))
        return [first + timedelta(days=n) for n in range((today - first).days)] or \
            [today - timedelta(days=1)]

    def daily(self, day: date | None = None) -> list[ReflectionReport]:
        reports = [daily_review(self.memory, self.router, datetime.combine(d, datetime.min
                                                                           .time()))
                   for d in ([day] if day else self.days_to_review())]
        kept = hygiene.apply_retention(self.memory, self.retention_days,
                                       int(time.time() * 1000))
        if kept["forgotten"]:
            reports[-1].notes.append(f"retention forgot {kept['forgotten']} old episodes")
        return reports

    def weekly(self) -> ReflectionReport:
        """Plan the week: goals ranked by the map's weights, those slipping, open tasks."""
        report = ReflectionReport("weekly", datetime.now().date().isoformat())
        top = goals.ranked(self.memory, weights=self.weights)[:5]
        lines = [f"{n}. {g.title} (score {s:.2f}{', due ' + g.due if g.due else ''})"
                 for n, (g, s) in enumerate(top, 1)]
        for goal in goals.slipping(self.memory):
            self.notify(Notification("A goal is due soon", f"{goal.title} is due {goal.due}",
                                     "goal"))
        tasks = self._open_tasks()
        report.summary = ("Goals for this week:\n" + "\n".join(lines) if lines else
                          "No open goals.") + (f"\nOpen tasks: {len(tasks)}" if tasks else "")
        report.notes.append(f"{len(top)} goals ranked, {len(tasks)} open tasks")
        self.memory.add_episode(report.summary, speaker="famulus", channel="reflection",
                                thread=f"weekly-{report.period}",
                                metadata={"kind": "weekly_plan"})
        return report

    def _open_tasks(self) -> list[Any]:
        """Open tasks, read through the gate (never at level 0, where the read itself
        would wait in the review queue for something the person never asked for)."""
        if self.tools is None or "caldav" not in self.tools.services or \
                self.tools.gate.level == 0:
            return []
        from tools.gate import Origin, ToolCall

        result = self.tools.call(ToolCall("tasks_list", {}, Origin.AGENT))
        return result.result if result.status == "done" else []

    def monthly(self) -> ReflectionReport:
        """Check memory against its log, look for contradicted facts, record the figures."""
        report = ReflectionReport("monthly", datetime.now().date().isoformat())
        try:
            checked = hygiene.check(self.memory)
            status = "ok" if checked["ok"] else f"drift {checked['drift']}"
            report.notes.append(f"{len(checked['contradictions'])} contradicted facts")
        except Exception as exc:  # a damaged store is reported, never hidden
            status = f"{type(exc).__name__}: {exc}"
        if self.metrics is not None:
            self.metrics.set_state("memory_check", status)
            summary = self.metrics.summary()
            report.summary = (f"This month: {summary['turns']} turns, median response "
                              f"{summary['response_time_s']['p50']} s, tool success "
                              f"{summary['tool_success_rate']}; memory check: {status}")
        if status != "ok":
            self.notify(Notification("Memory needs attention", status, "alert",
                                     NextStep.CHECK_MEMORY.value))
        report.notes.append(f"memory check: {status}")
        return report


def nudges(memory: Any, tools: Any, proactivity: str, seen: set[str]) -> list[Notification]:
    """What to tell the person unasked, as often as the proactivity setting allows: due
    reminders and overdue goals (low), reviews waiting and goals due soon (normal); `seen`
    keeps each from repeating."""
    level = PROACTIVITY.get(proactivity, 2)
    found: list[tuple[str, Notification]] = []
    if level >= 1 and memory is not None:
        for goal in goals.slipping(memory, days=0 if level < 2 else 2):
            found.append((f"goal:{goal.id}:{goal.due}", Notification(
                "A goal is due", f"{goal.title} (due {goal.due})", "goal")))
    if level >= 1 and tools is not None:
        found += [(f"reminder:{r['uid']}", Notification("Reminder", r["summary"], "reminder"))
                  for r in _due_reminders(tools)]
    if level >= 2 and tools is not None:
        found += [(f"review:{i.id}", Notification(
            "An action waits for your approval", f"{i.tool_call.tool}: {i.reason}",
            "review", NextStep.REVIEW.value)) for i in tools.pending()]
    fresh = []
    for key, notification in found:
        if key not in seen:
            seen.add(key)
            fresh.append(notification)
    return fresh


def _due_reminders(tools: Any) -> list[dict[str, Any]]:
    """Reminders due within five minutes, read through the gate (never at level 0, where
    the read itself would wait for approval)."""
    if "caldav" not in tools.services or tools.gate.level == 0:
        return []
    from tools.gate import Origin, ToolCall

    result = tools.call(ToolCall("reminders_due", {"within_minutes": 5}, Origin.AGENT))
    return result.result if result.status == "done" else []
