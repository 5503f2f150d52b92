"""The person's CalDAV server (Radicale, Nextcloud, Fastmail, …): one calendar Famulus
uses for events, tasks and reminders."""

from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from tools.errors import ToolFailed, ToolInputError


class CalendarService:
    """A lazily connected CalDAV calendar; network failures are retryable ToolFailed."""

    def __init__(self, url: str, username: str = "", password: str = "",
                 calendar: str = "Famulus", timeout_s: float = 15.0) -> None:
        self.url, self.username, self.password = url, username, password
        self.name, self.timeout_s = calendar, timeout_s
        self._calendar: Any = None
        self._lock = threading.Lock()

    def calendar(self) -> Any:
        """The calendar called `name`, created on first use if the server lacks it."""
        with self._lock:
            if self._calendar is None:
                self._calendar = self._connect()
            return self._calendar

    def _connect(self) -> Any:
        import caldav

        try:
            client = caldav.DAVClient(self.url, username=self.username or None,
                                      password=self.password if self.username else None,
                                      timeout=self.timeout_s)
            principal = client.principal()
            for cal in principal.calendars():
                if (cal.get_display_name() or "") == self.name:
                    return cal
            return principal.make_calendar(name=self.name)
        except Exception as exc:  # caldav raises many kinds; all mean "not reachable"
            raise failure(exc, f"the CalDAV server at {self.url}") from None

    def by_uid(self, uid: str) -> Any:
        from caldav.lib.error import NotFoundError

        try:
            return self.calendar().object_by_uid(uid)
        except NotFoundError:
            raise ToolInputError(f"there is no calendar item with uid {uid!r}") from None
        except ToolFailed:
            raise
        except Exception as exc:
            raise failure(exc, "the CalDAV server") from None

    def exists(self, uid: str) -> bool:
        return has_item(self, uid)


def failure(exc: Exception, what: str) -> ToolFailed:
    name = type(exc).__name__
    retryable = any(w in name for w in ("Connection", "Timeout", "Network")) or \
        isinstance(exc, OSError)
    return ToolFailed(f"{what} failed: {name}: {exc}"[:500], retryable=retryable)


def parse_when(text: str, what: str) -> datetime | date:
    """An ISO 8601 date or date-time; naive times are in the local time zone."""
    try:
        if len(text.strip()) == 10:
            return date.fromisoformat(text.strip())
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ToolInputError(f"{what}: {text!r} is not an ISO 8601 date or time, e.g. "
                             "2026-12-01T10:00") from None
    return value if value.tzinfo else value.astimezone()


def new_uid() -> str:
    return f"{uuid.uuid4()}@famulus"


def plus(when: datetime | date, hours: float) -> datetime | date:
    return when + (timedelta(days=1) if not isinstance(when, datetime)
                   else timedelta(hours=hours))


def as_text(value: Any) -> str:
    """An iCalendar property value as ISO text."""
    inner = getattr(value, "dt", value)
    return inner.isoformat() if isinstance(inner, date | datetime) else str(inner or "")


def in_words(when: datetime | date) -> str:
    """A time as a person says it: 'Friday 4 December at 12:00'."""
    day = f"{when:%A} {when.day} {when:%B}"
    return f"{day} at {when:%H:%M}" if isinstance(when, datetime) else day


def has_item(service: Any, uid: str) -> bool:
    """Whether a calendar service (CalDAV or local) holds an item with this uid."""
    try:
        service.by_uid(uid)
        return True
    except ToolInputError:
        return False
