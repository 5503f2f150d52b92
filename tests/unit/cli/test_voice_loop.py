"""`famulus voice`'s loop with stand-in engines and microphone: a spoken turn is heard and
answered, typed lines are answered, and a microphone that goes away leaves the text."""

from __future__ import annotations

import io

import numpy as np

from cli.voice_loop import _loop
from tests.unit.voice.test_listening import energy_spans
from tests.unit.voice.test_pipeline import Ears, Mouth, tokens
from tests.unit.voice.test_speaker import fake_player
from voice.errors import NoAudioDevice
from voice.listening import IncrementalTranscriber
from voice.pipeline import VoicePipeline
from voice.speaker import Speaker


class Microphone:
    def __init__(self, goes_away: bool = False) -> None:
        self.goes_away, self.closed, self.presses = goes_away, False, 0

    present = True

    def press(self) -> None:
        self.presses += 1

    def snapshot(self) -> np.ndarray:
        return np.ones(8000, np.float32)

    def release(self) -> np.ndarray:
        if self.goes_away:
            raise NoAudioDevice("the microphone went away while recording; type instead")
        return np.ones(8000, np.float32)

    def close(self) -> None:
        self.closed = True


def run(keys: str, mic: Microphone) -> str:
    speaker = Speaker(fake_player([]))
    ears = Ears("what time is it")
    pipeline = VoicePipeline(ears, Mouth(), speaker, tokens("It is noon."))
    out = io.StringIO()
    assert _loop(pipeline, mic, speaker, io.StringIO(keys), out,
                 IncrementalTranscriber(ears, energy_spans)) == 0
    speaker.close()
    return out.getvalue()


def test_a_spoken_turn_is_heard_and_answered() -> None:
    out = run("\n\n", Microphone())
    assert "listening" in out
    assert "you: what time is it\nfamulus: It is noon." in out


def test_a_microphone_that_went_away_leaves_the_text() -> None:
    mic = Microphone(goes_away=True)
    out = run("\n\nhello\n\n", mic)
    assert "[the microphone went away while recording; type instead]" in out
    assert mic.closed and mic.presses == 1  # no more listening after it went away
    assert "you: hello\nfamulus: It is noon." in out
