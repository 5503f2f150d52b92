"""Famulus settings: a declarative schema and the effective values of one profile."""

from agent.settings.schema import SETTINGS, Setting, SettingError, lookup
from agent.settings.store import Settings, Value, load, write_value

__all__ = ["SETTINGS", "Setting", "SettingError", "Settings", "Value", "load", "lookup",
           "write_value"]
