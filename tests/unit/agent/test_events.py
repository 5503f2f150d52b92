"""Every event knows its type once, becomes a dict for the API's edge and comes back the
same from it."""

from __future__ import annotations

import pytest

from agent.events import (
    AgentEvent,
    AnswerReset,
    Cancelled,
    ErrorEvent,
    Heard,
    MemorySaved,
    Notification,
    PlanMade,
    Token,
    ToolAwaitingApproval,
    ToolDone,
    ToolFailed,
    ToolProposed,
    ToolUndone,
    TurnFinished,
    action_event,
)
from tools.service import ActionResult

EVENTS = [Token("Hi"), Heard("what time is it"), Heard(""), AnswerReset("local", "cloud", "x"),
          PlanMade(["read", "write"]), ToolProposed("notes_write", {"title": "groceries"}),
          ToolAwaitingApproval("A1", "R1", "notes_write", "level 0"),
          ToolDone("A1", "notes_write", {"ok": True}, True),
          ToolFailed("A2", "file_read", "no such file", False), ToolUndone("A1", "deleted"),
          MemorySaved("e1", "Ann lives in Oslo"), Notification("Reminder", "Call", "reminder",
                                                               "review"),
          ErrorEvent("the model failed"), Cancelled(),
          TurnFinished("Hi", "default", {"total_s": 0.1}, "local", "light", 30.0, 1, ["e1"])]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.type)
def test_events_round_trip_through_their_dicts(event: AgentEvent) -> None:
    data = event.to_dict()
    assert data["type"] == event.type
    assert AgentEvent.from_dict(data) == event


def test_types_are_the_documented_names() -> None:
    assert [e.type for e in (ErrorEvent("x"), Cancelled(), Heard("x"), TurnFinished("", ""))] \
        == ["error", "cancelled", "heard", "turn_finished"]


def test_an_unknown_type_is_refused() -> None:
    with pytest.raises(ValueError, match="not an agent event"):
        AgentEvent.from_dict({"type": "telepathy"})


def test_an_action_becomes_its_event() -> None:
    done = ActionResult("A1", "notes_write", "done", {}, result={"ok": 1}, undoable=True)
    waiting = ActionResult("A2", "email_send", "review", {"reason": "external"},
                           review_id="R1")
    refused = ActionResult("A3", "file_read", "refused", {}, error="outside")
    assert action_event(done) == ToolDone("A1", "notes_write", {"ok": 1}, True)
    assert action_event(waiting) == ToolAwaitingApproval("A2", "R1", "email_send",
                                                         "external")
    assert action_event(refused) == ToolFailed("A3", "file_read", "outside", True)
    unset = ActionResult("A4", "email_read", "failed", {}, error="needs IMAP",
                         extra={"set_up": "tools.imap"})
    assert action_event(unset).set_up == "tools.imap"
