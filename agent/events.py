"""The events a turn streams to every interface (re-exported so interfaces import `agent`)."""

from inference.errors import InferenceError
from inference.messages import Fallback, Finished, StreamEvent, TextDelta, ToolCallReady

__all__ = ["Fallback", "Finished", "InferenceError", "StreamEvent", "TextDelta",
           "ToolCallReady"]
