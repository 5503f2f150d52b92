"""Push-to-talk, with no window or terminal in it: `PushToTalk` turns a held key's worth of
speech into a spoken reply (the window and `famulus voice` both drive it), and `HoldOrTap`
is the rule for keys that report presses but no releases (a terminal, an auto-repeating
key): a held key talks until its repeats stop, a tapped key toggles.

`press` and `release` return at once (a window calls them on its GUI thread); `answer`
transcribes what is left, runs the reply and speaks it, on the caller's worker thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # sounddevice and the engines load only when voice is used
    from voice.capture import Recorder
    from voice.listening import IncrementalTranscriber
    from voice.pipeline import VoicePipeline


class PushToTalk:
    """A held key's worth of speech in, a spoken reply out; pressing while it speaks
    interrupts it."""

    def __init__(self, recorder: Recorder, pipeline: VoicePipeline,
                 listening: IncrementalTranscriber) -> None:
        self.recorder, self.pipeline, self.listening = recorder, pipeline, listening

    @property
    def speaking(self) -> bool:
        return bool(self.pipeline.speaker.speaking)

    @property
    def level(self) -> float:
        return float(self.recorder.level)

    @property
    def present(self) -> bool:
        return bool(self.recorder.present)

    def press(self) -> None:
        self.stop_speaking()
        self.recorder.press()
        self.listening.start(self.recorder.snapshot)

    def release(self) -> Any:
        """The utterance (NoAudioDevice if the microphone went away)."""
        try:
            return self.recorder.release()
        except Exception:
            self.listening.stop()
            raise

    def stop_speaking(self) -> None:
        if self.speaking:
            self.pipeline.interrupt()

    def answer(self, utterance: Any) -> Any:
        """Transcribe what is left, answer and speak; None when nothing was said."""
        return self.pipeline.handle(utterance, self.listening)

    def close(self) -> None:
        self.listening.stop()
        self.pipeline.speaker.close()
        self.recorder.close()


class HoldOrTap:
    """Space held: talk until it is let go. Space tapped: talk until the next tap."""

    def __init__(self, first_repeat_s: float = 0.8, release_gap_s: float = 0.2) -> None:
        self.first_repeat_s, self.release_gap_s = first_repeat_s, release_gap_s
        self.state = "idle"  # idle, pressed (tap or hold?), holding, toggled
        self.last = 0.0

    def key(self, now: float) -> str | None:
        """The key came (pressed, or repeated): "press", "release" or nothing."""
        previous, self.last = self.last, now
        if self.state == "idle":
            self.state = "pressed"
            return "press"
        if self.state == "toggled":
            self.state = "idle"
            return "release"
        if self.state == "pressed" and now - previous < self.first_repeat_s:
            self.state = "holding"
        return None

    def wait_s(self, now: float) -> float | None:
        """How long to wait for the next key before `quiet` has something to say."""
        limit = {"pressed": self.first_repeat_s, "holding": self.release_gap_s}.get(self.state)
        return None if limit is None else max(0.0, self.last + limit - now)

    def quiet(self, now: float) -> str | None:
        """No key came for a while: a hold ends ("release"); a tap becomes a toggle."""
        if self.state == "holding" and now - self.last >= self.release_gap_s:
            self.state = "idle"
            return "release"
        if self.state == "pressed" and now - self.last >= self.first_repeat_s:
            self.state = "toggled"
        return None

    @property
    def talking(self) -> bool:
        return self.state != "idle"
