"""Calendar events, tasks and reminders over CalDAV (services['caldav'])."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from tools.context import Outcome, ToolContext, UndoRecord
from tools.declare import tool
from tools.errors import NotUndoable, ToolError, ToolInputError
from tools.manifest import Permissions, RetryPolicy, Risk
from tools.productivity.caldav_service import (
    CalendarService,
    as_text,
    failure,
    in_words,
    new_uid,
    parse_when,
    plus,
)
from tools.undo import undoes

NET = Permissions(network=True)
RETRY = RetryPolicy(attempts=3)
CREATED = "deletes what it created"
CHANGED = "restores the item as it was"


def _service(ctx: ToolContext) -> CalendarService:
    return ctx.service("caldav")


def _call(what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        if isinstance(exc, ToolError):
            raise
        raise failure(exc, what) from None


def _summary(item: Any) -> dict[str, Any]:
    comp = item.icalendar_component
    out = {"uid": str(comp.get("uid", "")), "summary": str(comp.get("summary", ""))}
    for key, name in (("dtstart", "start"), ("dtend", "end"), ("due", "due"),
                      ("location", "location"), ("status", "status")):
        if comp.get(key) is not None:
            out[name] = as_text(comp.get(key))
    return out


def _find(ctx: ToolContext, key: str) -> Any:
    """The item whose uid is `key`, else the one open task or coming event whose summary
    `key` names ("call the plumber", "call_plumber"): models rarely carry uids over."""
    service = _service(ctx)
    try:
        return service.by_uid(key)
    except ToolInputError:
        pass
    wanted = _words(key)
    now = datetime.now().astimezone()
    calendar = service.calendar()
    items = [*_call("listing tasks", calendar.todos),
             *_call("searching the calendar", calendar.search, event=True,
                    start=now - timedelta(days=31), end=now + timedelta(days=366),
                    expand=False)]
    named = [i for i in items if (summary := _words(_summary(i)["summary"])) and wanted and
             (wanted <= summary or summary <= wanted)]
    if len(named) != 1:
        raise ToolInputError(f"there is no calendar item with uid {key!r}" +
                             (" (several match its name)" if named else ""))
    return named[0]


def _moment(when: datetime | date, end_of_day: bool = False) -> datetime:
    """A time to search from or to: a day alone means its start, or as an end its end
    (the day is included)."""
    if isinstance(when, datetime):
        return when
    day = when + timedelta(days=1) if end_of_day else when
    return datetime.combine(day, datetime.min.time()).astimezone()


def _words(text: str) -> set[str]:
    return set(text.replace("_", " ").casefold().split()) - {"the", "a", "an", "my", "to"}


def _created(item_uid: str, result: dict[str, Any], what: str) -> Outcome:
    return Outcome(result, UndoRecord("caldav.delete", {"uid": item_uid}), what)


def _changed(item: Any) -> UndoRecord:
    return UndoRecord("caldav.restore", {"uid": str(item.icalendar_component["uid"])},
                      item.data.encode())


@tool("productivity", Risk.READ, permissions=NET, retry=RETRY, untrusted_output=True)
def calendar_events(ctx: ToolContext, start: str = "", end: str = "",
                    max_results: int = 50) -> list[dict[str, Any]]:
    """List calendar events between two times (default: the next 7 days).

    Args:
        start: ISO 8601 date or time, e.g. 2026-12-01 or 2026-12-01T09:00.
        end: ISO 8601 date or time; default a week after start.
        max_results: list at most this many.
    """
    begin = _moment(parse_when(start, "start")) if start else datetime.now().astimezone()
    finish = _moment(parse_when(end, "end"), end_of_day=True) if end \
        else begin + timedelta(days=7)
    if finish <= begin:  # "from tomorrow to tomorrow": that day
        finish = begin + timedelta(days=1)
    found = _call("searching the calendar", _service(ctx).calendar().search, event=True,
                  start=begin, end=finish, expand=False)
    events = sorted((_summary(e) for e in found), key=lambda e: e.get("start", ""))
    return events[:max_results]


@tool("productivity", Risk.WRITE, permissions=NET, undo=CREATED)
def calendar_add(ctx: ToolContext, summary: str, start: str, end: str = "",
                 location: str = "", description: str = "") -> Outcome:
    """Add an event to the calendar.

    Args:
        summary: what it is, e.g. 'Dentist'.
        start: ISO 8601 time (or a date for an all-day event).
        end: ISO 8601 time; default one hour after start.
        location: where.
        description: more detail.
    """
    begin = parse_when(start, "start")
    finish = parse_when(end, "end") if end else plus(begin, 1)
    uid, fields = new_uid(), {"location": location, "description": description}
    _call("adding the event", _service(ctx).calendar().add_event, uid=uid, summary=summary,
          dtstart=begin, dtend=finish, **{k: v for k, v in fields.items() if v})
    return _created(uid, {"uid": uid, "summary": summary, "start": as_text(begin),
                          "end": as_text(finish)},
                    f"added {summary} to the calendar on {in_words(begin)}")


@tool("productivity", Risk.WRITE, permissions=NET, undo=CHANGED)
def calendar_change(ctx: ToolContext, uid: str, summary: str = "", start: str = "",
                    end: str = "", location: str = "") -> Outcome:
    """Change an event's summary, time or place; empty arguments stay as they are.

    Args:
        uid: the event's uid (from calendar_events), or its summary.
        summary: the new summary.
        start: the new start (ISO 8601).
        end: the new end (ISO 8601).
        location: the new place.
    """
    event = _find(ctx, uid)
    undo = _changed(event)
    comp = event.icalendar_component
    for key, value in (("summary", summary), ("location", location)):
        if value:
            comp.pop(key, None)
            comp.add(key, value)
    for key, value in _moved(comp, start, end).items():
        comp.pop(key, None)
        comp.add(key, value)
    _call("saving the event", event.save)
    now = _summary(event)
    when = comp.get("dtstart")
    return Outcome(now, undo, f"changed {now['summary']}" +
                   (f": it is now on {in_words(when.dt)}" if when is not None else ""))


def _moved(comp: Any, start: str, end: str) -> dict[str, datetime | date]:
    """An event's new start and end. A day alone keeps the event's time of day ("move it
    to Friday"), and a new start alone keeps its length."""
    old_start = getattr(comp.get("dtstart"), "dt", None)
    old_end = getattr(comp.get("dtend"), "dt", None)
    moved: dict[str, datetime | date] = {}
    if start:
        new = parse_when(start, "start")
        if not isinstance(new, datetime) and isinstance(old_start, datetime):
            new = datetime.combine(new, old_start.timetz())
        moved["dtstart"] = new
        if not end and old_start is not None and old_end is not None and \
                isinstance(new, datetime) == isinstance(old_start, datetime):
            moved["dtend"] = new + (old_end - old_start)
    if end:
        new_end = parse_when(end, "end")
        start_now = moved.get("dtstart", old_start)
        if not isinstance(new_end, datetime) and isinstance(start_now, datetime):
            # a day alone as the end of a timed event: its time of day, or its length
            length = (old_end - old_start) if isinstance(old_end, datetime) and \
                isinstance(old_start, datetime) else timedelta(hours=1)
            new_end = start_now + length if new_end == start_now.date() else \
                datetime.combine(new_end, (old_end or start_now).timetz())
        moved["dtend"] = new_end
    return moved


@tool("productivity", Risk.WRITE, permissions=NET, undo=CHANGED)
def calendar_remove(ctx: ToolContext, uid: str) -> Outcome:
    """Remove an event or task from the calendar (undo puts it back).

    Args:
        uid: its uid, or its summary.
    """
    item = _find(ctx, uid)
    undo = _changed(item)
    what = _summary(item)["summary"] or uid
    _call("removing the item", item.delete)
    return Outcome({"removed": uid}, undo, f"removed {what} from the calendar")


@tool("productivity", Risk.READ, permissions=NET, retry=RETRY, untrusted_output=True)
def tasks_list(ctx: ToolContext, include_done: bool = False) -> list[dict[str, Any]]:
    """List tasks (to-dos), open ones unless asked for all.

    Args:
        include_done: also list completed tasks.
    """
    todos = _call("listing tasks", _service(ctx).calendar().todos,
                  include_completed=include_done)
    return [_summary(t) for t in todos if "REMINDER" not in _categories(t)]


@tool("productivity", Risk.WRITE, permissions=NET, undo=CREATED)
def tasks_add(ctx: ToolContext, summary: str, due: str = "", notes: str = "") -> Outcome:
    """Add a task (a to-do).

    Args:
        summary: what to do.
        due: when it is due (ISO 8601), if it is.
        notes: more detail.
    """
    uid, extra = new_uid(), {}
    if due:
        extra["due"] = parse_when(due, "due")
    if notes:
        extra["description"] = notes
    _call("adding the task", _service(ctx).calendar().add_todo, uid=uid, summary=summary,
          **extra)
    return _created(uid, {"uid": uid, "summary": summary, "due": due},
                    f"added the task {summary}" +
                    (f", due {in_words(extra['due'])}" if due else ""))


@tool("productivity", Risk.WRITE, permissions=NET, undo=CHANGED)
def tasks_done(ctx: ToolContext, uid: str) -> Outcome:
    """Mark a task (or reminder) completed.

    Args:
        uid: the task's uid (from tasks_list), or its summary.
    """
    todo = _find(ctx, uid)
    undo = _changed(todo)
    _call("completing the task", todo.complete)
    what = _summary(todo)["summary"] or uid
    return Outcome({"completed": uid}, undo, f"marked {what} as done")


@tool("productivity", Risk.WRITE, permissions=NET, undo=CREATED)
def reminders_add(ctx: ToolContext, text: str, at: str) -> Outcome:
    """Set a reminder: Famulus notifies you at that time.

    Args:
        text: what to remind you of.
        at: when (ISO 8601 time).
    """
    when = parse_when(at, "at")
    uid = new_uid()
    from icalendar import Alarm

    todo = _call("adding the reminder", _service(ctx).calendar().add_todo, uid=uid,
                 summary=text, due=when, categories=["REMINDER"])
    comp = todo.icalendar_component
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", timedelta(0), parameters={"RELATED": "END"})
    comp.add_component(alarm)
    _call("saving the reminder", todo.save)
    return _created(uid, {"uid": uid, "text": text, "at": as_text(when)},
                    f"I will remind you: {text}, on {in_words(when)}")


@tool("productivity", Risk.READ, permissions=NET, retry=RETRY)
def reminders_due(ctx: ToolContext, within_minutes: int = 60) -> list[dict[str, Any]]:
    """Reminders that are due now or within the next minutes, not yet done.

    Args:
        within_minutes: how far ahead to look.
    """
    horizon = datetime.now().astimezone() + timedelta(minutes=within_minutes)
    due = []
    for todo in _call("listing reminders", _service(ctx).calendar().todos):
        comp = todo.icalendar_component
        when = getattr(comp.get("due"), "dt", None)
        if "REMINDER" in _categories(todo) and isinstance(when, datetime) and \
                when.astimezone() <= horizon:
            due.append(_summary(todo))
    return sorted(due, key=lambda r: r.get("due", ""))


def _categories(item: Any) -> set[str]:
    cats = item.icalendar_component.get("categories")
    if cats is None:
        return set()
    values = cats if isinstance(cats, list) else [cats]
    return {str(c).upper() for v in values for c in getattr(v, "cats", [v])}


@undoes("caldav.delete")
def delete_created(ctx: ToolContext, data: dict[str, Any], blob: bytes | None) -> str:
    service = _service(ctx)
    if not service.exists(data["uid"]):
        raise NotUndoable(f"{data['uid']} is no longer in the calendar")
    _call("deleting", service.by_uid(data["uid"]).delete)
    return f"deleted {data['uid']} from the calendar"


@undoes("caldav.restore")
def restore_item(ctx: ToolContext, data: dict[str, Any], blob: bytes | None) -> str:
    service, ical = _service(ctx), (blob or b"").decode()
    if service.exists(data["uid"]):
        item = service.by_uid(data["uid"])
        item.data = ical
        _call("restoring", item.save)
    else:
        calendar = service.calendar()
        add = calendar.add_todo if "BEGIN:VTODO" in ical else calendar.add_event
        _call("restoring", add, ical=ical)
    return f"restored {data['uid']} as it was"


TOOLS = [calendar_events, calendar_add, calendar_change, calendar_remove, tasks_list,
         tasks_add, tasks_done, reminders_add, reminders_due]
