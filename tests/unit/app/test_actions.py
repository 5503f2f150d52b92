"""The one approve path, and the autonomy level set in one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.metrics import Metrics
from app.actions import Actions
from tests.tool_helpers import make_service


def test_approve_deny_undo_and_the_figures(tmp_path: Path) -> None:
    service = make_service(tmp_path, level=0)
    metrics = Metrics(tmp_path / "metrics.db")
    actions = Actions(service, metrics)
    from tools.gate import Origin, ToolCall

    first = service.call(ToolCall("file_write", {"path": "a.txt", "content": "1"}, Origin.USER))
    second = service.call(ToolCall("file_write", {"path": "b.txt", "content": "2"},
                                   Origin.USER))
    assert [i.id for i in actions.pending()] == [first.review_id, second.review_id]
    done = actions.approve(first.review_id)
    assert done.status == "done" and (tmp_path / "a.txt").read_text() == "1"
    assert actions.deny(second.review_id).status == "denied"
    undone = actions.undo(done.action_id.lower())
    assert undone.action_id == done.action_id and not (tmp_path / "a.txt").exists()
    assert not actions.undo_needs_memory(done.action_id)
    assert metrics.summary()["tool_calls"] == 1
    metrics.close()


def test_the_autonomy_level_is_set_once_for_gate_and_tools(tmp_path: Path) -> None:
    service = make_service(tmp_path, level=1)
    actions = Actions(service)
    actions.set_autonomy(3)
    assert actions.autonomy_level == 3 and service.gate.level == 3
    assert service.context("A1").autonomy_level == 3  # what web_fetch's redirects read
    with pytest.raises(ValueError, match="0, 1, 2 or 3"):
        actions.set_autonomy(4)
