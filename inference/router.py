"""The router: an ordered list of backends, a privacy switch, and fallback on failure.

Each request leaves a `RouteRecord` saying which backend answered and why the ones
before it did not.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from inference.backend import Backend
from inference.errors import AllBackendsFailed, InferenceError, InvalidRequest
from inference.messages import ChatRequest, Fallback, Finished, StreamEvent

log = logging.getLogger(__name__)


@dataclass
class Attempt:
    """One backend's part in a request: answered, failed or skipped, and why."""

    backend: str
    outcome: str
    reason: str = ""
    seconds: float = 0.0


@dataclass
class RouteRecord:
    """Which backend answered a request, and what happened to the others."""

    answered_by: str | None = None
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def fell_back(self) -> bool:
        return any(a.outcome == "failed" for a in self.attempts)

    def to_dict(self) -> dict[str, Any]:
        return {"answered_by": self.answered_by, "fell_back": self.fell_back,
                "attempts": [asdict(a) for a in self.attempts]}


class Router:
    """Tries backends in order; a remote one only while `allow_cloud` is on."""

    def __init__(self, backends: Sequence[Backend], allow_cloud: bool = False,
                 remote: Sequence[str] = ()) -> None:
        self.backends = list(backends)
        self.allow_cloud = allow_cloud
        self.remote = set(remote)
        self.last_record = RouteRecord()

    def _eligible(self, record: RouteRecord) -> list[Backend]:
        eligible = []
        for backend in self.backends:
            if backend.name in self.remote and not self.allow_cloud:
                record.attempts.append(Attempt(
                    backend.name, "skipped",
                    "privacy.allow_cloud is off: nothing leaves this machine"))
            else:
                eligible.append(backend)
        return eligible

    def stream(self, request: ChatRequest) -> Iterator[StreamEvent]:
        """Answer with the first backend that can, announcing each fallback."""
        request.validate()
        record = self.last_record = RouteRecord()
        eligible = self._eligible(record)
        for position, backend in enumerate(eligible):
            start = time.perf_counter()
            try:
                for event in backend.stream(request):
                    if isinstance(event, Finished):
                        record.answered_by = backend.name
                        record.attempts.append(Attempt(
                            backend.name, "answered", seconds=time.perf_counter() - start))
                    yield event
                return
            except InvalidRequest:
                raise
            except InferenceError as exc:
                record.attempts.append(Attempt(backend.name, "failed", str(exc),
                                               time.perf_counter() - start))
                log.warning("backend %s failed: %s", backend.name, exc)
                if position + 1 < len(eligible):
                    yield Fallback(backend.name, eligible[position + 1].name, str(exc))
        raise AllBackendsFailed(self._explain(record))

    @staticmethod
    def _explain(record: RouteRecord) -> str:
        if not record.attempts:
            return "no backend is configured (inference.order is empty)"
        lines = "; ".join(f"{a.backend} {a.outcome}: {a.reason}" for a in record.attempts)
        return f"no backend could answer ({lines})"

    def close(self) -> None:
        for backend in self.backends:
            backend.close()
