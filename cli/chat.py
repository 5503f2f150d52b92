"""`famulus chat`: the terminal chat. Type a line, watch the answer stream in; approve tool
calls inline; /commands for memory, review, undo, autonomy and status."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from agent.errors import SHOWN
from agent.events import (
    AgentEvent,
    AnswerReset,
    ErrorEvent,
    MemorySaved,
    Token,
    ToolAwaitingApproval,
    ToolDone,
    ToolFailed,
    TurnFinished,
)
from app.famulus import Famulus
from app.profile import Profile
from cli.options import agent_options, model_options
from cli.output import error_text, limitation_text, terminal_bar

HELP = """Commands:
  /new               start a new thread        /quit (or Ctrl-D)  leave
  /memory QUERY      search memory             /review            actions waiting for you
  /approve ID        run a waiting action      /deny ID           refuse it
  /undo ACTION_ID    take an action back       /autonomy [0-3]    show or set the level
  /status            this session's figures    /help              this text"""


def register(sub: Any) -> None:
    parser = sub.add_parser("chat", help="chat in the terminal")
    model_options(parser)
    agent_options(parser)
    parser.set_defaults(handler=chat)


def chat(args: argparse.Namespace, profile: Profile) -> int:
    from app.famulus import open_famulus
    from cli.prompts import passphrase_asker

    passphrase = None if args.no_memory else first_run(profile)
    with terminal_bar("Preparing the model") as bar, \
            open_famulus(profile, args.model, args.backend, not args.no_memory, args.autonomy,
                         bar, passphrase=passphrase,
                         ask_passphrase=passphrase_asker()) as famulus:
        famulus.start_background(lambda n: print(f"\n[{n.title}] {n.text}", flush=True))
        return run(famulus, thread=args.thread)


def first_run(profile: Profile) -> str | None:
    """At a terminal with no memory yet, offer to set it up, as the window does: the new
    passphrase (to open it with), or None."""
    from app.build_memory import create_memory, memory_needs
    from cli.prompts import new_passphrase

    if not sys.stdin.isatty() or memory_needs(profile) != "setup":
        return None
    print("Famulus keeps an encrypted memory of what you tell it, on this computer only.")
    if input("Set it up now? [Y/n] ").strip().lower().startswith("n"):
        return None
    passphrase = new_passphrase()
    recovery = create_memory(profile, passphrase)
    print(f"\nRecovery key (shown once; keep it somewhere safe, away from this computer):"
          f"\n\n    {recovery}\n\nIt opens your memory if you forget the passphrase.\n")
    return passphrase


class TerminalChat:
    """One terminal session over Famulus."""

    def __init__(self, famulus: Famulus, stdin: TextIO, out: TextIO,
                 thread: str = "default") -> None:
        self.famulus, self.stdin, self.out, self.thread = famulus, stdin, out, thread
        self.turns: list[TurnFinished] = []

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def ask_line(self, prompt: str) -> str | None:
        self.out.write(prompt)
        self.out.flush()
        line = self.stdin.readline()
        return line.strip() if line else None

    def approve(self, item: Any) -> bool | dict[str, Any] | None:
        """Inline approval: y runs it, n refuses it, e edits its arguments, Enter leaves it
        waiting in the queue."""
        call = item.tool_call
        self.say(f"\n[{call.tool} {json.dumps(call.arguments, ensure_ascii=False)[:200]}]"
                 f"\n[needs your approval: {item.reason}]")
        answer = (self.ask_line("approve? [y]es / [n]o / [e]dit / Enter: later > ") or "")
        if answer.lower().startswith("y"):
            return True
        if answer.lower().startswith("n"):
            return False
        if answer.lower().startswith("e"):
            edited = self.ask_line("arguments as JSON > ") or ""
            try:
                return json.loads(edited)
            except json.JSONDecodeError:
                self.say("[not valid JSON: the action stays in the review queue]")
        return None

    def answer(self, text: str) -> None:
        """Stream the answer to `text`; Ctrl-C stops the answer, not the chat."""
        self.out.write("famulus> ")
        events = self.famulus.turn(text, self.thread, "cli", approve=self.approve)
        try:
            for event in events:
                self.show(event)
        except KeyboardInterrupt:
            events.close()  # the model stops; the unfinished turn is not kept
            self.say("\n[stopped]")

    def show(self, event: AgentEvent) -> None:
        """One event as the terminal shows it."""
        if isinstance(event, Token):
            self.out.write(event.text)
            self.out.flush()
        elif isinstance(event, AnswerReset) and event.failed:
            self.say(f"\n[{event.failed} failed: {event.reason}; {event.next} answers]")
        elif isinstance(event, ToolDone):
            self.say(f"\n[{event.tool} done ({event.action_id}"
                     f"{'; /undo ' + event.action_id if event.undoable else ''})]")
        elif isinstance(event, ToolFailed):
            self.say(f"\n[{event.tool} {'refused' if event.refused else 'failed'}: "
                     f"{event.error}]")
        elif isinstance(event, ToolAwaitingApproval) and "approval" not in event.reason:
            self.say(f"\n[{event.tool} waits in review as {event.review_id}]")
        elif isinstance(event, MemorySaved):
            self.say(f"\n[remembered: {event.text}]")
        elif isinstance(event, ErrorEvent):
            self.say(f"\n[error: {event.message}]")
        elif isinstance(event, TurnFinished):
            self.turns.append(event)
            self.say("")


    def command(self, text: str) -> bool:
        """Run a /command; False when the chat should end."""
        name, _, rest = text[1:].partition(" ")
        if name in ("quit", "exit"):
            return False
        handler = getattr(self, f"do_{name}", None)
        if handler is None:
            self.say(f"unknown command /{name}; /help lists them")
            return True
        try:
            handler(rest.strip())
        except SHOWN as exc:
            self.say(f"[{error_text(exc)}]")
        return True

    def do_help(self, _rest: str) -> None:
        self.say(HELP)

    def do_new(self, _rest: str) -> None:
        self.famulus.new_thread(self.thread)
        self.thread = f"{self.thread.split('#')[0]}#{len(self.turns)}"
        self.say(f"(new thread {self.thread})")

    def do_status(self, _rest: str) -> None:
        self.say(self.status())

    def do_memory(self, query: str) -> None:
        for hit in self.famulus.search_memory(query, k=5):
            self.say(f"- {hit.speaker or 'someone'}: {hit.text[:160]}")

    def do_review(self, _rest: str) -> None:
        if self.famulus.actions is None:
            self.say("[tools are off: memory is not set up or not unlocked]")
            return
        items = self.famulus.pending()
        self.say("\n".join(f"{i.id} {i.tool_call.tool} — {i.reason}" for i in items)
                 or "nothing waits for review")

    def do_approve(self, review_id: str) -> None:
        result = self.famulus.approve(review_id)
        self.say(f"[{result.status}: {result.error or result.result}]")

    def do_deny(self, review_id: str) -> None:
        self.say(f"[{self.famulus.deny(review_id).id} denied]")

    def do_undo(self, action_id: str) -> None:
        self.say(f"[{self.famulus.undo(action_id).message}]")

    def do_autonomy(self, level: str) -> None:
        if level in ("0", "1", "2", "3"):
            self.famulus.set_autonomy(int(level))
        elif level:
            self.say("[the level is 0, 1, 2 or 3]")
        if self.famulus.autonomy is None:
            self.say("[tools are off: memory is not set up or not unlocked]")
            return
        self.say(f"[autonomy level {self.famulus.autonomy} for this session]")

    def status(self) -> str:
        if not self.turns:
            return "no turns yet"
        totals = sorted(t.timings.get("total_s") or 0 for t in self.turns)
        speed = [t.tokens_per_s for t in self.turns if t.tokens_per_s]
        level = self.famulus.autonomy if self.famulus.autonomy is not None else "off"
        return (f"{len(self.turns)} turns; median turn {totals[len(totals) // 2]:.2f} s; "
                f"{(sum(speed) / len(speed)) if speed else 0:.1f} tokens/s; autonomy {level}; "
                f"memory {'on' if self.famulus.memory is not None else 'off'}")


def run(famulus: Famulus, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout,
        thread: str = "default") -> int:
    """Chat until /quit or end of input."""
    chat = TerminalChat(famulus, stdin, out, thread)
    for limit in famulus.limitations:
        chat.say(f"({limitation_text(limit)})")
    chat.say("Famulus: terminal chat. /help lists the commands.")
    while True:
        text = chat.ask_line("you> ")
        if text is None:
            chat.say("")
            break
        if not text:
            continue
        if text.startswith("/"):
            if not chat.command(text):
                break
            continue
        chat.answer(text)
    return 0
