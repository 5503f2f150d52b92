"""Push-to-talk for the window: the microphone, transcription while the key is held, and
the spoken reply. `press` and `release` are called on the GUI thread and return at once;
`answer` runs on the session's thread."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from agent.runtime import Profile

Respond = Callable[[str], Iterator[str]]


class PushToTalk:
    """A held key's worth of speech in, a spoken reply out; pressing while it speaks
    interrupts it."""

    def __init__(self, recorder: Any, pipeline: Any, listening: Any) -> None:
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


def open_push_to_talk(profile: Profile, respond: Respond) -> PushToTalk | str:
    """Push-to-talk over the configured devices, or the reason it is unavailable."""
    try:
        from agent.voice_cli import audio_device, speech_to_text, text_to_speech
        from voice.capture import Recorder
        from voice.errors import VoiceError
        from voice.listening import IncrementalTranscriber
        from voice.pipeline import VoicePipeline
        from voice.speaker import Speaker, default_player
    except ImportError as exc:
        return f"voice is not installed ({exc.name}): pip install 'famulus[voice]'"
    s = profile.settings
    try:
        stt, tts = speech_to_text(profile), text_to_speech(profile)
        recorder = Recorder(audio_device(s["voice.input_device"]))
    except VoiceError as exc:
        return str(exc)
    speaker = Speaker(default_player(audio_device(s["voice.output_device"])))
    pipeline = VoicePipeline(stt, tts, speaker, respond)
    return PushToTalk(recorder, pipeline, IncrementalTranscriber(stt))
