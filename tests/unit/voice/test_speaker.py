"""The speaker's barge-in, with a fake player that plays in 10 ms blocks."""

from __future__ import annotations

import threading
import time

import numpy as np

from voice.frames import AudioFrame, Interrupt, SpeechFrame, TextFrame, drop_cancelled
from voice.speaker import Speaker


def fake_player(log: list[str]):
    def play(audio: np.ndarray, rate: int, stop: threading.Event) -> bool:
        for _ in range(int(len(audio) / rate / 0.01)):
            if stop.is_set():
                log.append("stopped")
                return False
            time.sleep(0.01)
        return True

    return play


def sentence(text: str, seconds: float = 0.3) -> SpeechFrame:
    return SpeechFrame(text, np.zeros(int(16000 * seconds), np.float32), 16000)


def test_sentences_play_in_order() -> None:
    log: list[str] = []
    speaker = Speaker(fake_player(log))
    for text in ("One.", "Two.", "Three."):
        speaker.say(sentence(text, 0.05))
    speaker.wait(5)
    assert speaker.played == ["One.", "Two.", "Three."]
    speaker.close()


def test_barge_in_stops_within_100_ms_and_drops_what_waits() -> None:
    log: list[str] = []
    started = threading.Event()
    speaker = Speaker(fake_player(log), on_start=lambda f: started.set())
    speaker.say(sentence("A long first sentence.", 2.0))
    for text in ("Stale two.", "Stale three."):
        speaker.say(sentence(text))
    assert started.wait(2)
    time.sleep(0.1)
    pressed = time.monotonic()
    speaker.push(Interrupt())
    speaker.wait(2)
    assert speaker.stopped_at is not None and speaker.stopped_at - pressed < 0.1
    speaker.say(sentence("Fresh.", 0.05))
    speaker.wait(2)
    assert speaker.played == ["Fresh."]  # nothing from before the press
    speaker.close()


def test_interrupts_cancel_data_frames_only() -> None:
    frames = [AudioFrame(np.zeros(10, np.float32)), TextFrame("x"), Interrupt()]
    assert drop_cancelled(frames) == [Interrupt()]
