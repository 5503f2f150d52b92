"""Desktop start-up: how long from launching `famulus run` until its window is on screen,
against a bare PySide6 window launched the same way (the ratio), on a private Xvfb.

Each launch is a fresh process with a fresh home (the first-run dialog comes up), timed
until X maps a window with the title asked for. The packaged app (dist/famulus, from
`make package`) is timed too when it is there.

    .venv/bin/python bench/desktop.py [--runs 5] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BARE = ("from PySide6.QtWidgets import QApplication, QMainWindow\n"
        "app = QApplication([]); w = QMainWindow(); w.setWindowTitle('Bare'); w.show()\n"
        "app.exec()")


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    number = next(n for n in range(120, 200) if not Path(f"/tmp/.X{n}-lock").exists())
    name = f":{number}"
    server = subprocess.Popen(["Xvfb", name, "-screen", "0", "1280x900x24", "-nolisten",
                               "tcp", "-noreset"], stderr=subprocess.DEVNULL)
    while subprocess.run(["xprop", "-root", "-display", name],
                         capture_output=True).returncode != 0:
        time.sleep(0.1)
    return server, name


def mapped_titles(display: Any) -> set[str]:
    from Xlib import X, error

    titles = set()
    for window in display.screen().root.query_tree().children:
        try:
            if window.get_attributes().map_state == X.IsViewable:
                titles.add(window.get_wm_name() or "")
        except error.BadWindow:  # a window that went away while we looked
            continue
    return titles


def time_to_window(command: list[str], title: str, display_name: str,
                   env: dict[str, str]) -> float:
    """Seconds from launching `command` until a window titled `title` is mapped."""
    from Xlib.display import Display

    display = Display(display_name)
    begun = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        while title not in mapped_titles(display):
            if process.poll() is not None or time.perf_counter() - begun > 60:
                raise RuntimeError(f"{command[0]} exited or showed no {title!r} window")
            time.sleep(0.01)
        return time.perf_counter() - begun
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        display.close()


def measure(runs: int) -> dict[str, Any]:
    server, name = start_xvfb()
    figures: dict[str, Any] = {}
    try:
        base = {k: v for k, v in os.environ.items() if not k.startswith("FAMULUS_")}
        base.update({"DISPLAY": name, "QT_QPA_PLATFORM": "xcb",
                     "FAMULUS_CACHE_DIR": str(ROOT / ".cache")})
        launches = {"bare PySide6 window": ([sys.executable, "-c", BARE], "Bare"),
                    "famulus run": ([str(ROOT / ".venv" / "bin" / "famulus"), "run"],
                                    "Famulus")}
        packaged = ROOT / "dist" / "famulus" / "famulus"
        if packaged.exists():
            launches["packaged famulus run"] = ([str(packaged), "run"], "Famulus")
        for label, (command, title) in launches.items():
            times = []
            for _ in range(runs):
                with tempfile.TemporaryDirectory() as home:
                    times.append(time_to_window(command, title, name,
                                                {**base, "FAMULUS_HOME": home}))
            figures[label] = {"median_s": round(statistics.median(times), 3),
                              "max_s": round(max(times), 3)}
        bare = figures["bare PySide6 window"]["median_s"]
        for label in figures:
            figures[label]["ratio_to_bare"] = round(figures[label]["median_s"] / bare, 2)
    finally:
        server.terminate()
        server.wait(10)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not shutil.which("Xvfb"):
        print("Xvfb is needed: sudo apt install xvfb", file=sys.stderr)
        return 1
    figures = measure(args.runs)
    for label, row in figures.items():
        print(f"{label:24} median {row['median_s']:.2f} s  max {row['max_s']:.2f} s  "
              f"×{row['ratio_to_bare']:.1f} the bare window")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
