"""Building voice from the settings, once, for every front end: the speech-to-text and
text-to-speech engines, and push-to-talk over the configured microphone and speaker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from app.profile import Profile

if TYPE_CHECKING:  # the engines load only when voice is used
    from voice.push_to_talk import PushToTalk
    from voice.stt import WhisperEngine
    from voice.tts import PiperEngine

Respond = Callable[[str], Iterator[str]]


def audio_device(value: str) -> str | int | None:
    """A voice.input_device / voice.output_device setting: a number, a name, or default."""
    return int(value) if value.isdigit() else (value or None)


def speech_to_text(profile: Profile) -> WhisperEngine:
    """The configured speech-to-text engine (the embedded Whisper base by default)."""
    from voice.models import whisper_dir
    from voice.stt import WhisperEngine

    s = profile.settings
    folder = whisper_dir(profile.paths.models_dir) if s.voice.stt_model == "base" else \
        Path(s.voice.stt_model).expanduser()
    return WhisperEngine(folder, s.voice.device, s.models.threads, s.voice.language or None)


def text_to_speech(profile: Profile) -> PiperEngine:
    """The configured voice (the embedded en_US-joe-medium by default)."""
    from voice.models import piper_voice
    from voice.tts import PiperEngine

    choice = profile.settings.voice.tts_voice
    return PiperEngine(piper_voice() if choice == "joe" else Path(choice).expanduser())


def open_push_to_talk(profile: Profile, respond: Respond,
                      on_speaker_error: Callable[[Exception], None] | None = None
                      ) -> PushToTalk:
    """Push-to-talk over the configured devices, answering with `respond`; VoiceError
    (NoAudioDevice, VoiceModelMissing, voice not installed) says why there is none."""
    from voice.errors import VoiceError

    try:
        from voice.capture import Recorder
        from voice.listening import IncrementalTranscriber
        from voice.pipeline import VoicePipeline
        from voice.push_to_talk import PushToTalk
        from voice.speaker import Speaker, default_player
    except ImportError as exc:
        raise VoiceError(f"voice is not installed ({exc.name}): install famulus[voice]") \
            from None
    s = profile.settings
    stt, tts = speech_to_text(profile), text_to_speech(profile)
    recorder = Recorder(audio_device(s.voice.input_device))
    speaker = Speaker(default_player(audio_device(s.voice.output_device)),
                      on_error=on_speaker_error)
    return PushToTalk(recorder, VoicePipeline(stt, tts, speaker, respond),
                      IncrementalTranscriber(stt))
