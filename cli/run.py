"""`famulus` / `famulus run`: the app. The desktop window where there is a display, else
the terminal chat."""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from typing import Any

from app.profile import Profile


def register(sub: Any) -> None:
    sub.add_parser("run", help="start the app: the desktop window, or the terminal chat "
                   "where there is no display (the default command)").set_defaults(
        handler=start_app)


def has_display() -> bool:
    """Whether a window can be shown (an X11 or Wayland display, and Qt installed)."""
    shown = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    return bool(shown) and importlib.util.find_spec("PySide6") is not None


def start_app(args: argparse.Namespace, profile: Profile) -> int:
    if has_display():
        from desktop.app import run

        return run(profile)
    print("No display found: starting the terminal chat (the desktop window needs a display).",
          file=sys.stderr)
    from cli.chat import chat

    return chat(argparse.Namespace(model=None, backend=None, no_memory=False, autonomy=None,
                                   thread="default"), profile)
