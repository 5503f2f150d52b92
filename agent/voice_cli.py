"""`famulus transcribe` and `famulus say`: the voice engines on their own."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from agent.runtime import Profile


def audio_device(value: str) -> str | int | None:
    """A voice.input_device / voice.output_device setting: a number, a name, or default."""
    return int(value) if value.isdigit() else (value or None)


def speech_to_text(profile: Profile) -> Any:
    """The configured speech-to-text engine (the embedded Whisper base by default)."""
    from voice.models import whisper_dir
    from voice.stt import WhisperEngine

    s = profile.settings
    folder = whisper_dir(profile.paths.models_dir) if s["voice.stt_model"] == "base" else \
        Path(s["voice.stt_model"]).expanduser()
    return WhisperEngine(folder, s["voice.device"], s["models.threads"],
                         s["voice.language"] or None)


def text_to_speech(profile: Profile) -> Any:
    from voice.models import piper_voice
    from voice.tts import PiperEngine

    choice = profile.settings["voice.tts_voice"]
    return PiperEngine(piper_voice() if choice == "joe" else Path(choice).expanduser())


def transcribe(args: argparse.Namespace, profile: Profile) -> int:
    result = speech_to_text(profile).transcribe_file(Path(args.file))
    if args.json:
        print(json.dumps({"file": args.file, **result.to_dict()}, indent=2,
                         ensure_ascii=False))
    elif result.empty:
        print("(no speech found)", file=sys.stderr)
    else:
        print(result.text)
    return 0


def say(args: argparse.Namespace, profile: Profile) -> int:
    from voice.audio import write_wav
    from voice.playback import play

    text = args.text if args.text is not None else sys.stdin.read()
    if not text.strip():
        from voice.errors import VoiceError

        raise VoiceError("nothing to say: give some text")
    engine = text_to_speech(profile)
    if args.out:
        speech = engine.speak(text)
        write_wav(Path(args.out), speech.audio, speech.rate)
        print(f"{args.out}: {speech.duration_s:.1f} s of speech", file=sys.stderr)
        return 0
    from voice.tts import sentences

    device = profile.settings["voice.output_device"]
    for sentence in sentences(text):  # the first sentence plays while the next is made
        speech = engine.speak(sentence)
        play(speech.audio, speech.rate, device=int(device) if device.isdigit() else device)
    return 0
