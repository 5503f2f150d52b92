"""The voice pipeline's data, as typed frames (in the manner of Pipecat).

Data frames carry audio and text from stage to stage. An Interrupt is a control frame: it
overtakes the data frames waiting in a queue and cancels them, so nothing said before the
person pressed the key again plays after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Frame:
    """Base: `cancellable` frames are dropped by an interruption."""

    @property
    def cancellable(self) -> bool:
        return True


@dataclass(frozen=True)
class AudioFrame(Frame):
    """Captured speech: 16 kHz mono float32."""

    samples: np.ndarray = field(repr=False)
    rate: int = 16_000


@dataclass(frozen=True)
class TranscriptFrame(Frame):
    text: str
    final: bool = True


@dataclass(frozen=True)
class TextFrame(Frame):
    """A sentence of the reply, ready to be spoken."""

    text: str


@dataclass(frozen=True)
class SpeechFrame(Frame):
    """A spoken sentence, ready to be played."""

    text: str
    samples: np.ndarray = field(repr=False)
    rate: int


@dataclass(frozen=True)
class Interrupt(Frame):
    """The person pressed push-to-talk while Famulus spoke: stop, and drop what waits."""

    @property
    def cancellable(self) -> bool:
        return False


def drop_cancelled(frames: list[Frame]) -> list[Frame]:
    """What survives an interruption: the control frames only."""
    return [f for f in frames if not f.cancellable]
