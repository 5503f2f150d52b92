"""Famulus settings: a declarative schema and the effective values of one profile."""

from app.settings.schema import SETTINGS, Setting, SettingError, lookup
from app.settings.store import Section, Settings, Value, load, write_value


def goal_weights(values: list[str]) -> tuple[float, float, float]:
    """urgency, importance, preference weights from the agent.goal_weights setting."""
    try:
        u, i, p = (float(v) for v in values)
    except ValueError:
        raise SettingError("agent.goal_weights: three numbers, e.g. 0.4,0.3,0.3") from None
    return u, i, p


__all__ = ["SETTINGS", "Section", "Setting", "SettingError", "Settings", "Value",
           "goal_weights", "load", "lookup", "write_value"]
