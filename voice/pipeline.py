"""One spoken turn: utterance → transcript → the reply's tokens → sentences → speech →
the speaker, with an observer outside the pipeline taking the times that matter:
end of speech → final transcript → first token → first audio."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from voice.frames import Interrupt, SpeechFrame
from voice.listening import IncrementalTranscriber
from voice.speaker import Speaker
from voice.stt import SpeechToText
from voice.tts import SentenceBuffer, TextToSpeech

Respond = Callable[[str], Iterator[str]]  # the person's words in, the reply's tokens out


@dataclass
class LatencyObserver:
    """Marks of one turn, in monotonic seconds; `stages` breaks the latency down."""

    marks: dict[str, float] = field(default_factory=dict)

    def mark(self, name: str) -> None:
        self.marks.setdefault(name, time.monotonic())

    def stages(self) -> dict[str, float | None]:
        def between(a: str, b: str) -> float | None:
            if a in self.marks and b in self.marks:
                return round(self.marks[b] - self.marks[a], 4)
            return None

        return {"transcribe_s": between("end_of_speech", "final_transcript"),
                "first_token_s": between("final_transcript", "first_token"),
                "first_audio_s": between("first_token", "first_audio"),
                "voice_to_voice_s": between("end_of_speech", "first_audio")}


@dataclass
class SpokenTurn:
    """What one spoken turn heard and said."""

    heard: str
    said: list[str]
    latency: dict[str, float | None]

    def to_dict(self) -> dict[str, Any]:
        return {"heard": self.heard, "said": self.said, "latency": self.latency}


class VoicePipeline:
    """Speech in, speech out, sentence by sentence; `interrupt` is barge-in."""

    def __init__(self, stt: SpeechToText, tts: TextToSpeech, speaker: Speaker,
                 respond: Respond) -> None:
        self.stt, self.tts, self.speaker, self.respond = stt, tts, speaker, respond
        self._cancel = threading.Event()
        self._first_audio = threading.Event()
        self.observer = LatencyObserver()
        speaker.on_start = self._started

    def _started(self, frame: SpeechFrame) -> None:
        self.observer.mark("first_audio")
        self._first_audio.set()

    def interrupt(self) -> None:
        """Stop speaking now and say nothing more of the current reply."""
        self._cancel.set()
        self.speaker.push(Interrupt())

    def handle(self, utterance: np.ndarray,
               heard_so_far: IncrementalTranscriber | None = None) -> SpokenTurn | None:
        """Answer one utterance; None when it held no speech (silence makes no turn).

        With `heard_so_far` (it transcribed while the key was held) only the tail is
        transcribed now."""
        self._cancel.clear()
        self._first_audio.clear()
        self.observer = LatencyObserver()
        self.observer.mark("end_of_speech")
        heard = (heard_so_far.finish(utterance) if heard_so_far
                 else self.stt.transcribe(utterance))
        self.observer.mark("final_transcript")
        if heard.empty:
            return None
        return self.reply(heard.text)

    def reply(self, text: str, respond: Respond | None = None) -> SpokenTurn:
        """Speak the reply to `text` (heard, or typed); `respond` overrides the pipeline's
        own (a typed message answered in its own thread)."""
        self._cancel.clear()
        self.observer.mark("final_transcript")
        said: list[str] = []
        buffer = SentenceBuffer()
        for token in (respond or self.respond)(text):
            self.observer.mark("first_token")
            if self._cancel.is_set():
                break
            for sentence in buffer.feed(token):
                said.append(self._speak(sentence))
        if not self._cancel.is_set():
            said += [self._speak(s) for s in buffer.flush()]
        said = [s for s in said if s]
        if said:  # the latency is known once the first sentence sounds
            self._first_audio.wait(10)
        return SpokenTurn(text, said, self.observer.stages())

    def _speak(self, sentence: str) -> str:
        if self._cancel.is_set():
            return ""
        speech = self.tts.speak(sentence)
        if self._cancel.is_set():  # pressed while it was being synthesised
            return ""
        self.speaker.say(SpeechFrame(sentence, speech.audio, speech.rate))
        return sentence
