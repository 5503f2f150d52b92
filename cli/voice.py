"""`famulus transcribe`, `famulus say` and `famulus voice`: the speech engines on their own,
and push-to-talk with the agent in the terminal (cli/voice_loop.py)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.build_voice import audio_device, speech_to_text, text_to_speech
from app.profile import Profile
from cli.options import json_flag, model_options


def register(sub: Any) -> None:
    transcribe = sub.add_parser("transcribe", help="speech to text from an audio file "
                                "(wav, flac, mp3, ogg, m4a)")
    transcribe.add_argument("file")
    json_flag(transcribe)
    transcribe.set_defaults(handler=transcribe_file)
    say = sub.add_parser("say", help="speak text aloud (or into a WAV file)")
    say.add_argument("text", nargs="?", help="the text (read from stdin if absent)")
    say.add_argument("--out", help="write a 16-bit WAV file instead of playing it")
    say.set_defaults(handler=say_text)
    voice = sub.add_parser("voice", help="push-to-talk in the terminal: speak, hear the "
                           "reply")
    model_options(voice, backend=False)
    voice.set_defaults(handler=push_to_talk)


def push_to_talk(args: argparse.Namespace, profile: Profile) -> int:
    from cli.voice_loop import run

    return run(args, profile)


def transcribe_file(args: argparse.Namespace, profile: Profile) -> int:
    result = speech_to_text(profile).transcribe_file(Path(args.file))
    if args.json:
        print(json.dumps({"file": args.file, **result.to_dict()}, indent=2,
                         ensure_ascii=False))
    elif result.empty:
        print("(no speech found)", file=sys.stderr)
    else:
        print(result.text)
    return 0


def say_text(args: argparse.Namespace, profile: Profile) -> int:
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

    device = audio_device(profile.settings.voice.output_device)
    for sentence in sentences(text):  # the first sentence plays while the next is made
        speech = engine.speak(sentence)
        play(speech.audio, speech.rate, device=device)
    return 0
