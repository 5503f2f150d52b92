"""The routine of an agent that stays up: each alert told once, with its next step; a
reflection's news told, a fresh install's empty catch-up not."""

from __future__ import annotations

from pathlib import Path

from agent.events import Notification
from agent.loop import Agent
from agent.metrics import Metrics
from agent.reflection.daily import ReflectionReport
from agent.reflection.routine import Routine
from agent.reflection.scheduler import Schedule
from tests.fakes import ScriptedModel


class Reflector:
    def __init__(self, reports: list[ReflectionReport]) -> None:
        self.reports = reports

    def run(self, job: str) -> list[ReflectionReport]:
        return self.reports


def routine(tmp_path: Path, reports: list[ReflectionReport]) -> tuple[Routine, list]:
    told: list[Notification] = []
    metrics = Metrics(tmp_path / "metrics.db")
    return Routine(Agent(ScriptedModel([])), Reflector(reports),  # type: ignore[arg-type]
                   Schedule(tmp_path / "schedule.json"), told.append,
                   metrics=metrics), told


def test_an_alert_is_told_once_with_its_next_step(tmp_path: Path) -> None:
    done, told = routine(tmp_path, [])
    done.metrics.set_state("memory_check", "drift {'episodes': 1}")
    done.look_around()
    done.look_around()
    assert [(n.kind, n.next_step) for n in told] == [("alert", "check_memory")]
    assert "famulus" not in told[0].text
    done.metrics.close()


def test_news_is_told_and_an_empty_catch_up_is_not(tmp_path: Path) -> None:
    learned = ReflectionReport("daily", "2026-12-01", facts=[{"subject": "Ann"}])
    empty = ReflectionReport("weekly", "2026-12-01", summary="No open goals.")
    done, told = routine(tmp_path, [learned, empty])
    done.run_job("daily")
    assert [n.text for n in told] == ["1 facts learned"]
    done.metrics.close()
