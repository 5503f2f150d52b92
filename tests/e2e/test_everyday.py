"""A day with Famulus, in short: a representative part of the everyday requests
(bench/everyday_cases.py) in a real world (Radicale, an SMTP server, a web server, a
granted folder, encrypted memory), through the CLI's path and through the window, with
the light model. Each request's effect and answer are checked; bench/everyday.py runs all
of them with the default model."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.everyday import AppFront, run_all
from bench.everyday_cases import cases
from bench.everyday_world import World, world

pytestmark = pytest.mark.slow

# One per kind of request the light model can carry: a note, the files, a data question,
# a task in the calendar, memory across a restart, no tool, and a refused path.
CHOSEN = ("make a note called groceries with milk and eggs",
          "what files are in my documents folder?",
          "what is the average of column price in data.csv?",
          "put buy milk on my to-do list",
          "remember that my locker number at the gym is 4411",
          "what is my gym locker number?",
          "what is the capital of France?",
          "read the file /etc/hostname")
IN_THE_WINDOW = CHOSEN[:3]


@pytest.fixture
def everyday(tmp_path: Path, light_model: Path, monkeypatch: pytest.MonkeyPatch
             ) -> Iterator[World]:
    for name in list(os.environ):
        if name.startswith("FAMULUS_") and name not in ("FAMULUS_CACHE_DIR",
                                                        "FAMULUS_RAM_DIR"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("FAMULUS_INFERENCE_TEMPERATURE", "0")
    monkeypatch.setenv("FAMULUS_MODELS_THREADS", "2")
    with world(tmp_path) as w:
        yield w


def chosen(w: World, names: tuple[str, ...]) -> list:
    by_name = {c.name: c for c in cases(w.web.url)}
    return [by_name[n] for n in names]


def test_everyday_requests_through_the_cli_path(everyday: World) -> None:
    front = AppFront(everyday.home, "light")
    try:
        outcomes = run_all(front, everyday, chosen(everyday, CHOSEN))
    finally:
        front.close()
    failed = [(o.request, o.why, o.answer) for o in outcomes if not o.ok]
    assert not failed, failed


def test_everyday_requests_through_the_window(everyday: World, qapp) -> None:
    from bench.everyday_window import window_front

    with window_front(everyday.home, "light") as front:
        outcomes = run_all(front, everyday, chosen(everyday, IN_THE_WINDOW))
    failed = [(o.request, o.why, o.answer) for o in outcomes if not o.ok]
    assert not failed, failed
