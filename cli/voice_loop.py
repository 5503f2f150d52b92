"""`famulus voice`: push-to-talk in the terminal. Hold Space to talk (or tap it to start
and again to stop; Enter toggles too); the words are transcribed while the key is held,
and the reply is spoken sentence by sentence while it is written. Pressing the key while
it speaks interrupts it (barge-in). Any other key starts a typed line. Without a
microphone, or when it goes away, it says so and goes on by text.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from agent.events import Token
from app.famulus import Famulus
from app.profile import Profile
from cli.terminal_keys import line_keys, terminal_keys
from voice.errors import NoAudioDevice

HELP = ("Push-to-talk: hold Space to talk (or tap Space, or press Enter, to start and again "
        "to stop). Pressing it while Famulus speaks interrupts it. Type to send text. "
        "Ctrl-D leaves.")
LINE_HELP = ("Push-to-talk: an empty line starts listening, another stops. Type a line to "
             "send it as text. End of input leaves.")


def responder(famulus: Famulus, thread: str) -> Callable[[str], Iterator[str]]:
    """What a spoken turn runs: the answer's text, as it is written."""
    def respond(text: str) -> Iterator[str]:
        for event in famulus.turn(text, thread, "voice"):
            if isinstance(event, Token):
                yield event.text

    return respond


def run(args: argparse.Namespace, profile: Profile, stdin: TextIO = sys.stdin,
        out: TextIO = sys.stdout) -> int:
    from app.build_voice import open_push_to_talk
    from app.famulus import open_famulus
    from cli.output import terminal_bar
    from cli.prompts import passphrase_asker

    with terminal_bar("Preparing the models") as bar, \
            open_famulus(profile, args.model, progress=bar,
                         ask_passphrase=passphrase_asker()) as famulus:
        try:
            ptt = open_push_to_talk(profile, responder(famulus, "voice"),
                                    lambda e: print(f"\n[speaker: {e}]", file=out))
        except NoAudioDevice as exc:
            print(f"famulus: {exc}: starting the text chat instead", file=sys.stderr)
            from cli.chat import run as text_chat

            return text_chat(famulus, stdin, out)
        try:
            return _loop(ptt.pipeline, ptt.recorder, ptt.pipeline.speaker, stdin, out,
                         ptt.listening)
        finally:
            ptt.close()


def _loop(pipeline: Any, mic: Any, speaker: Any, stdin: TextIO, out: TextIO,
          listening: Any = None) -> int:
    from voice.listening import IncrementalTranscriber

    listening = listening or IncrementalTranscriber(pipeline.stt)
    turn = Turn()
    tty = stdin.isatty()
    out.write((HELP if tty else LINE_HELP) + "\n")
    out.flush()
    for kind, text in (terminal_keys(stdin, out) if tty else line_keys(stdin)):
        if kind == "quit":
            break
        if kind == "line" or (kind == "press" and mic is not None):
            turn.interrupt(pipeline)
        if kind == "line":
            turn.start(lambda text=text: _show(out, pipeline.reply(text)))
        elif mic is None:
            continue
        elif kind == "press":
            mic.press()
            listening.start(_watched(mic, out))
            out.write("listening… ")
            out.flush()
        elif kind == "release":
            mic = _released(mic, listening, pipeline, turn, out)
    turn.wait(60)
    speaker.wait(60)
    return 0


class Turn:
    """The spoken turn being answered on its own thread."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None

    def interrupt(self, pipeline: Any) -> None:
        if pipeline.speaker.speaking or (self.thread and self.thread.is_alive()):
            pipeline.interrupt()  # barge-in: stop talking, drop the rest
            self.wait(30)

    def start(self, work: Any) -> None:
        self.thread = threading.Thread(target=work, name="voice-turn", daemon=True)
        self.thread.start()

    def wait(self, seconds: float) -> None:
        if self.thread:
            self.thread.join(seconds)


def _watched(mic: Any, out: TextIO) -> Any:
    """The recording so far, saying once if the microphone goes away mid-recording."""
    told = []

    def snapshot() -> Any:
        if not mic.present and not told:
            told.append(True)
            out.write("\n[the microphone went away: let go of the key, then type]\n")
            out.flush()
        return mic.snapshot()

    return snapshot


def _released(mic: Any, listening: Any, pipeline: Any, turn: Turn, out: TextIO) -> Any:
    """Answer the utterance; the microphone, or None once it has gone away."""
    try:
        utterance = mic.release()
    except NoAudioDevice as exc:
        listening.stop()
        out.write(f"\n[{exc}]\n")
        out.flush()
        mic.close()
        return None
    turn.start(lambda: _show(out, pipeline.handle(utterance, listening)))
    return mic


def _show(out: TextIO, turn: Any) -> None:
    if turn is None:
        out.write("\n(no speech heard)\n")
    else:
        latency = turn.latency.get("voice_to_voice_s")
        out.write(f"\nyou: {turn.heard}\nfamulus: {' '.join(turn.said)}"
                  + (f"\n({latency:.2f} s to first audio)" if latency else "") + "\n")
    out.flush()
