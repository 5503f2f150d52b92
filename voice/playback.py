"""Playing speech through the default output device (sounddevice's OutputStream.write:
`sd.play` cut clips short in a probe). No device, or no PortAudio, is NoAudioDevice."""

from __future__ import annotations

import threading

import numpy as np

from voice.errors import NoAudioDevice

BLOCK = 1024
# Sound servers and devices can swallow the first moments of a new stream (the first word
# went missing through PulseAudio under load): each stream starts with this much silence.
LEAD_IN_S = 0.15


def sounddevice_module():  # type: ignore[no-untyped-def]
    try:
        import sounddevice
    except OSError as exc:  # libportaudio2 is not installed
        raise NoAudioDevice(f"no audio system: {exc} (install libportaudio2)") from None
    return sounddevice


def play(audio: np.ndarray, rate: int, stop: threading.Event | None = None,
         device: str | int | None = None) -> bool:
    """Play mono float32 audio to the end, or until `stop` is set (then False)."""
    sd = sounddevice_module()
    audio = np.concatenate([np.zeros(int(rate * LEAD_IN_S), np.float32),
                            np.asarray(audio, np.float32)])
    try:
        with sd.OutputStream(samplerate=rate, channels=1, dtype="float32",
                             device=device or None, blocksize=BLOCK) as stream:
            for start in range(0, len(audio), BLOCK):
                if stop is not None and stop.is_set():
                    stream.abort()
                    return False
                stream.write(np.ascontiguousarray(audio[start:start + BLOCK],
                                                  dtype=np.float32).reshape(-1, 1))
    except sd.PortAudioError as exc:
        raise NoAudioDevice(f"no sound output device ({exc}); write to a file instead "
                            "(famulus say --out reply.wav)") from None
    return True
