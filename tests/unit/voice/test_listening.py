"""Transcription while the key is held: speech ended by a short pause is transcribed on
trust, long stretches are settled at long pauses, each sample once, and at release only
speech not yet heard is transcribed."""

from __future__ import annotations

import threading

import numpy as np

from voice.listening import IncrementalTranscriber, settled_end
from voice.stt import SpeechToText, Transcript

RATE = 16000


def test_nothing_is_settled_while_speech_runs_on() -> None:
    assert settled_end([], 16000, 4800) == 0
    assert settled_end([(0, 15000)], 16000, 4800) == 0


def test_the_cut_falls_in_the_middle_of_the_last_long_pause() -> None:
    spans = [(0, 10000), (12000, 20000), (30000, 40000)]
    assert settled_end(spans, 42000, 4800) == 25000  # the 2,000-sample gap is too short
    assert settled_end(spans, 50000, 4800) == 45000  # trailing silence settles the end


def energy_spans(audio: np.ndarray) -> list[tuple[int, int]]:
    """Speech is any run of non-zero samples (a stand-in for the VAD)."""
    spans, start = [], None
    for i, loud in enumerate(np.abs(audio) > 0):
        if loud and start is None:
            start = i
        elif not loud and start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(audio)))
    return spans


class Counting(SpeechToText):
    """Hears word N for a burst of value N, and counts every sample it is given."""

    def __init__(self) -> None:
        self.samples = 0
        self.calls = 0

    def transcribe(self, audio: np.ndarray, context: str = "") -> Transcript:
        self.samples += len(audio)
        self.calls += 1
        words = [f"w{int(v)}" for v in dict.fromkeys(audio[audio > 0].round())]
        return Transcript(" ".join(words), "en", len(audio) / RATE, 0.0)


def speech(*words: int, gap_s: float = 0.5) -> np.ndarray:
    parts = []
    for word in words:
        parts += [np.full(int(0.4 * RATE), float(word), np.float32),
                  np.zeros(int(gap_s * RATE), np.float32)]
    return np.concatenate(parts)


def test_settled_pieces_are_transcribed_once_and_only_the_tail_at_release() -> None:
    stt = Counting()
    partials: list[str] = []
    listening = IncrementalTranscriber(stt, energy_spans, window_s=0,
                                       on_partial=partials.append)
    audio = speech(1, 2, 3)
    for end in range(RATE // 4, len(audio), RATE // 4):  # as the key is held
        listening.update(audio[:end])
    calls = stt.calls
    heard = listening.finish(np.concatenate([audio, np.full(RATE // 5, 4.0, np.float32)]))
    assert heard.text == "w1 w2 w3 w4"
    assert partials[-1] == "w1 w2 w3"
    assert stt.calls == calls + 1  # only the tail was left
    assert stt.samples <= len(audio) + RATE  # nothing transcribed twice


def test_a_pause_before_release_leaves_nothing_to_transcribe() -> None:
    stt = Counting()
    listening = IncrementalTranscriber(stt, energy_spans)
    audio = speech(5, 6, gap_s=0.2)
    for end in range(RATE // 10, len(audio) + 1, RATE // 10):
        listening.update(audio[:end])
    calls = stt.calls
    assert listening.done == 0  # short utterances stay whole: Whisper keeps the context
    assert listening.finish(audio).text == "w5 w6"
    assert stt.calls == calls


def test_speech_after_the_trusted_transcript_is_heard_with_it() -> None:
    stt = Counting()
    listening = IncrementalTranscriber(stt, energy_spans)
    first = speech(5, gap_s=0.2)
    listening.update(first)
    assert listening.tentative and listening.tentative.text == "w5"
    audio = np.concatenate([first, np.full(RATE // 5, 6.0, np.float32)])
    assert listening.finish(audio).text == "w5 w6"


def test_a_trusted_transcript_past_the_settling_cut_is_not_reused() -> None:
    """The trusted transcript covers w1 w2 (a short pause after w2); settling then cuts at
    the long pause after w1. Reusing "w1 w2" for that piece would hear w2 twice."""
    stt = Counting()
    listening = IncrementalTranscriber(stt, energy_spans, window_s=1.6)
    word = int(0.4 * RATE)
    audio = np.concatenate([np.full(word, 1.0, np.float32), np.zeros(RATE // 2, np.float32),
                            np.full(word, 2.0, np.float32), np.zeros(RATE // 5, np.float32),
                            np.full(word, 3.0, np.float32), np.zeros(RATE // 2, np.float32)])
    for end in range(RATE // 10, len(audio) + 1, RATE // 10):
        listening.update(audio[:end])
    assert listening.pieces[0] == "w1"
    assert listening.finish(audio).text == "w1 w2 w3"


def test_without_a_pause_the_whole_utterance_is_transcribed_at_release() -> None:
    stt = Counting()
    listening = IncrementalTranscriber(stt, energy_spans)
    audio = np.full(RATE, 7.0, np.float32)
    listening.update(audio)
    assert stt.calls == 0
    assert listening.finish(audio).text == "w7"


def test_the_watcher_polls_the_recording_until_finish() -> None:
    stt = Counting()
    listening = IncrementalTranscriber(stt, energy_spans, every_s=0.01)
    audio = speech(1, 2)
    polled = threading.Event()

    def snapshot() -> np.ndarray:
        polled.set()
        return audio

    listening.start(snapshot)
    assert polled.wait(2)
    heard = listening.finish(audio)
    assert heard.text == "w1 w2"
    assert listening._thread is None
