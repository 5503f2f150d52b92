"""A private X server (Xvfb) for tests that need a real display."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_display() -> str:
    """The first display number from 90 with no server (lock file or socket)."""
    number = next(n for n in range(90, 200) if not Path(f"/tmp/.X{n}-lock").exists()
                  and not Path(f"/tmp/.X11-unix/X{n}").exists())
    return f":{number}"


@contextmanager
def xvfb(size: str = "1280x900x24") -> Iterator[str]:
    """Start Xvfb on a free display, wait until it takes connections, yield its name."""
    for tool in ("Xvfb", "xprop"):
        assert shutil.which(tool), f"{tool} is missing: make test installs it (apt)"
    name = free_display()
    # -noreset: by default Xvfb resets when its last client leaves, and a client that
    # connects during the reset has its connection closed
    server = subprocess.Popen(["Xvfb", name, "-screen", "0", size, "-nolisten", "tcp",
                               "-noreset"])
    try:
        deadline = time.monotonic() + 20
        while subprocess.run(["xprop", "-root", "-display", name], capture_output=True
                             ).returncode != 0:
            assert server.poll() is None and time.monotonic() < deadline, \
                f"Xvfb on {name} did not start"
            time.sleep(0.2)
        yield name
    finally:
        server.terminate()
        server.wait(10)


def wait_for_tray(name: str, timeout: float = 20.0) -> None:
    """Wait until a tray host owns the system tray selection (_NET_SYSTEM_TRAY_S0)."""
    from Xlib import X
    from Xlib.display import Display

    display = Display(name)
    try:
        selection = display.intern_atom("_NET_SYSTEM_TRAY_S0")
        deadline = time.monotonic() + timeout
        while display.get_selection_owner(selection) == X.NONE:
            assert time.monotonic() < deadline, f"no tray host took the tray on {name}"
            time.sleep(0.1)
    finally:
        display.close()
