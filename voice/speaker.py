"""The speaker: plays SpeechFrames in order on its own thread; an Interrupt stops the
sentence playing within one audio block (about 50 ms) and drops every sentence queued."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable

import numpy as np

from voice.frames import Frame, Interrupt, SpeechFrame

Player = Callable[[np.ndarray, int, threading.Event], bool]


def default_player(device: str | int | None = None) -> Player:
    from voice.playback import play

    return lambda audio, rate, stop: play(audio, rate, stop, device)


class Speaker:
    """A queue of sentences to play; `on_start` is told when each begins (for latency)."""

    def __init__(self, player: Player, on_start: Callable[[SpeechFrame], None] | None = None,
                 on_error: Callable[[Exception], None] | None = None) -> None:
        self.player, self.on_start, self.on_error = player, on_start, on_error
        # Each sentence carries the generation it was queued in; an interruption starts a
        # new one, so a sentence from before it can never play after it.
        self._queue: queue.Queue[tuple[int, SpeechFrame] | None] = queue.Queue()
        self._stop = threading.Event()
        self._generation = 0
        self._busy = False
        self.played: list[str] = []
        self.stopped_at: float | None = None
        self._thread = threading.Thread(target=self._run, name="famulus-speaker", daemon=True)
        self._thread.start()

    def say(self, frame: SpeechFrame) -> None:
        self._queue.put((self._generation, frame))

    def push(self, frame: Frame) -> None:
        if isinstance(frame, Interrupt):
            self.interrupt()
        elif isinstance(frame, SpeechFrame):
            self.say(frame)

    def interrupt(self) -> None:
        """Stop now and drop the queued sentences (barge-in)."""
        self._generation += 1
        self._stop.set()
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break

    @property
    def speaking(self) -> bool:
        return not self._queue.empty() or self._busy

    def wait(self, timeout_s: float = 60.0) -> None:
        """Until everything queued has been played (or dropped)."""
        deadline = time.monotonic() + timeout_s
        while self.speaking and time.monotonic() < deadline:
            time.sleep(0.02)

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            generation, frame = item
            if generation != self._generation:
                continue  # queued before an interruption
            self._busy = True
            self._stop.clear()
            try:
                if generation != self._generation:  # interrupted just now
                    continue
                if self.on_start:
                    self.on_start(frame)
                if self.player(frame.samples, frame.rate, self._stop):
                    self.played.append(frame.text)
                else:
                    self.stopped_at = time.monotonic()
            except Exception as exc:  # a device error ends speech, never the app
                if self.on_error:
                    self.on_error(exc)
            finally:
                self._busy = False

    def close(self) -> None:
        self.interrupt()
        self._queue.put(None)
        self._thread.join(5)
