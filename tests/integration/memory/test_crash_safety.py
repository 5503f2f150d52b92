"""A writer killed with SIGKILL at random moments loses nothing it acknowledged."""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from memory.hygiene import check
from tests.memory_helpers import create, open_memory

ROOT = Path(__file__).resolve().parents[3]
KILLS = 50


def run_and_kill(root: Path, start: int, delay: float) -> list[str]:
    """Start a writer, let it write for `delay` seconds after it is ready, SIGKILL it."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.integration.memory.crash_writer",
                             str(root), str(start)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=os.environ.copy())
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = None
    while True:
        if deadline is not None and time.monotonic() >= deadline:
            break
        wait = 30.0 if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([proc.stdout], [], [], wait)
        if not ready:
            continue
        line = proc.stdout.readline()
        if not line:
            break
        if line.strip() == "ready":
            deadline = time.monotonic() + delay
        else:
            lines.append(line.strip())
    proc.send_signal(signal.SIGKILL)
    rest, _ = proc.communicate()
    lines += [x for x in rest.split() if x != "ready"]  # printed before the kill: acked
    return lines


@pytest.mark.slow
def test_every_acknowledged_event_survives_sigkill(tmp_path: Path) -> None:
    root = tmp_path / "memory"
    create(root)
    rng = random.Random(11)
    acked: list[str] = []
    for round_ in range(KILLS):
        acked += run_and_kill(root, round_ * 1000, rng.uniform(0.0, 0.6))
        memory = open_memory(root)
        try:
            missing = set(acked) - memory.log.known(acked)
            assert not missing, f"round {round_}: acknowledged events lost: {missing}"
            assert set(acked) <= memory.stores.episodic.ids()
            memory.facts("item1")
            if round_ % 10 == 9:
                assert check(memory)["ok"]
        finally:
            memory.close(lock=rng.random() < 0.3)  # sometimes reopen from the snapshot
    assert len(acked) > KILLS
