"""The session's thread: a plain Python thread that runs requests one at a time.

Not a QThread: under a QThread the graph engine (Kùzu, a pybind11 module) crashed in a
query now and then, re-taking the GIL with a Python thread state that was no longer
there; a Python thread keeps one thread state for its lifetime, as the CLI's threads do.
Results go back as Qt signals, which Qt queues to the GUI thread.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class Worker:
    """Runs submitted calls in order on one thread; `stop` lets the current one finish."""

    def __init__(self, name: str = "famulus-session") -> None:
        self._calls: queue.Queue[tuple[Callable[..., Any], tuple[Any, ...]] | None] = \
            queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def submit(self, call: Callable[..., Any], *args: Any) -> None:
        self._calls.put((call, args))

    def _run(self) -> None:
        while (item := self._calls.get()) is not None:
            call, args = item
            try:
                call(*args)
            except Exception:  # a bug: logged, and the window goes on
                log.exception("the session failed in %s", getattr(call, "__name__", call))

    def stop(self, finally_run: Callable[[], Any] | None = None, timeout: float = 60.0
             ) -> bool:
        """Finish what runs now, drop what waits, then run `finally_run` (closing up) on
        the thread; False if it did not end in time."""
        while True:
            try:
                self._calls.get_nowait()
            except queue.Empty:
                break
        if finally_run is not None:
            self._calls.put((finally_run, ()))
        self._calls.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def on_thread(self) -> bool:
        return threading.current_thread() is self._thread
