"""The one interface every language-model backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any

from inference.messages import ChatRequest, StreamEvent


class Backend(ABC):
    """A source of chat completions: local llama.cpp or a cloud API.

    `stream` yields `TextDelta` and `ToolCallReady` events and ends with one `Finished`;
    expected failures raise an `InferenceError` subclass.
    """

    name: str = "backend"

    @abstractmethod
    def stream(self, request: ChatRequest) -> Iterator[StreamEvent]:
        """Answer `request`, streaming."""

    def status(self) -> dict[str, Any]:
        """A short description of this backend's state, for `famulus doctor`."""
        return {"name": self.name}

    def close(self) -> None:  # noqa: B027 - most backends hold nothing
        """Release what the backend holds (a loaded model, connections)."""
