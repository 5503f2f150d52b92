"""Audio as numbers: reading files, resampling, writing WAV. Speech-to-text works at 16 kHz
mono float32 in [-1, 1]."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from voice.errors import AudioFileError

STT_RATE = 16_000


def resample(audio: np.ndarray, rate: int, to_rate: int = STT_RATE) -> np.ndarray:
    """Linear resampling: enough for speech recognition, and cheap."""
    if rate == to_rate or len(audio) == 0:
        return audio.astype(np.float32, copy=False)
    count = round(len(audio) * to_rate / rate)
    positions = np.linspace(0, len(audio) - 1, count)
    return np.interp(positions, np.arange(len(audio)), audio).astype(np.float32)


def read_file(path: Path) -> np.ndarray:
    """Any file ffmpeg (through PyAV) reads — wav, flac, mp3, ogg, m4a — as 16 kHz mono."""
    if not path.is_file():
        raise AudioFileError(f"{path}: no such file")
    from faster_whisper import decode_audio

    try:
        audio = decode_audio(str(path), sampling_rate=STT_RATE)
    except Exception as exc:  # PyAV raises many kinds; all mean "not audio we can read"
        raise AudioFileError(f"{path} is not an audio file Famulus can read (wav, flac, "
                             f"mp3, ogg, m4a): {type(exc).__name__}: {exc}") from None
    if audio.size == 0:
        raise AudioFileError(f"{path} holds no audio")
    return audio


def write_wav(path: Path, audio: np.ndarray, rate: int) -> None:
    """16-bit mono WAV."""
    samples = np.clip(audio, -1.0, 1.0) if audio.dtype != np.int16 else audio
    pcm = samples if samples.dtype == np.int16 else (samples * 32767).astype(np.int16)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
