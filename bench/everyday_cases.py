"""Forty-odd everyday requests, as a person would type them, each with a machine check of
its effect (the note, the file, the task, the event, the mail, the memory) and of its
answer (it states the result). They run in order in one world (bench/everyday_world.py),
as a day with Famulus would: a later request may build on an earlier one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bench.everyday_world import World, next_weekday

Check = Callable[[World], str]  # "" when the effect is there, else what is missing


@dataclass(frozen=True)
class Case:
    """One request (or a short conversation) and what must come of it.

    `answer`: each entry must be in the last answer (case-insensitive); a tuple entry is
    met by any of its words. `restart`: Famulus is closed and opened again before the last
    message. `approve`: actions waiting for review are approved, as the person would."""

    category: str
    turns: tuple[str, ...]
    answer: tuple[str | tuple[str, ...], ...] = ()
    effect: Check | None = None
    no_tool: bool = False
    restart: bool = False
    approve: bool = False

    @property
    def name(self) -> str:
        return self.turns[-1]


def _has(text: str, *words: str) -> bool:
    return all(w.lower() in text for w in words)


def note_has(title: str, *words: str) -> Check:
    return lambda w: "" if _has(w.note(title), *words) else f"note {title!r} lacks {words}"


def note_gone(title: str) -> Check:
    return lambda w: "" if title.replace(" ", "-") not in w.notes() else f"{title!r} is there"


def file_has(name: str, *words: str) -> Check:
    def check(w: World) -> str:
        path = w.docs / name
        ok = path.exists() and _has(path.read_text().lower(), *words)
        return "" if ok else f"{name} lacks {words}"
    return check


def moved(old: str, new: str) -> Check:
    return lambda w: "" if (w.docs / new).exists() and not (w.docs / old).exists() \
        else f"{old} was not renamed to {new}"


def task(word: str, day: date | None = None, hour: int | None = None,
         done: bool = False) -> Check:
    def check(w: World) -> str:
        for t in w.tasks(include_done=True):
            when = t.get("due")
            if word in t["summary"] and (t["status"] == "COMPLETED") == done and \
                    (day is None or (when and when.date() == day)) and \
                    (hour is None or (when and when.hour == hour)):
                return ""
        return f"no task {word!r} (due {day} {hour}h, done={done}): {w.tasks(True)}"
    return check


def event(word: str, day: date | None = None, hour: int | None = None,
          gone: bool = False) -> Check:
    def check(w: World) -> str:
        found = [e for e in w.events() if word in e["summary"] and
                 (day is None or e["dtstart"].date() == day) and
                 (hour is None or e["dtstart"].hour == hour)]
        return "" if bool(found) != gone else f"event {word!r} {day} {hour}h: {w.events()}"
    return check


def mail_to(address: str, *words: str) -> Check:
    def check(w: World) -> str:
        return "" if any(_has(m, address, *words) for m in w.mails()) else \
            f"no mail to {address} with {words}"
    return check


TOMORROW = date.today() + timedelta(days=1)
FRIDAY = next_weekday(4)
CSV = "data.csv"


def cases(web_url: str) -> list[Case]:
    """The requests, in the order a day brings them (`web_url`: the local web server)."""
    return [
        # notes
        Case("notes", ("make a note called groceries with milk and eggs",),
             ("groceries",), note_has("groceries", "milk", "eggs")),
        Case("notes", ("add bread to my groceries note",), ("bread",),
             note_has("groceries", "milk", "bread")),
        Case("notes", ("list my notes",), ("trip", "groceries")),
        Case("notes", ("what does my trip note say?",), (("9:15", "lisbon"),)),
        Case("notes", ("delete the note called old flat",), (), note_gone("old flat"),
             approve=True),
        # files in the granted folder
        Case("files", ("what files are in my documents folder?",), ("todo.txt", "data.csv")),
        Case("files", ("read the file todo.txt",), ("stamps",)),
        Case("files", ("which of my files mention the lease?",), ("lease.txt",)),
        Case("files", ("write a file plan.txt in my documents with the text: pack the tent",),
             (), file_has("plan.txt", "tent")),
        Case("files", ("rename plan.txt to trip-plan.txt",), (),
             moved("plan.txt", "trip-plan.txt")),
        # tasks and reminders
        Case("tasks", ("add a task to call the dentist tomorrow at 10",), ("dentist",),
             task("dentist", TOMORROW, 10)),
        Case("tasks", ("put buy milk on my to-do list",), ("milk",), task("milk")),
        Case("tasks", ("what's still open on my todo list?",), ("plumber", "dentist")),
        Case("tasks", ("mark the task call the plumber as done",), (),
             task("plumber", done=True)),
        Case("tasks", ("remind me to water the plants tomorrow at 8am",), ("plants",),
             task("plants", TOMORROW, 8)),
        # calendar
        Case("calendar", ("do I have anything in my calendar tomorrow?",), ("lunch",)),
        Case("calendar", ("when is my dentist appointment?",), (("9", "nine"),)),
        Case("calendar", ("book lunch with Ana this Friday at 12 in my calendar",), (),
             event("ana", FRIDAY, 12)),
        Case("calendar", ("move my dentist appointment to Friday",), (),
             event("dentist", FRIDAY)),
        Case("calendar", ("cancel my yoga class",), (), event("yoga", gone=True)),
        # e-mail (held for its undo window, then sent)
        Case("email", ("send bob@example.com an email saying the meeting moved to 3pm",),
             (), mail_to("bob@example.com", "3"), approve=True),
        Case("email", ("email alice@example.com with the subject Hello and the text see you "
                       "soon",), (), mail_to("alice@example.com", "see you soon"),
             approve=True),
        Case("email", ("check my inbox for new mail",), (("imap", "mail server", "set up"),)),
        # data files
        Case("data", (f"what is the average of column price in {CSV}?",), ("5",)),
        Case("data", (f"how many rows does {CSV} have?",), ("3",)),
        Case("data", ("what is the version in config.json?",), ("2.4.1",)),
        Case("data", ("what does contract.pdf say about the deadline?",), ("march 15",)),
        Case("data", (f"which rows of {CSV} have a price over 3?",), ("cheese",)),
        # the web
        Case("web", (f"what does the page at {web_url}/news say?",), ("garden prize",),
             approve=True),
        Case("web", (f"read {web_url}/recipe and tell me the oven temperature",), ("180",),
             approve=True),
        # memory, across a restart
        Case("memory", ("remember that my locker number at the gym is 4411",), ("4411",)),
        Case("memory", ("what is my gym locker number?",), ("4411",), restart=True),
        Case("memory", ("remember that Ana's birthday is on June 3rd",), ("june",)),
        Case("memory", ("when is Ana's birthday?",), (("june 3", "3 june", "june 3rd"),),
             restart=True),
        # follow-ups
        Case("follow-up", ("read the file todo.txt", "add the first item to my to-do list"),
             (), task("stamps"), approve=True),  # after reading a file, changes wait
        Case("follow-up", (f"what is the average of column price in {CSV}?",
                           "and what is the highest price?"), ("9.5",)),
        Case("follow-up", ("make a note called packing with passport",
                           "also add sunscreen to it"), (),
             note_has("packing", "passport", "sunscreen")),
        # no tool needed
        Case("no tool", ("what is the capital of France?",), ("paris",), no_tool=True),
        Case("no tool", ("how many minutes are in 3 hours?",), ("180",), no_tool=True),
        Case("no tool", ("thanks, that's all for now",), (), no_tool=True),
        # not allowed here
        Case("not allowed", ("read the file /etc/hostname",),
             (("not allowed", "outside", "cannot", "can't", "permission", "granted"),)),
        Case("not allowed", ("run this python code: print(6*7)",), ("42",), approve=True),
    ]
