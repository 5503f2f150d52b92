"""Transcription while the key is held, so that at release only the tail remains.

While the person speaks, a worker looks at the audio held so far every few hundred
milliseconds:

- at a short pause (0.15 s) the speech since the last settled piece is transcribed on
  trust; if the person lets go before saying more, that transcript is the answer;
- once more than `window_s` (10 s) waits unsettled, the speech before
  its last long pause (0.3 s) is settled: transcribed once, never again. Long pieces
  keep Whisper's context; short ones lost words at their start.

So at release there is usually nothing left to transcribe: the person paused before
letting go. Cutting only inside pauses keeps Whisper from seeing half a word, so the
pieces read as well as the whole.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from voice.audio import STT_RATE
from voice.stt import SpeechToText, Transcript

Spans = list[tuple[int, int]]  # speech as [start, end) sample indexes
SpeechSpans = Callable[[np.ndarray], Spans]
Snapshot = Callable[[], np.ndarray]


def silero_spans(pause_s: float = 0.3) -> SpeechSpans:
    """faster-whisper's bundled Silero VAD, unpadded, splitting at pauses of `pause_s`."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=int(pause_s * 1000), speech_pad_ms=0)

    def spans(audio: np.ndarray) -> Spans:
        return [(s["start"], s["end"]) for s in get_speech_timestamps(audio, options)]

    return spans


def settled_end(spans: Spans, length: int, pause: int) -> int:
    """Where the settled part of `length` samples ends: the middle of the last pause of at
    least `pause` samples after speech (0 when nothing is settled yet)."""
    cut = 0
    for i, (_, end) in enumerate(spans):
        following = spans[i + 1][0] if i + 1 < len(spans) else length
        if following - end >= pause:
            cut = end + (following - end) // 2
    return cut


@dataclass(frozen=True)
class Tentative:
    """The unsettled speech transcribed at a short pause: samples [0, cut) of the pending
    audio. It holds while no speech follows `cut`."""

    cut: int
    text: str
    language: str


class IncrementalTranscriber:
    """Transcribes an utterance in pieces while it is recorded.

    `start(snapshot)` begins watching the audio held so far; `finish(audio)` stops, waits
    for a piece being transcribed, transcribes what is left and returns the whole
    transcript. `on_partial` is told the text heard so far (for a live caption).
    """

    def __init__(self, stt: SpeechToText, speech_spans: SpeechSpans | None = None,
                 pause_s: float = 0.3, short_pause_s: float = 0.15, window_s: float = 10.0,
                 every_s: float = 0.1, on_partial: Callable[[str], None] | None = None) -> None:
        self.stt, self.every_s, self.on_partial = stt, every_s, on_partial
        self.speech_spans = speech_spans or silero_spans(short_pause_s)
        self.pause, self.short_pause = int(pause_s * STT_RATE), int(short_pause_s * STT_RATE)
        self.window = int(window_s * STT_RATE)
        self._stop = threading.Event()
        self._step = threading.Lock()
        self._thread: threading.Thread | None = None
        self.reset()

    def reset(self) -> None:
        self.pieces: list[str] = []
        self.done = 0  # samples settled
        self.tentative: Tentative | None = None
        self.language = "en"

    @property
    def text(self) -> str:
        return " ".join(p for p in self.pieces if p)

    def start(self, snapshot: Snapshot) -> None:
        """Watch the utterance being recorded; `snapshot` returns the audio held so far."""
        self.stop()
        self.reset()
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, args=(snapshot,),
                                        name="famulus-listening", daemon=True)
        self._thread.start()

    def _watch(self, snapshot: Snapshot) -> None:
        while not self._stop.wait(self.every_s):
            self.update(snapshot())

    def update(self, audio: np.ndarray) -> None:
        """Transcribe on trust what a short pause ended; settle a long stretch."""
        with self._step:
            pending = audio[self.done:]
            spans = self.speech_spans(pending) if len(pending) >= self.short_pause else []
            if not spans:
                return
            settled = (settled_end(spans, len(pending), self.pause)
                       if len(pending) > self.window else 0)
            if settled:
                self._settle(pending, spans, settled)
                return
            quick = settled_end(spans, len(pending), self.short_pause)
            if quick and not (self.tentative and self.tentative.cut == quick):
                self.tentative = self._transcribe(pending[:quick], quick)
            else:
                return
        self._tell()

    def _settle(self, pending: np.ndarray, spans: Spans, cut: int) -> None:
        # The trusted transcript stands for the piece only if it ends at or before the cut
        # with nothing said in between. One that reaches past the cut (it was made at a
        # short pause after the long one) holds words the next piece hears again.
        piece = self.tentative
        if not (piece and piece.cut <= cut and _silent_after(spans, piece.cut, cut)):
            piece = self._transcribe(pending[:cut], cut)
        self.pieces.append(piece.text)
        self.language, self.done, self.tentative = piece.language, self.done + cut, None
        self._tell()

    def _transcribe(self, audio: np.ndarray, cut: int) -> Tentative:
        spoken = self.stt.transcribe(audio, self.text)
        return Tentative(cut, spoken.text, spoken.language)

    def _tell(self) -> None:
        if self.on_partial:
            tentative = self.tentative.text if self.tentative else ""
            self.on_partial(" ".join(p for p in (self.text, tentative) if p))

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
            self._thread = None

    def finish(self, audio: np.ndarray) -> Transcript:
        """The whole utterance's transcript; only speech not yet heard is transcribed now."""
        begun = time.perf_counter()
        self.stop()
        with self._step:
            tail = np.asarray(audio[self.done:], dtype=np.float32)
            spans = self.speech_spans(tail) if len(tail) else []
            piece = self.tentative
            if spans and not (piece and _silent_after(spans, piece.cut, len(tail))):
                piece = self._transcribe(tail, len(tail))
            if spans and piece:
                self.pieces.append(piece.text)
                self.language = piece.language
            self.tentative = None
            return Transcript(self.text, self.language, len(audio) / STT_RATE,
                              time.perf_counter() - begun)


def _silent_after(spans: Spans, start: int, end: int) -> bool:
    """Whether no speech lies in [start, end)."""
    return not any(s < end and e > start for s, e in spans)
