"""The global push-to-talk key on a real X server (Xvfb): grabbed on the root window, so a
hold reaches Famulus whichever window has the focus, one press and one release per hold
even as the key repeats; a key another program holds is refused with the reason."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.xserver import xvfb

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with xvfb("640x480x24") as name:
        yield name


def press(display_name: str, key: str, hold_s: float, repeats: int = 0) -> None:
    """Hold `key` through XTest, as a keyboard would (a held key repeats as release and
    press pairs)."""
    from Xlib import XK, X
    from Xlib.display import Display
    from Xlib.ext import xtest

    keyboard = Display(display_name)
    code = keyboard.keysym_to_keycode(XK.string_to_keysym(key))
    xtest.fake_input(keyboard, X.KeyPress, code)
    keyboard.sync()
    for _ in range(repeats):
        time.sleep(hold_s / (repeats + 1))
        xtest.fake_input(keyboard, X.KeyRelease, code)
        xtest.fake_input(keyboard, X.KeyPress, code)
        keyboard.sync()
    time.sleep(hold_s / (repeats + 1))
    xtest.fake_input(keyboard, X.KeyRelease, code)
    keyboard.sync()
    keyboard.close()


def test_a_hold_anywhere_is_one_press_and_one_release(qtbot, display: str) -> None:
    from desktop import global_hotkey

    hotkey = global_hotkey.start("F9", display)
    assert not isinstance(hotkey, str), hotkey
    edges: list[str] = []
    hotkey.pressed.connect(lambda: edges.append("pressed"))
    hotkey.released.connect(lambda: edges.append("released"))
    try:
        press(display, "F9", hold_s=0.6, repeats=5)
        qtbot.waitUntil(lambda: edges == ["pressed", "released"], timeout=5_000)
        press(display, "F10", hold_s=0.1)  # another key is not ours
        qtbot.wait(300)
        assert edges == ["pressed", "released"]
    finally:
        hotkey.stop()


def test_a_key_another_program_holds_is_refused(display: str) -> None:
    from desktop import global_hotkey

    first = global_hotkey.start("ScrollLock", display)
    assert not isinstance(first, str), first
    try:
        second = global_hotkey.start("ScrollLock", display)
        assert isinstance(second, str) and "already taken" in second
    finally:
        first.stop()
    assert "not a key" in str(global_hotkey.start("NoSuchKey", display))
