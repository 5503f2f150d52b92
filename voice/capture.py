"""Push-to-talk capture: the microphone runs all the time into a short ring buffer, so a
press keeps about half a second from before it (Whisper drops the first word without that
pre-roll); release hands back the utterance.

Any trigger drives it: `press()` and `release()` are all it needs (a window key, a global
hotkey, the terminal).
"""

from __future__ import annotations

import threading
import time
from collections import deque

import numpy as np

from voice.audio import STT_RATE
from voice.errors import NoAudioDevice
from voice.playback import sounddevice_module

BLOCK = 800  # 50 ms at 16 kHz
SILENT_FOR_S = 1.0  # no block for this long: the microphone has gone
FIRST_BLOCK_S = 5.0  # a PulseAudio source can take two seconds to deliver its first block


class Recorder:
    """The microphone, a pre-roll ring buffer, and the utterance being held."""

    def __init__(self, device: str | int | None = None, pre_roll_s: float = 0.5,
                 max_s: float = 60.0, rate: int = STT_RATE) -> None:
        self.rate, self.max_blocks = rate, int(max_s * rate / BLOCK)
        self._ring: deque[np.ndarray] = deque(maxlen=max(1, int(pre_roll_s * rate / BLOCK)))
        self._held: list[np.ndarray] | None = None
        self._lock = threading.Lock()
        self.opened = time.monotonic()
        self.last_block: float | None = None
        sd = sounddevice_module()
        try:
            self.stream = sd.InputStream(samplerate=rate, channels=1, dtype="float32",
                                         blocksize=BLOCK, device=device or None,
                                         callback=self._block)
            self.stream.start()
        except sd.PortAudioError as exc:
            raise NoAudioDevice(f"no microphone ({exc}); type instead, or connect one and "
                                "set voice.input_device") from None

    def _block(self, data: np.ndarray, frames: int, time_info: object, status: object) -> None:
        block = data[:, 0].copy()
        self.last_block = time.monotonic()
        with self._lock:
            if self._held is not None and len(self._held) < self.max_blocks:
                self._held.append(block)
            else:
                self._ring.append(block)

    @property
    def recording(self) -> bool:
        return self._held is not None

    @property
    def present(self) -> bool:
        """Whether the microphone still delivers sound (a pulled device stops doing so,
        often without any error)."""
        if not self.stream.active:
            return False
        if self.last_block is None:
            return time.monotonic() - self.opened < FIRST_BLOCK_S
        return time.monotonic() - self.last_block < SILENT_FOR_S

    @property
    def level(self) -> float:
        """The loudness of the latest block, 0..1 (for a listening indicator)."""
        with self._lock:
            source = self._held if self._held else self._ring
            last = source[-1] if source else None
        return 0.0 if last is None else min(1.0, float(np.sqrt(np.mean(last ** 2))) * 4)

    def snapshot(self) -> np.ndarray:
        """The utterance held so far (empty when the key is not held)."""
        with self._lock:
            held = list(self._held or [])
        return np.concatenate(held) if held else np.zeros(0, np.float32)

    def press(self) -> None:
        """Start an utterance, with the pre-roll already in it."""
        with self._lock:
            self._held = list(self._ring)
            self._ring.clear()

    def release(self) -> np.ndarray:
        """End the utterance: 16 kHz mono float32 (empty if there was no press)."""
        with self._lock:
            held, self._held = self._held or [], None
        if not self.present:
            raise NoAudioDevice("the microphone went away while recording; type instead")
        return np.concatenate(held) if held else np.zeros(0, np.float32)

    def close(self) -> None:
        self.stream.close()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
