"""A calendar kept on this machine, for people without a CalDAV server: one iCalendar file
per event, task or reminder in a folder (other calendar apps can import them). It offers
the part of the `caldav` library's calendar that the calendar tools use, so the tools work
the same over either."""

from __future__ import annotations

import os
import re
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event, Todo

from tools.errors import ToolFailed, ToolInputError
from tools.productivity.caldav_service import has_item

_SAFE = re.compile(r"[^A-Za-z0-9@._-]")


class LocalItem:
    """One event or task, stored in `path`; `icalendar_component` is edited in place and
    written by `save`."""

    def __init__(self, path: Path, calendar: Calendar) -> None:
        self.path, self._calendar = path, calendar

    @property
    def icalendar_component(self) -> Any:
        return next(c for c in self._calendar.subcomponents if c.name in ("VEVENT", "VTODO"))

    @property
    def data(self) -> str:
        return self._calendar.to_ical().decode()

    @data.setter
    def data(self, text: str) -> None:
        self._calendar = _parse(text)

    def save(self) -> LocalItem:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(self._calendar.to_ical())
        os.replace(tmp, self.path)  # a crash never leaves half a file
        return self

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)

    def complete(self) -> None:
        comp = self.icalendar_component
        for key in ("status", "completed"):
            comp.pop(key, None)
        comp.add("status", "COMPLETED")
        comp.add("completed", datetime.now().astimezone())
        self.save()


def _parse(text: str | bytes) -> Calendar:
    try:
        return Calendar.from_ical(text)
    except ValueError as exc:
        raise ToolFailed(f"a calendar file could not be read: {exc}") from None


class LocalCalendar:
    """The folder of iCalendar files, read as a calendar."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _items(self) -> list[LocalItem]:
        items = []
        for path in sorted(self.folder.glob("*.ics")):
            try:
                items.append(LocalItem(path, _parse(path.read_bytes())))
            except (ToolFailed, OSError):
                continue  # one damaged file does not hide the others
        return items

    def _new(self, component: Any) -> LocalItem:
        cal = Calendar()
        cal.add("prodid", "-//Famulus//local calendar//EN")
        cal.add("version", "2.0")
        cal.add_component(component)
        name = _SAFE.sub("_", str(component["uid"])) + ".ics"
        self.folder.mkdir(parents=True, exist_ok=True)
        return LocalItem(self.folder / name, cal).save()

    def _from_ical(self, ical: str) -> LocalItem:
        parsed = _parse(ical)
        return self._new(next(c for c in parsed.subcomponents
                              if c.name in ("VEVENT", "VTODO")))

    def add_event(self, ical: str = "", **fields: Any) -> LocalItem:
        if ical:
            return self._from_ical(ical)
        event = Event()
        for key, value in fields.items():
            event.add(key, value)
        event.add("dtstamp", datetime.now().astimezone())
        return self._new(event)

    def add_todo(self, ical: str = "", categories: list[str] | None = None,
                 **fields: Any) -> LocalItem:
        if ical:
            return self._from_ical(ical)
        todo = Todo()
        for key, value in fields.items():
            todo.add(key, value)
        if categories:
            todo.add("categories", categories)
        todo.add("dtstamp", datetime.now().astimezone())
        todo.add("status", "NEEDS-ACTION")
        return self._new(todo)

    def search(self, event: bool = True, start: datetime | date | None = None,
               end: datetime | date | None = None, expand: bool = False) -> list[LocalItem]:
        """Events that overlap [start, end)."""
        start, end = _at(start), _at(end)
        found = []
        for item in self._items():
            comp = item.icalendar_component
            if comp.name != "VEVENT":
                continue
            begin = _moment(comp.get("dtstart"))
            finish = _moment(comp.get("dtend")) or begin
            if begin is None or (end and begin >= end) or (start and finish < start):
                continue
            found.append(item)
        return found

    def todos(self, include_completed: bool = False) -> list[LocalItem]:
        return [item for item in self._items() if item.icalendar_component.name == "VTODO"
                and (include_completed or
                     str(item.icalendar_component.get("status", "")) != "COMPLETED")]

    def object_by_uid(self, uid: str) -> LocalItem:
        for item in self._items():
            if str(item.icalendar_component.get("uid", "")) == uid:
                return item
        raise ToolInputError(f"there is no calendar item with uid {uid!r}")


def _moment(prop: Any) -> datetime | None:
    """A start or end as an aware datetime (a date counts from its midnight here)."""
    return _at(getattr(prop, "dt", None))


def _at(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.astimezone()
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day).astimezone()
    return None


class LocalCalendarService:
    """The calendar service over a local folder (same methods as `CalendarService`)."""

    def __init__(self, folder: Path) -> None:
        self._calendar = LocalCalendar(folder)
        self._lock = threading.Lock()

    def calendar(self) -> LocalCalendar:
        return self._calendar

    def by_uid(self, uid: str) -> LocalItem:
        with self._lock:
            return self._calendar.object_by_uid(uid)

    def exists(self, uid: str) -> bool:
        return has_item(self, uid)
