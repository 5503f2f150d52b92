"""AgentParts.approve: an action approved outside a turn counts in the tool success
figure, as one run inside a turn does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.assembly import AgentParts
from agent.metrics import Metrics
from tools.service import ActionResult


class Tools:
    """Approves by returning the outcome it was given."""

    def __init__(self, outcome: ActionResult) -> None:
        self.outcome = outcome

    def approve(self, review_id: str, arguments: Any = None) -> ActionResult:
        return self.outcome


def test_approved_outcomes_count_in_the_tool_success_rate(tmp_path: Path) -> None:
    metrics = Metrics(tmp_path / "metrics.db")
    done = ActionResult("A1", "notes_write", "done", {}, result={"ok": True})
    failed = ActionResult("A2", "notes_write", "failed", {}, error="disk full")
    for outcome in (done, failed, done, done):
        assert AgentParts(agent=None, tools=Tools(outcome), metrics=metrics  # type: ignore
                          ).approve("R1") is outcome
    summary = metrics.summary()
    assert summary["tool_calls"] == 4 and summary["tool_success_rate"] == 0.75
    metrics.close()
