"""Effective settings: schema defaults, then a packaged app's own defaults, then the TOML
file, then the environment, then flags.

Each value remembers where it came from, which `famulus config show` prints. Code reads
them as typed attributes (`settings.models.context_length` is an int); an unknown name is
an error at once, not a silent default.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from app.settings.schema import BY_NAME, SETTINGS, SettingError, lookup


class Section:
    """The settings under one dotted prefix, read as attributes: `settings.tools.smtp`
    is a Section, `settings.tools.smtp.port` the port (an int)."""

    def __init__(self, settings: Settings, prefix: str) -> None:
        self._settings, self._prefix = settings, prefix

    def __getattr__(self, name: str) -> Any:
        return self._settings.read(f"{self._prefix}.{name}")


@dataclass(frozen=True)
class Value:
    """A setting's effective value and its source: default, file, env or flag."""

    value: Any
    source: str


@dataclass
class Settings:
    """The effective settings of one profile."""

    values: dict[str, Value] = field(default_factory=dict)
    file: Path | None = None

    def __getitem__(self, name: str) -> Any:
        lookup(name)
        return self.values[name].value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.read(name)

    def read(self, name: str) -> Any:
        """The value of setting `name`, or the Section of settings under it."""
        if name in BY_NAME:
            return self.values[name].value
        if any(full.startswith(name + ".") for full in BY_NAME):
            return Section(self, name)
        lookup(name)  # raises SettingError naming the settings near it
        raise AssertionError(name)

    def source(self, name: str) -> str:
        return self.values[name].source

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """{name: {value, source, description}} for every setting, in schema order."""
        return {
            s.name: {
                "value": self.values[s.name].value,
                "source": self.values[s.name].source,
                "description": s.description,
            }
            for s in SETTINGS
        }


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def read_file(path: Path) -> dict[str, Any]:
    """The settings in a TOML file, flattened to dotted names; {} if there is none."""
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            return _flatten(tomllib.load(handle))
    except tomllib.TOMLDecodeError as exc:
        raise SettingError(f"{path} is not valid TOML: {exc}") from None


def load(
    path: Path | None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Settings from defaults, then `path`, then `env` (FAMULUS_*), then `overrides`."""
    env = os.environ if env is None else env
    from_file = read_file(path) if path else {}
    for name in from_file:
        lookup(name)  # an unknown key in the file is an error the user should see
    bundled = bundle_defaults()
    settings = Settings(file=path)
    for setting in SETTINGS:
        value, source = setting.default, "default"
        if setting.name in bundled:
            value, source = bundled[setting.name], "default of this build"
        if setting.name in from_file:
            value, source = from_file[setting.name], f"file {path}"
        if setting.env_var in env:
            value, source = env[setting.env_var], f"env {setting.env_var}"
        if overrides and setting.name in overrides:
            value, source = overrides[setting.name], "flag"
        settings.values[setting.name] = Value(setting.coerce(value), source)
    return settings


BUNDLE_DEFAULTS = "famulus-defaults.toml"


def bundle_defaults() -> dict[str, Any]:
    """The defaults a packaged app was built with (famulus-defaults.toml beside its code,
    e.g. the chat model it carries); {} when running from a pip install."""
    base = getattr(sys, "_MEIPASS", None)
    return read_file(Path(base) / BUNDLE_DEFAULTS) if base else {}


# Settings that name a file of the person's: a path that is not there is refused when it
# is set, not when it is first used.
FILES_NAMED = {"models.chat": ("default", "light"), "models.embedding": ("default",)}


def _check_exists(name: str, value: Any) -> None:
    if name in FILES_NAMED and value not in FILES_NAMED[name] and \
            not Path(str(value)).expanduser().exists():
        raise SettingError(f"{name}: {value!r} does not exist; give the path of a model "
                           f"that is there, or one of {', '.join(FILES_NAMED[name])}")


def write_value(path: Path, name: str, raw: str) -> Any:
    """Validate `raw` for setting `name` and store it in the TOML file at `path`."""
    value = lookup(name).coerce(raw)
    _check_exists(name, value)
    flat = read_file(path)
    flat[name] = value
    nested: dict[str, Any] = {}
    for key, item in sorted(flat.items()):
        *sections, last = key.split(".")
        table = nested
        for section in sections:
            table = table.setdefault(section, {})
        table[last] = item
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(nested), encoding="utf-8")
    tmp.replace(path)
    return value
