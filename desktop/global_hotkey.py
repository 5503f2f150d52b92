"""Hold-to-talk from anywhere on an X11 desktop (opt-in: `voice.global_hotkey`).

The push-to-talk key is grabbed on the root window through a separate X connection
(python-xlib), so X sends it to Famulus whichever window has the focus, and no other
program sees it while Famulus runs. The connection is watched by a QSocketNotifier on the
GUI thread: no thread, no polling.

A held key repeats as release+press pairs; a release is therefore reported only when no
press of the same key follows within a few milliseconds. Wayland has no global grabs, so
there the key works only while the window has the focus.
"""

from __future__ import annotations

import os
from typing import Any

from desktop.qt import QObject, QSocketNotifier, QTimer, Signal

REPEAT_GAP_MS = 40  # a repeat's press follows its release at once (same X timestamp)


def keysym_name(name: str) -> str:
    """A Qt key name as X names it: ScrollLock is Scroll_Lock, F9 stays F9."""
    name = name.strip()
    for qt_name, x_name in (("ScrollLock", "Scroll_Lock"), ("NumLock", "Num_Lock"),
                            ("CapsLock", "Caps_Lock"), ("PgUp", "Prior"),
                            ("PgDown", "Next"), ("Ins", "Insert"), ("Del", "Delete")):
        if name.lower() == qt_name.lower():
            return x_name
    return name


class KeyEdges(QObject):
    """Turns the grabbed key's X events into one press and one release per hold."""

    pressed = Signal()
    released = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.down = False
        self._release = QTimer(self)
        self._release.setSingleShot(True)
        self._release.setInterval(REPEAT_GAP_MS)
        self._release.timeout.connect(self._released)

    def key(self, press: bool) -> None:
        if press:
            if self._release.isActive():  # a repeat: the key never came up
                self._release.stop()
            elif not self.down:
                self.down = True
                self.pressed.emit()
        elif self.down:
            self._release.start()

    def _released(self) -> None:
        self.down = False
        self.released.emit()


class GlobalHotkey(KeyEdges):
    """The key grabbed on the X display; `pressed` and `released` once per hold."""

    def __init__(self, display: Any, keycode: int) -> None:
        super().__init__()
        self.display, self.keycode = display, keycode
        self.notifier = QSocketNotifier(display.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._read)

    def _read(self) -> None:
        from Xlib import X

        while self.display.pending_events():
            event = self.display.next_event()
            if event.type in (X.KeyPress, X.KeyRelease) and event.detail == self.keycode:
                self.key(event.type == X.KeyPress)

    def stop(self) -> None:
        """Give the key back and close the connection."""
        from Xlib import X, error

        self.notifier.setEnabled(False)
        try:
            self.display.screen().root.ungrab_key(self.keycode, X.AnyModifier)
            self.display.close()
        except (error.ConnectionClosedError, OSError):  # the X server went first
            pass


def start(key_name: str, display_name: str | None = None) -> GlobalHotkey | str:
    """Grab `key_name` on the X display; the hotkey, or why there is none."""
    if display_name is None and os.environ.get("WAYLAND_DISPLAY"):
        # XWayland would take the grab, but keys reach it only while an X window has focus
        return "Wayland does not let programs take a key globally"
    display_name = display_name or os.environ.get("DISPLAY")
    if not display_name:
        return "there is no X display"
    try:
        from Xlib import XK, X, error
        from Xlib.display import Display
    except ImportError:
        return "python-xlib is not installed: pip install 'famulus[desktop]'"
    try:
        display = Display(display_name)
    except (error.DisplayError, OSError) as exc:
        return f"cannot open the X display {display_name}: {exc}"
    keysym = XK.string_to_keysym(keysym_name(key_name))
    keycode = display.keysym_to_keycode(keysym) if keysym else 0
    if not keycode:
        display.close()
        return f"{key_name!r} is not a key on this keyboard"
    caught = error.CatchError(error.BadAccess)
    display.screen().root.grab_key(keycode, X.AnyModifier, True, X.GrabModeAsync,
                                   X.GrabModeAsync, onerror=caught)
    display.sync()
    if caught.get_error():
        display.close()
        return f"another program has already taken {key_name}"
    return GlobalHotkey(display, keycode)
