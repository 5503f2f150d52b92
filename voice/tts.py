"""Text-to-speech: an engine interface, its Piper adapter, and sentences from a stream of
tokens (so speech starts after the first sentence, not the whole answer)."""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice.errors import VoiceModelMissing

# A sentence ends at . ! ? (or a line break) followed by space, unless the dot ends a short
# abbreviation or a number like 3.5.
_END = re.compile(r"(?<!\b[A-Z])(?<!\bMr)(?<!\bDr)(?<!\bMrs)(?<!\bMs)(?<!\bSt)"
                  r"(?<!\be\.g)(?<!\bi\.e)([.!?]+[\"')\]]*|\n)\s+")


@dataclass(frozen=True)
class Speech:
    """Audio for one piece of text."""

    text: str
    audio: np.ndarray  # float32 mono in [-1, 1]
    rate: int
    seconds: float  # time to synthesise

    @property
    def duration_s(self) -> float:
        return len(self.audio) / self.rate


class TextToSpeech(ABC):
    @abstractmethod
    def speak(self, text: str) -> Speech: ...


class PiperEngine(TextToSpeech):
    """Piper (onnxruntime) with a voice .onnx file and its .onnx.json beside it."""

    def __init__(self, voice: Path) -> None:
        if not voice.exists() or not voice.with_name(voice.name + ".json").exists():
            raise VoiceModelMissing(f"{voice} is not a Piper voice (an .onnx file with its "
                                    ".onnx.json beside it)")
        from piper import PiperVoice

        self.voice = PiperVoice.load(str(voice))
        self.rate = int(self.voice.config.sample_rate)

    def speak(self, text: str) -> Speech:
        start = time.perf_counter()
        chunks = [c.audio_float_array for c in self.voice.synthesize(text)]
        audio = np.concatenate(chunks).astype(np.float32) if chunks else \
            np.zeros(0, np.float32)
        return Speech(text, audio, self.rate, time.perf_counter() - start)


def sentences(text: str) -> list[str]:
    """`text` cut into sentences."""
    parts = _END.split(text.strip() + " ")
    out, current = [], ""
    for index, part in enumerate(parts):
        current += part
        if index % 2 == 1:  # a separator closes a sentence
            out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return [s for s in out if s]


class SentenceBuffer:
    """Feed it tokens; it hands back each sentence as soon as it is complete."""

    def __init__(self) -> None:
        self.text = ""

    def feed(self, token: str) -> Iterator[str]:
        self.text += token
        found = sentences(self.text)
        if not found:
            return
        if _ends_sentence(self.text):
            done, self.text = found, ""
        else:  # the last one is still being written: keep it, as written
            done = found[:-1]
            self.text = self.text[self.text.rfind(found[-1]):]
        yield from done

    def flush(self) -> Iterator[str]:
        rest, self.text = self.text.strip(), ""
        if rest:
            yield rest


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?][\"')\]]*\s+$", text))
