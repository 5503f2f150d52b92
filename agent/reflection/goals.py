"""Goals and their ranking by the map's weights: urgency, importance, the user's preference.

Goals live in memory as preferences of kind `goal` (key `goal:<id>`), so they are encrypted,
restorable and synced like everything else.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

WEIGHTS = (0.4, 0.3, 0.3)  # urgency, importance, preference
HORIZON_DAYS = 30


@dataclass
class Goal:
    """Something the person wants done, with how much it matters to them."""

    id: str
    title: str
    due: str = ""              # ISO date, or empty
    importance: float = 0.5    # 0..1
    preference: float = 0.5    # 0..1: how much the person wants to do it
    status: str = "open"       # open | done
    created: float = 0.0

    def urgency(self, today: date) -> float:
        """1 when due or overdue, falling to 0 over HORIZON_DAYS; 0.2 without a date."""
        if not self.due:
            return 0.2
        left = (date.fromisoformat(self.due) - today).days
        return 1.0 if left <= 0 else max(0.0, 1.0 - left / HORIZON_DAYS)

    def score(self, today: date, weights: tuple[float, float, float] = WEIGHTS) -> float:
        wu, wi, wp = weights
        return round(wu * self.urgency(today) + wi * self.importance + wp * self.preference, 4)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "goal"


def add(memory: Any, title: str, due: str = "", importance: float = 0.5,
        preference: float = 0.5) -> Goal:
    if due:
        date.fromisoformat(due)  # ValueError names a bad date
    goal = Goal(f"{_slug(title)}-{int(time.time()) % 100000}", title.strip(), due,
                min(max(importance, 0.0), 1.0), min(max(preference, 0.0), 1.0),
                created=time.time())
    memory.set_preference(f"goal:{goal.id}", goal.to_dict(), kind="goal")
    return goal


def all_goals(memory: Any) -> list[Goal]:
    found = []
    for key, pref in memory.preferences().items():
        if key.startswith("goal:") and isinstance(pref.value, dict):
            found.append(Goal(**{k: v for k, v in pref.value.items()
                                 if k in Goal.__dataclass_fields__}))
    return found


def ranked(memory: Any, today: date | None = None,
           weights: tuple[float, float, float] = WEIGHTS) -> list[tuple[Goal, float]]:
    """Open goals, highest score first."""
    today = today or datetime.now().date()
    scored = [(g, g.score(today, weights)) for g in all_goals(memory) if g.status == "open"]
    return sorted(scored, key=lambda gs: -gs[1])


def complete(memory: Any, goal_id: str) -> Goal:
    for goal in all_goals(memory):
        if goal.id == goal_id:
            goal.status = "done"
            memory.set_preference(f"goal:{goal.id}", goal.to_dict(), kind="goal")
            return goal
    raise KeyError(goal_id)


def slipping(memory: Any, today: date | None = None, days: int = 2) -> list[Goal]:
    """Open goals due within `days` (or overdue)."""
    today = today or datetime.now().date()
    return [g for g, _ in ranked(memory, today)
            if g.due and (date.fromisoformat(g.due) - today).days <= days]
