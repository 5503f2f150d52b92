"""productivity: notes (a folder of Markdown files), tasks, calendar and reminders (CalDAV),
and long-term memory (offered only where a memory is open)."""

from tools.catalog import with_examples
from tools.productivity.calendar import TOOLS as CALENDAR_TOOLS
from tools.productivity.memory_tools import TOOLS as _MEMORY_TOOLS
from tools.productivity.notes import TOOLS as NOTE_TOOLS

TOOLS = [*NOTE_TOOLS, *CALENDAR_TOOLS]
MEMORY_TOOLS = with_examples(_MEMORY_TOOLS)

__all__ = ["MEMORY_TOOLS", "TOOLS"]
