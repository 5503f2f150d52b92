"""The app's facade: an action approved outside a turn counts in the tool success figure,
as one run inside a turn does; turns stream typed events, on an event loop too."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from agent.events import TurnFinished
from agent.loop import Agent
from agent.metrics import Metrics
from app.actions import Actions
from app.famulus import Famulus
from tests.fakes import ScriptedModel
from tools.service import ActionResult


class Tools:
    """Approves by returning the outcome it was given."""

    def __init__(self, outcome: ActionResult) -> None:
        self.outcome = outcome

    def approve(self, review_id: str, arguments: Any = None, note: str = "") -> ActionResult:
        return self.outcome


def test_approved_outcomes_count_in_the_tool_success_rate(tmp_path: Path) -> None:
    metrics = Metrics(tmp_path / "metrics.db")
    done = ActionResult("A1", "notes_write", "done", {}, result={"ok": True})
    failed = ActionResult("A2", "notes_write", "failed", {}, error="disk full")
    agent = Agent(ScriptedModel([]))
    for outcome in (done, failed, done, done):
        famulus = Famulus(agent, metrics, actions=Actions(Tools(outcome), metrics))  # type: ignore[arg-type]
        assert famulus.approve("R1") is outcome
    summary = metrics.summary()
    assert summary["tool_calls"] == 4 and summary["tool_success_rate"] == 0.75
    metrics.close()


def test_async_stream_and_observers() -> None:
    seen: list[str] = []
    famulus = Famulus(Agent(ScriptedModel(["Hi there."])))
    famulus.agent.observers.append(lambda e: seen.append(e.type))

    async def collect() -> list:
        return [e async for e in famulus.stream("hello")]

    events = asyncio.run(collect())
    assert isinstance(events[-1], TurnFinished) and seen[-1] == "turn_finished"
    assert events[-1].to_dict()["type"] == "turn_finished"
