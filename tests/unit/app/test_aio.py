import asyncio
from collections.abc import Iterator

import pytest

from app.aio import astream
from inference.errors import BackendTimeout
from inference.messages import ChatMessage, ChatRequest, Finished, TextDelta
from inference.router import Router
from tests.fakes import ScriptedBackend

REQUEST = ChatRequest((ChatMessage("user", "hi"),))


def _collect(router: Router, limit: int | None = None) -> list:
    async def run() -> list:
        events = []
        async for event in astream(lambda: router.stream(REQUEST)):
            events.append(event)
            if limit and len(events) >= limit:
                break
        return events
    return asyncio.run(run())


def test_events_arrive_in_order_on_the_loop() -> None:
    events = _collect(Router([ScriptedBackend("local", ["a", "b", "c"])]))
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["a", "b", "c"]
    assert isinstance(events[-1], Finished)


def test_errors_cross_to_the_awaiting_side() -> None:
    async def run() -> None:
        backend = ScriptedBackend("local", ["a"], fail_after=0)
        async for _ in astream(lambda: backend.stream(REQUEST)):
            pass
    with pytest.raises(BackendTimeout):
        asyncio.run(run())


def test_leaving_early_stops_the_worker() -> None:
    words = [str(i) for i in range(1000)]
    events = _collect(Router([ScriptedBackend("local", words)]), limit=3)
    assert len(events) == 3


def test_leaving_early_closes_the_stream() -> None:
    closed: list[bool] = []

    def endless() -> Iterator[TextDelta]:
        try:
            while True:
                yield TextDelta("x")
        finally:
            closed.append(True)

    async def run() -> None:
        async for _ in astream(endless):
            break
    asyncio.run(run())
    assert closed == [True]
