"""The review panel: approve as proposed, approve with edited arguments, or deny."""

from __future__ import annotations

import json

from desktop.review_panel import ReviewPanel

ITEM = {"id": "R1", "action_id": "A1", "reason": "autonomy level 0", "risk": "write",
        "call": {"tool": "notes_write", "arguments": {"title": "groceries"}}}


def test_approve_as_proposed_sends_no_edit(qtbot) -> None:
    panel = ReviewPanel()
    qtbot.addWidget(panel)
    panel.show_items([ITEM])
    assert "autonomy level 0" in panel.reason.text()
    with qtbot.wait_signal(panel.approve) as approved:
        panel.approve_button.click()
    assert approved.args == ["R1", ""]


def test_edited_arguments_go_with_the_approval(qtbot) -> None:
    panel = ReviewPanel()
    qtbot.addWidget(panel)
    panel.show_items([ITEM])
    panel.arguments.setPlainText(json.dumps({"title": "shopping"}))
    with qtbot.wait_signal(panel.approve) as approved:
        panel.approve_button.click()
    assert approved.args == ["R1", '{"title": "shopping"}']


def test_deny_and_an_empty_queue(qtbot) -> None:
    panel = ReviewPanel()
    qtbot.addWidget(panel)
    panel.show_items([ITEM])
    with qtbot.wait_signal(panel.deny) as denied:
        panel.deny_button.click()
    assert denied.args == ["R1"]
    panel.show_items([])
    assert panel.empty.isVisibleTo(panel) and not panel.approve_button.isEnabled()


def test_items_read_as_what_they_would_do_without_ids(qtbot) -> None:
    panel = ReviewPanel()
    qtbot.addWidget(panel)
    panel.show_items([{**ITEM, "intent": "Create the note **groceries**: milk and eggs \\(2\\)"}])
    assert panel.list.item(0).text() == "Create the note groceries: milk and eggs (2)"
    assert "R1" not in panel.list.item(0).text() and "R1" not in panel.intent.text()
