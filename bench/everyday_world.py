"""The world an everyday request runs in: a fresh Famulus home with memory set up, a granted
documents folder with a few files, notes, a CalDAV calendar on a local Radicale with some
events and tasks, a local SMTP server that keeps what it receives, and a web server with
two pages. Each check reads the effect from there (the file, the event, the mail)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.integration.tools.servers import SmtpSink, WebServer, start_radicale
from tests.pdf_writer import write_pdf

PASSPHRASE = "an everyday passphrase"
RECIPIENTS = ("bob@example.com", "alice@example.com")


@dataclass
class World:
    """Where the requests act, and what they did there."""

    home: Path
    docs: Path
    smtp: SmtpSink
    web: WebServer
    calendar_url: str

    # What the requests did ----------------------------------------------------------------
    def note(self, title: str) -> str:
        path = self.home / "data" / "notes" / f"{title.replace(' ', '-')}.md"
        return path.read_text().lower() if path.exists() else ""

    def notes(self) -> list[str]:
        return sorted(p.stem for p in (self.home / "data" / "notes").glob("*.md"))

    def _calendar(self) -> Any:
        from tools.productivity.caldav_service import CalendarService

        return CalendarService(self.calendar_url, "me").calendar()

    def tasks(self, include_done: bool = False) -> list[dict[str, Any]]:
        return [_item(t) for t in self._calendar().todos(include_completed=include_done)]

    def events(self) -> list[dict[str, Any]]:
        start = datetime.now().astimezone() - timedelta(days=1)
        return [_item(e) for e in self._calendar().search(
            event=True, start=start, end=start + timedelta(days=15), expand=False)]

    def mails(self) -> list[str]:
        return [e.content.decode(errors="replace").lower() for e in self.smtp.messages]


def _item(item: Any) -> dict[str, Any]:
    comp = item.icalendar_component
    out = {"summary": str(comp.get("summary", "")).lower(),
           "status": str(comp.get("status", ""))}
    for key in ("dtstart", "due"):
        value = getattr(comp.get(key), "dt", None)
        if isinstance(value, datetime):
            out[key] = value.astimezone().replace(tzinfo=None)
        elif isinstance(value, date):
            out[key] = datetime(value.year, value.month, value.day)
    return out


def next_weekday(weekday: int, today: date | None = None) -> date:
    """The next such day after today (Monday is 0)."""
    today = today or date.today()
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _files(docs: Path) -> None:
    docs.mkdir(parents=True)
    (docs / "todo.txt").write_text("buy stamps\nwater the plants\n")
    (docs / "lease.txt").write_text("The lease of the flat ends in June; the deposit is "
                                    "returned within a month.\n")
    (docs / "report.txt").write_text("Quarterly report: sales grew by 12 percent.\n")
    (docs / "data.csv").write_text("item,price,qty\napple,2.5,4\nbread,3.0,1\n"
                                   "cheese,9.5,2\n")
    (docs / "config.json").write_text(json.dumps({"name": "garden-app",
                                                  "version": "2.4.1"}))
    write_pdf(docs / "contract.pdf", ["Contract between the parties.",
                                      "The deadline for payment is March 15."])


def _pages(web: WebServer) -> None:
    web.page("/news", "<html><body><h1>Local news</h1><p>The Famulus garden club won "
                      "the garden prize this year.</p></body></html>")
    web.page("/recipe", "<html><body><h1>Apple pie</h1><p>Bake the pie in the oven at "
                        "180 degrees for 45 minutes.</p></body></html>")


def _calendar(url: str) -> None:
    from tools.productivity.caldav_service import CalendarService

    cal = CalendarService(url, "me").calendar()
    tomorrow = date.today() + timedelta(days=1)
    at = datetime.combine(tomorrow, datetime.min.time()).astimezone()
    cal.add_event(uid="lunch@world", summary="Team lunch", dtstart=at + timedelta(hours=13),
                  dtend=at + timedelta(hours=14))
    monday = datetime.combine(next_weekday(0), datetime.min.time()).astimezone()
    cal.add_event(uid="dentist@world", summary="Dentist", dtstart=monday + timedelta(hours=9),
                  dtend=monday + timedelta(hours=10))
    wednesday = datetime.combine(next_weekday(2), datetime.min.time()).astimezone()
    cal.add_event(uid="yoga@world", summary="Yoga class",
                  dtstart=wednesday + timedelta(hours=18),
                  dtend=wednesday + timedelta(hours=19))
    cal.add_todo(uid="plumber@world", summary="Call the plumber")


def _settings(home: Path, world: World) -> None:
    from app.settings.store import write_value

    config = home / "config" / "famulus.toml"
    for name, value in (("tools.allowed_paths", json.dumps([str(world.docs)])),
                        ("tools.allowed_hosts", '["127.0.0.1"]'),
                        ("tools.allowed_recipients", json.dumps(list(RECIPIENTS))),
                        ("tools.caldav.url", world.calendar_url),
                        ("tools.caldav.username", "me"),
                        ("tools.smtp.host", "127.0.0.1"),
                        ("tools.smtp.port", str(world.smtp.port)),
                        ("tools.smtp.sender", "me@example.com"),
                        ("tools.smtp.ca_file", str(world.smtp.cert)),
                        ("tools.mail_undo_s", "1")):
        write_value(config, name, value)


@contextlib.contextmanager
def world(root: Path) -> Iterator[World]:
    """A fresh world under `root`, its servers running until the block ends."""
    from app import paths, settings
    from app.build_memory import create_memory
    from app.profile import open_profile

    web = WebServer()
    radicale, url = start_radicale(root / "radicale")
    try:
        with SmtpSink(root) as smtp:
            home = root / "home"
            w = World(home, root / "Documents", smtp, web, url)
            _files(w.docs)
            _pages(web)
            _calendar(url)
            (home / "config").mkdir(parents=True)
            _settings(home, w)
            profile = open_profile(paths.resolve(home),
                                   settings.load(home / "config" / "famulus.toml"))
            create_memory(profile, PASSPHRASE)
            notes = home / "data" / "notes"
            notes.mkdir(parents=True, exist_ok=True)
            (notes / "trip.md").write_text("# trip\n\nTrain to Lisbon at 9:15 on Saturday.\n")
            (notes / "old-flat.md").write_text("# old flat\n\nKeys returned in May.\n")
            yield w
    finally:
        web.close()
        radicale.terminate()
        radicale.wait(10)
