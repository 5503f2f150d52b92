"""The executor: time limits, retries for retryable failures only, cancellation."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tools.boundaries import Boundaries
from tools.context import Outcome, ToolContext
from tools.declare import Tool
from tools.errors import Cancelled, ToolFailed, ToolTimeout
from tools.executor import execute
from tools.manifest import Manifest, RetryPolicy, Risk


def make(run: Any, attempts: int = 3, timeout_s: float = 5.0) -> Tool:
    manifest = Manifest("t", "test", {"type": "object", "properties": {}}, "data_processing",
                        Risk.READ, timeout_s=timeout_s,
                        retry=RetryPolicy(attempts, initial_s=0.01, max_s=0.02))
    return Tool(manifest, run)


def ctx(tmp_path: Path) -> ToolContext:
    return ToolContext(Boundaries((tmp_path,)), tmp_path)


def test_retryable_failures_are_retried_with_backoff(tmp_path: Path) -> None:
    tries: list[int] = []
    waits: list[float] = []

    def flaky(c: ToolContext, a: dict[str, Any]) -> Outcome:
        tries.append(1)
        if len(tries) < 3:
            raise ToolFailed("connection refused", retryable=True)
        return Outcome("ok")

    assert execute(make(flaky), {}, ctx(tmp_path), sleep=waits.append).result == "ok"
    assert len(tries) == 3 and len(waits) == 2


def test_other_failures_are_not_retried(tmp_path: Path) -> None:
    tries: list[int] = []

    def broken(c: ToolContext, a: dict[str, Any]) -> Outcome:
        tries.append(1)
        raise ToolFailed("bad request")

    with pytest.raises(ToolFailed, match="bad request"):
        execute(make(broken), {}, ctx(tmp_path), sleep=lambda s: None)
    assert len(tries) == 1


def test_timeout_stops_the_attempt_and_retries(tmp_path: Path) -> None:
    stopped: list[bool] = []

    def stuck(c: ToolContext, a: dict[str, Any]) -> Outcome:
        stopped.append(c.cancel.wait(5))
        return Outcome("late")

    with pytest.raises(ToolTimeout, match=r"longer than 0\.2 s"):
        execute(make(stuck, attempts=2, timeout_s=0.2), {}, ctx(tmp_path),
                sleep=lambda s: None)
    time.sleep(0.1)
    assert stopped == [True, True]  # each timed-out attempt was told to stop


def test_cancel_stops_at_once(tmp_path: Path) -> None:
    c = ctx(tmp_path)

    def slow(inner: ToolContext, a: dict[str, Any]) -> Outcome:
        inner.cancel.wait(5)
        inner.check_cancelled()
        return Outcome("never")

    threading.Timer(0.1, c.cancel.set).start()
    with pytest.raises(Cancelled):
        execute(make(slow), {}, c)


def test_bugs_propagate(tmp_path: Path) -> None:
    def bug(c: ToolContext, a: dict[str, Any]) -> Outcome:
        raise KeyError("oops")

    with pytest.raises(KeyError):
        execute(make(bug), {}, ctx(tmp_path))
