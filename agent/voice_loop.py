"""`famulus voice`: push-to-talk in the terminal. Enter starts listening, Enter again
stops; the reply is spoken sentence by sentence while it is written; Enter while it speaks
interrupts it (barge-in) and listens. A typed line is sent as text. Without a microphone
it says so and goes on as the text chat."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterator
from typing import Any, TextIO

from agent.events import Token
from agent.message import Message, MessageContext
from agent.runtime import Profile
from voice.errors import NoAudioDevice

HELP = ("Push-to-talk: press Enter to talk, Enter again to stop. Enter while Famulus speaks "
        "interrupts it. Type a line to send it as text. Ctrl-D leaves.")


def _device(value: str) -> str | int | None:
    return int(value) if value.isdigit() else (value or None)


def responder(parts: Any, thread: str) -> Any:
    def respond(text: str) -> Iterator[str]:
        message = Message(text, "voice", context=MessageContext(thread))
        for event in parts.agent.run(message):
            if isinstance(event, Token):
                yield event.text

    return respond


def run(args: argparse.Namespace, profile: Profile, stdin: TextIO = sys.stdin,
        out: TextIO = sys.stdout) -> int:
    from agent.assembly import assembled
    from agent.progress import terminal_bar
    from agent.voice_cli import speech_to_text, text_to_speech
    from voice.capture import Recorder
    from voice.pipeline import VoicePipeline
    from voice.speaker import Speaker, default_player

    s = profile.settings
    with terminal_bar("Preparing the models") as bar, \
            assembled(profile, args.model, progress=bar) as parts:
        try:
            mic = Recorder(_device(s["voice.input_device"]))
        except NoAudioDevice as exc:
            print(f"famulus: {exc}: starting the text chat instead", file=sys.stderr)
            from agent.terminal_chat import run as text_chat

            return text_chat(parts, stdin, out)
        speaker = Speaker(default_player(_device(s["voice.output_device"])),
                          on_error=lambda e: print(f"\n[speaker: {e}]", file=out))
        pipeline = VoicePipeline(speech_to_text(profile), text_to_speech(profile), speaker,
                                 responder(parts, "voice"))
        try:
            return _loop(pipeline, mic, speaker, stdin, out)
        finally:
            speaker.close()
            mic.close()


def _loop(pipeline: Any, mic: Any, speaker: Any, stdin: TextIO, out: TextIO) -> int:
    worker: threading.Thread | None = None
    out.write(HELP + "\n")
    while True:
        out.write("[Enter: talk] > ")
        out.flush()
        line = stdin.readline()
        if not line:
            break
        if speaker.speaking or (worker and worker.is_alive()):
            pipeline.interrupt()  # barge-in: stop talking, drop the rest
            if worker:
                worker.join(30)
        typed = line.strip()
        if typed:
            worker = _start(lambda text=typed: _show(out, pipeline.reply(text)))
            continue
        mic.press()
        out.write("listening… (Enter to stop) ")
        out.flush()
        stdin.readline()
        utterance = mic.release()
        worker = _start(lambda audio=utterance: _show(out, pipeline.handle(audio)))
    if worker:
        worker.join(60)
    speaker.wait(60)
    return 0


def _start(work: Any) -> threading.Thread:
    thread = threading.Thread(target=work, name="voice-turn", daemon=True)
    thread.start()
    return thread


def _show(out: TextIO, turn: Any) -> None:
    if turn is None:
        out.write("\n(no speech heard)\n")
    else:
        latency = turn.latency.get("voice_to_voice_s")
        out.write(f"\nyou: {turn.heard}\nfamulus: {' '.join(turn.said)}"
                  + (f"\n({latency:.2f} s to first audio)" if latency else "") + "\n")
    out.flush()
