"""The terminal chat: type a line, watch the answer stream in."""

from __future__ import annotations

import sys
from typing import TextIO

from agent.conversation import Conversation
from inference.errors import InferenceError
from inference.messages import Fallback, Finished, TextDelta

HELP = "Commands: /new starts a new thread, /help shows this, /quit (or Ctrl-D) leaves."


def _answer(chat: Conversation, text: str, out: TextIO) -> None:
    for event in chat.send(text):
        if isinstance(event, TextDelta):
            out.write(event.text)
            out.flush()
        elif isinstance(event, Fallback):
            out.write(f"\n[{event.failed} failed: {event.reason}; {event.next} answers]\n")
        elif isinstance(event, Finished):
            out.write("\n")


def run(chat: Conversation, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """Chat until /quit or end of input."""
    out.write(f"Famulus: terminal chat. {HELP}\n")
    while True:
        out.write("you> ")
        out.flush()
        line = stdin.readline()
        if not line:
            out.write("\n")
            break
        text = line.strip()
        if not text:
            continue
        if text in ("/quit", "/exit"):
            break
        if text == "/help":
            out.write(HELP + "\n")
            continue
        if text == "/new":
            chat.reset()
            out.write("(new thread)\n")
            continue
        out.write("famulus> ")
        try:
            _answer(chat, text, out)
        except InferenceError as exc:
            out.write(f"\n[error: {exc}]\n")
    chat.router.close()
    return 0
