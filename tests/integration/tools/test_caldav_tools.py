"""Calendar, tasks and reminders against a real Radicale server and in the local calendar
folder (no server), with every undo."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.integration.tools.servers import free_port
from tests.tool_helpers import make_service
from tools.gate import ToolCall
from tools.productivity.caldav_service import CalendarService
from tools.productivity.local_calendar import LocalCalendarService

pytestmark = pytest.mark.slow


@pytest.fixture(params=["radicale", "local"])
def service(tmp_path: Path, request: pytest.FixtureRequest):
    if request.param == "local":
        calendar = LocalCalendarService(tmp_path / "calendar")
    else:
        calendar = CalendarService(request.getfixturevalue("radicale"), "famulus", "",
                                   f"cal-{request.node.name[:40]}")
    return make_service(tmp_path, level=1, services={"caldav": calendar})


def run(service, tool: str, **arguments: object):
    result = service.call(ToolCall(tool, arguments))
    assert result.status == "done", result.error
    return result


def test_events_add_change_remove_and_undo_each(service) -> None:
    added = run(service, "calendar_add", summary="Dentist", start="2026-12-01T10:00:00+00:00",
                location="Main St")
    uid = added.result["uid"]
    listed = run(service, "calendar_events", start="2026-11-30", end="2026-12-03").result
    assert [(e["summary"], e["location"]) for e in listed] == [("Dentist", "Main St")]
    assert listed[0]["end"].startswith("2026-12-01T11:00")
    # a day as the end includes that day, as people mean "from Tuesday to Tuesday"
    assert len(run(service, "calendar_events", start="2026-12-01", end="2026-12-01").result) == 1

    changed = run(service, "calendar_change", uid=uid, summary="Dentist (moved)",
                  start="2026-12-02T15:00:00+00:00", end="2026-12-02T16:00:00+00:00")
    assert run(service, "calendar_events", start="2026-12-02",
               end="2026-12-03").result[0]["summary"] == "Dentist (moved)"
    service.undo(changed.action_id)
    back = run(service, "calendar_events", start="2026-11-30", end="2026-12-03").result
    assert [(e["summary"], e["start"][:16]) for e in back] == [("Dentist", "2026-12-01T10:00")]

    removed = run(service, "calendar_remove", uid=uid)
    assert run(service, "calendar_events", start="2026-11-30", end="2026-12-03").result == []
    service.undo(removed.action_id)
    assert len(run(service, "calendar_events", start="2026-11-30", end="2026-12-03").result) == 1

    service.undo(added.action_id)  # a created event is deleted
    assert run(service, "calendar_events", start="2026-11-30", end="2026-12-03").result == []


def test_tasks_and_reminders(service) -> None:
    task = run(service, "tasks_add", summary="Renew passport", due="2026-12-20")
    uid = task.result["uid"]
    assert [t["summary"] for t in run(service, "tasks_list").result] == ["Renew passport"]
    done = run(service, "tasks_done", uid=uid)
    assert run(service, "tasks_list").result == []
    service.undo(done.action_id)
    assert [t["uid"] for t in run(service, "tasks_list").result] == [uid]
    service.undo(task.action_id)
    assert run(service, "tasks_list").result == []

    soon = (datetime.now().astimezone() + timedelta(minutes=10)).isoformat()
    later = (datetime.now().astimezone() + timedelta(days=3)).isoformat()
    reminder = run(service, "reminders_add", text="Call mum", at=soon)
    run(service, "reminders_add", text="Pay rent", at=later)
    due = run(service, "reminders_due", within_minutes=60).result
    assert [r["summary"] for r in due] == ["Call mum"]
    assert run(service, "tasks_list").result == []  # reminders are not listed as tasks
    service.undo(reminder.action_id)
    assert run(service, "reminders_due", within_minutes=60).result == []


def test_bad_input_and_unreachable_server(service, tmp_path: Path) -> None:
    bad = service.call(ToolCall("calendar_add", {"summary": "x", "start": "next tuesday"}))
    assert bad.status == "failed" and "ISO 8601" in bad.error
    missing = service.call(ToolCall("calendar_change", {"uid": "nope", "summary": "x"}))
    assert "no calendar item with uid 'nope'" in missing.error
    if isinstance(service.services["caldav"], LocalCalendarService):
        return
    down = make_service(tmp_path, services={"caldav": CalendarService(
        f"http://127.0.0.1:{free_port()}/", timeout_s=2)})
    result = down.call(ToolCall("calendar_events", {}))
    assert result.status == "failed" and "CalDAV server" in result.error


def test_local_calendar_files_survive_a_damaged_neighbour(tmp_path: Path) -> None:
    """The local calendar is one .ics file per item; a damaged file is skipped, not fatal."""
    folder = tmp_path / "calendar"
    service = make_service(tmp_path, level=1,
                           services={"caldav": LocalCalendarService(folder)})
    run(service, "tasks_add", summary="Call the dentist", due="2026-12-03T10:00")
    (folder / "broken.ics").write_text("BEGIN:VCALENDAR\nthis is not iCalendar")
    assert [t["summary"] for t in run(service, "tasks_list").result] == ["Call the dentist"]
    assert len(list(folder.glob("*.ics"))) == 2


def test_an_item_is_found_by_its_summary_when_the_model_has_no_uid(service) -> None:
    run(service, "tasks_add", summary="Call the plumber")
    run(service, "tasks_add", summary="Renew passport")
    done = run(service, "tasks_done", uid="call_plumber")
    assert done.summary == "marked Call the plumber as done"
    assert [t["summary"] for t in run(service, "tasks_list").result] == ["Renew passport"]
    missing = service.call(ToolCall("tasks_done", {"uid": "walk the dog"}))
    assert missing.status == "failed" and "no calendar item" in missing.error


def test_moving_an_event_to_a_day_keeps_its_time_and_length(service) -> None:
    added = run(service, "calendar_add", summary="Dentist", start="2026-12-01T09:00:00+00:00",
                end="2026-12-01T09:45:00+00:00")
    run(service, "calendar_change", uid="Dentist", start="2026-12-04", end="2026-12-04")
    moved = run(service, "calendar_events", start="2026-12-04", end="2026-12-04").result
    assert [(e["start"][:16], e["end"][:16]) for e in moved] == \
        [("2026-12-04T09:00", "2026-12-04T09:45")]
    run(service, "calendar_change", uid=added.result["uid"], start="2026-12-05T15:00:00+00:00")
    later = run(service, "calendar_events", start="2026-12-05", end="2026-12-05").result
    assert later[0]["end"][:16] == "2026-12-05T15:45"  # a new start alone keeps the length
