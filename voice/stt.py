"""Speech-to-text: an engine interface and its faster-whisper adapter.

The embedded Whisper base model runs int8 on the CPU and float16 on a CUDA GPU. A model is
always given as a folder, never as a size name: a name would make faster-whisper reach for
a model hub.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from voice.audio import STT_RATE, read_file
from voice.errors import VoiceModelMissing


@dataclass(frozen=True)
class Transcript:
    """What was said, and how long the audio and the work took."""

    text: str
    language: str
    audio_s: float
    seconds: float

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "real_time_factor": round(self.seconds / self.audio_s, 4)
                if self.audio_s else None}


class SpeechToText(ABC):
    """Turns 16 kHz mono float32 audio into text."""

    @abstractmethod
    def transcribe(self, audio: np.ndarray, context: str = "") -> Transcript:
        """`context` is what was said just before (it helps with a piece of an utterance)."""

    def transcribe_file(self, path: Path) -> Transcript:
        return self.transcribe(read_file(path))


def _device(device: str) -> tuple[str, str]:
    if device == "cpu":
        return "cpu", "int8"
    try:
        import ctranslate2

        cuda = ctranslate2.get_cuda_device_count() > 0
    except Exception:  # no CUDA runtime: the CPU it is
        cuda = False
    if device == "cuda" and not cuda:
        raise VoiceModelMissing("voice.device is 'cuda' but no CUDA GPU is usable here")
    return ("cuda", "float16") if cuda else ("cpu", "int8")


class WhisperEngine(SpeechToText):
    """faster-whisper over a CTranslate2 model folder."""

    def __init__(self, model_dir: Path, device: str = "auto", threads: int = 0,
                 language: str | None = "en") -> None:
        from faster_whisper import WhisperModel

        if not (model_dir / "model.bin").exists():
            raise VoiceModelMissing(f"{model_dir} is not a faster-whisper model folder "
                                    "(it has no model.bin)")
        self.device, compute = _device(device)
        self.language = language or None
        self.model = WhisperModel(str(model_dir), device=self.device, compute_type=compute,
                                  cpu_threads=threads)

    def transcribe(self, audio: np.ndarray, context: str = "") -> Transcript:
        start = time.perf_counter()
        audio = np.asarray(audio, dtype=np.float32)
        segments, info = self.model.transcribe(
            audio, language=self.language, beam_size=1, vad_filter=True,
            initial_prompt=context or None,
            condition_on_previous_text=False, without_timestamps=True)
        text = " ".join(s.text.strip() for s in segments).strip()
        return Transcript(text, info.language, len(audio) / STT_RATE,
                          time.perf_counter() - start)
