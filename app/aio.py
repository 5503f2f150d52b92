"""Async access to blocking streams (a turn, a backend): the stream runs in a worker
thread.

llama.cpp and httpx's sync client block; an event loop that awaits `astream` stays free,
and closing the async iterator early stops the worker at the next event and closes the
stream on its own thread (so a turn's lock is let go there).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TypeVar

T = TypeVar("T")

_DONE = object()


async def astream(start: Callable[[], Iterator[T]]) -> AsyncIterator[T]:
    """Iterate `start()` in a worker thread, yielding its events on the event loop."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[object] = asyncio.Queue(maxsize=64)
    stop = threading.Event()

    def put(item: object) -> None:
        asyncio.run_coroutine_threadsafe(queue.put(item), loop).result()

    def work() -> None:
        events = start()
        try:
            for event in events:
                if stop.is_set():
                    break
                put(event)
            else:
                put(_DONE)
        except BaseException as exc:  # handed to the awaiting side, which re-raises it
            put(exc)
        finally:
            # Close the stream here, on its own thread, so a backend's lock is let go now.
            close = getattr(events, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=work, name="famulus-stream", daemon=True)
    worker.start()
    try:
        while True:
            item = await queue.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while worker.is_alive():  # let a blocked put finish so the thread can end
            try:
                queue.get_nowait()
            except asyncio.QueueEmpty:
                await asyncio.sleep(0.01)
