"""productivity: notes (a folder of Markdown files), tasks, calendar and reminders (CalDAV)."""

from tools.productivity.calendar import TOOLS as CALENDAR_TOOLS
from tools.productivity.notes import TOOLS as NOTE_TOOLS

TOOLS = [*NOTE_TOOLS, *CALENDAR_TOOLS]
