"""Running a tool: a time limit, retries with backoff for retryable failures, cancellation.

The tool runs in a worker thread. On timeout or cancellation its context's cancel flag is
set (tools that loop or run programs check it; the sandbox kills its process) and the
caller gets ToolTimeout or Cancelled at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from tools.context import Outcome, ToolContext
from tools.declare import Tool
from tools.errors import Cancelled, ToolFailed, ToolTimeout

POLL_S = 0.02


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, ToolFailed) and exc.retryable


def execute(t: Tool, arguments: dict[str, Any], ctx: ToolContext,
            sleep: Callable[[float], None] = time.sleep) -> Outcome:
    """The tool's outcome, after at most `retry.attempts` tries."""
    policy = t.manifest.retry
    retrying = Retrying(stop=stop_after_attempt(policy.attempts),
                        wait=wait_exponential_jitter(multiplier=policy.initial_s,
                                                     max=policy.max_s),
                        retry=retry_if_exception(_retryable), reraise=True, sleep=sleep)
    return retrying(_attempt, t, arguments, ctx)


def _attempt(t: Tool, arguments: dict[str, Any], ctx: ToolContext) -> Outcome:
    ctx.check_cancelled()
    # Each attempt has its own stop flag: a timed-out attempt is told to stop without
    # stopping the retry; the caller's flag (ctx.cancel) stops everything.
    own = replace(ctx, cancel=threading.Event())
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["outcome"] = t.run(own, arguments)
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    worker = threading.Thread(target=work, name=f"tool-{t.name}", daemon=True)
    deadline = time.monotonic() + t.manifest.timeout_s
    worker.start()
    while worker.is_alive():
        worker.join(POLL_S)
        if not worker.is_alive():
            break
        if ctx.cancel.is_set():
            own.cancel.set()
            raise Cancelled(f"{t.name} was cancelled")
        if time.monotonic() > deadline:
            own.cancel.set()
            raise ToolTimeout(f"{t.name} took longer than {t.manifest.timeout_s:g} s")
    if "error" in box:
        raise box["error"]
    return box["outcome"]
