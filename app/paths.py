"""Where Famulus keeps its state: config, data (logs, memories) and cache (joined models).

`--data-dir` or `FAMULUS_HOME` moves all three under one folder (tests, several profiles);
otherwise they follow the platform's conventions (platformdirs). `FAMULUS_CACHE_DIR` moves
only the cache, so several profiles can share the joined model files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "famulus"


@dataclass(frozen=True)
class Paths:
    """The folders one Famulus profile uses."""

    config_dir: Path
    data_dir: Path
    cache_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "famulus.toml"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "logs" / "famulus.jsonl"

    @property
    def models_dir(self) -> Path:
        return self.cache_dir / "models"

    def create(self) -> Paths:
        """Make the folders (private to the user) and return self."""
        for folder in (self.config_dir, self.data_dir, self.cache_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self

    def to_dict(self) -> dict[str, str]:
        return {
            "config_file": str(self.config_file),
            "data_dir": str(self.data_dir),
            "cache_dir": str(self.cache_dir),
            "log_file": str(self.log_file),
        }


def resolve(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """The paths for `data_dir`, else `FAMULUS_HOME`, else the platform's folders."""
    home = data_dir or os.environ.get("FAMULUS_HOME")
    if home:
        root = Path(home).expanduser().resolve()
        paths = Paths(root / "config", root / "data", root / "cache")
    else:
        paths = Paths(
            Path(platformdirs.user_config_dir(APP)),
            Path(platformdirs.user_data_dir(APP)),
            Path(platformdirs.user_cache_dir(APP)),
        )
    cache = os.environ.get("FAMULUS_CACHE_DIR")
    if cache:
        paths = Paths(paths.config_dir, paths.data_dir, Path(cache).expanduser().resolve())
    return paths
