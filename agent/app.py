"""Start the app: the desktop window where there is a display, else the terminal chat."""

from __future__ import annotations

import importlib.util
import os
import sys

from agent.runtime import Profile


def has_display() -> bool:
    """Whether a window can be shown (an X11 or Wayland display, and Qt installed)."""
    shown = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    return bool(shown) and importlib.util.find_spec("PySide6") is not None


def start(profile: Profile) -> int:
    if has_display():
        from desktop.app import run

        return run(profile)
    print("No display found: starting the terminal chat (the desktop window needs a display).",
          file=sys.stderr)
    from agent.assembly import assembled
    from agent.progress import terminal_bar
    from agent.terminal_chat import run as run_chat

    with terminal_bar("Preparing the model") as bar, assembled(profile, progress=bar) as parts:
        return run_chat(parts)
