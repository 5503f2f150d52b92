"""Unlocked copies in RAM name their owner; a copy whose owner is gone is wiped at the
next start, unless an unlock session keeps it on purpose."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from memory import ramdir


def folder(base: Path, name: str) -> Path:
    made = base / f"famulus-{os.getuid()}-{name}"
    made.mkdir(mode=0o700)
    (made / "episodes.lance").write_text("plaintext")
    return made


def test_a_dead_owners_copy_is_wiped_a_live_or_kept_one_is_not(tmp_path: Path) -> None:
    dead = folder(tmp_path, "dead")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    (dead / ramdir.OWNER_FILE).write_text(f"{gone.stdout.strip()} 1")
    alive = folder(tmp_path, "alive")
    ramdir.claim(alive)
    kept = folder(tmp_path, "kept")
    (kept / ramdir.OWNER_FILE).write_text("1 0")
    (kept / ramdir.SESSION_FILE).write_text("ab")  # `famulus memory unlock` keeps it
    fresh = folder(tmp_path, "fresh")  # being set up: no owner yet
    other = tmp_path / "famulus-0-not-mine" if os.getuid() else tmp_path / "unrelated"
    other.mkdir()
    assert ramdir.sweep(tmp_path) == [dead]
    assert not dead.exists() and alive.exists() and kept.exists() and fresh.exists()
    assert other.exists()


def test_a_reused_pid_is_not_taken_for_the_owner(tmp_path: Path) -> None:
    copy = folder(tmp_path, "reused")
    (copy / ramdir.OWNER_FILE).write_text(f"{os.getpid()} not-my-start-time")
    assert ramdir.sweep(tmp_path) == [copy]
