"""A profile: its paths and settings, with logging set up. The first thing every front end
opens (`load_profile`), and what every builder in `app` reads."""

from __future__ import annotations

import os
from dataclasses import dataclass

from app import logs
from app import paths as paths_module
from app import settings as settings_module
from app.paths import Paths
from app.settings import Settings


@dataclass(frozen=True)
class Profile:
    """One profile's paths and settings, with logging set up."""

    paths: Paths
    settings: Settings


def open_profile(paths: Paths, settings: Settings, console_level: str = "WARNING") -> Profile:
    """Create the profile's folders and start logging into its data dir. Before anything
    else, wipe what a killed Famulus left unlocked in RAM."""
    from memory import ramdir

    ramdir.sweep()
    paths.create()
    logs.configure(paths.log_file, settings.logging.level, console_level,
                   settings.logging.redact_personal)
    return Profile(paths, settings)


def load_profile(data_dir: str | os.PathLike[str] | None = None, verbose: bool = False
                 ) -> Profile:
    """The profile in `data_dir` (else FAMULUS_HOME, else the platform's folders), its
    settings read from the config file and the environment."""
    paths = paths_module.resolve(data_dir)
    settings = settings_module.load(paths.config_file)
    return open_profile(paths, settings, "INFO" if verbose else "WARNING")
