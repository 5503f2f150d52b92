"""The terminal chat: type a line, watch the answer stream in; approve tool calls inline;
/commands for memory, review, undo, autonomy and status."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from agent.events import (
    AnswerReset,
    ErrorEvent,
    MemorySaved,
    Token,
    ToolAwaitingApproval,
    ToolDone,
    ToolFailed,
    TurnFinished,
)
from agent.message import Message, MessageContext
from tools.errors import ToolError

HELP = """Commands:
  /new               start a new thread        /quit (or Ctrl-D)  leave
  /memory QUERY      search memory             /review            actions waiting for you
  /approve ID        run a waiting action      /deny ID           refuse it
  /undo ACTION_ID    take an action back       /autonomy [0-3]    show or set the level
  /status            this session's figures    /help              this text"""


class TerminalChat:
    """One terminal session over an agent (see agent.assembly.AgentParts)."""

    def __init__(self, parts: Any, stdin: TextIO, out: TextIO, thread: str = "default"
                 ) -> None:
        self.parts, self.stdin, self.out, self.thread = parts, stdin, out, thread
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
        message = Message(text, "cli", context=MessageContext(self.thread))
        self.out.write("famulus> ")
        for event in self.parts.agent.run(message, approve=self.approve):
            if isinstance(event, Token):
                self.out.write(event.text)
                self.out.flush()
            elif isinstance(event, AnswerReset):
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
        if self.parts.memory is not None:
            self.parts.memory.seal_if_due()

    def command(self, text: str) -> bool:
        """Run a /command; False when the chat should end."""
        name, _, rest = text[1:].partition(" ")
        rest = rest.strip()
        tools = self.parts.tools
        try:
            if name in ("quit", "exit"):
                return False
            if name == "help":
                self.say(HELP)
            elif name == "new":
                self.parts.agent.reset(self.thread)
                self.thread = f"{self.thread.split('#')[0]}#{len(self.turns)}"
                self.say(f"(new thread {self.thread})")
            elif name == "status":
                self.say(self.status())
            elif name == "memory":
                self.memory(rest)
            elif tools is None and name in ("review", "approve", "deny", "undo", "autonomy"):
                self.say("[tools are off: memory is not set up or not unlocked]")
            elif name == "review":
                items = tools.pending()
                self.say("\n".join(f"{i.id} {i.tool_call.tool} — {i.reason}" for i in items)
                         or "nothing waits for review")
            elif name == "approve":
                result = self.parts.approve(rest)
                self.say(f"[{result.status}: {result.error or result.result}]")
            elif name == "deny":
                self.say(f"[{tools.deny(rest).id} denied]")
            elif name == "undo":
                self.say(f"[{tools.undo(rest)}]")
            elif name == "autonomy":
                if rest in ("0", "1", "2", "3"):
                    tools.gate.level = int(rest)
                    tools.services["strict_hosts"] = tools.gate.level < 3
                elif rest:
                    self.say("[the level is 0, 1, 2 or 3]")
                self.say(f"[autonomy level {tools.gate.level} for this session]")
            else:
                self.say(f"unknown command /{name}; /help lists them")
        except ToolError as exc:
            self.say(f"[{exc}]")
        return True

    def memory(self, query: str) -> None:
        if self.parts.memory is None:
            self.say("[memory is not set up or not unlocked]")
            return
        for hit in self.parts.memory.search(query or "*", k=5):
            self.say(f"- {hit.speaker or 'someone'}: {hit.text[:160]}")

    def status(self) -> str:
        if not self.turns:
            return "no turns yet"
        totals = sorted(t.timings.get("total_s") or 0 for t in self.turns)
        speed = [t.tokens_per_s for t in self.turns if t.tokens_per_s]
        level = self.parts.tools.gate.level if self.parts.tools else "off"
        return (f"{len(self.turns)} turns; median turn {totals[len(totals) // 2]:.2f} s; "
                f"{(sum(speed) / len(speed)) if speed else 0:.1f} tokens/s; autonomy {level}; "
                f"memory {'on' if self.parts.memory is not None else 'off'}")


def run(parts: Any, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout,
        thread: str = "default") -> int:
    """Chat until /quit or end of input."""
    chat = TerminalChat(parts, stdin, out, thread)
    for note in parts.notes:
        chat.say(f"({note})")
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
