"""`famulus ask`: one message through the agent, the answer streamed or as one JSON object."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from agent.assembly import assembled
from agent.events import (
    AnswerReset,
    ErrorEvent,
    PlanMade,
    Token,
    ToolAwaitingApproval,
    ToolDone,
    ToolFailed,
    ToolProposed,
    TurnFinished,
)
from agent.message import Message, MessageContext
from agent.progress import terminal_bar
from agent.runtime import Profile
from inference.errors import InvalidRequest


def _line(event: Any) -> str | None:
    """What a tool event looks like in the streamed text (on stderr)."""
    if isinstance(event, ToolAwaitingApproval):
        return (f"[{event.tool} waits for your approval: {event.reason}; famulus review "
                f"approve {event.review_id}]")
    if isinstance(event, ToolDone):
        return f"[{event.tool} done ({event.action_id})]"
    if isinstance(event, ToolFailed):
        return f"[{event.tool} {'refused' if event.refused else 'failed'}: {event.error}]"
    return None


def ask(args: argparse.Namespace, profile: Profile) -> int:
    text = args.text if args.text is not None else sys.stdin.read()
    if not text.strip():
        raise InvalidRequest("the prompt is empty: give a question, e.g. famulus ask \"hello\"")
    message = Message(text.strip(), "cli", context=MessageContext(args.thread))
    events: list[Any] = []
    with terminal_bar("Preparing the model") as bar, \
            assembled(profile, args.model, args.backend, not args.no_memory, args.autonomy,
                      bar) as parts:
        for note in parts.notes:
            print(f"famulus: {note}", file=sys.stderr)
        for event in parts.agent.run(message):
            events.append(event)
            if args.json:
                continue
            if isinstance(event, Token):
                sys.stdout.write(event.text)
                sys.stdout.flush()
            elif isinstance(event, AnswerReset):
                print(f"\nfamulus: {event.failed} failed ({event.reason}); answering with "
                      f"{event.next} instead", file=sys.stderr)
            elif (line := _line(event)) is not None:
                print(line, file=sys.stderr)
        route = parts.agent.router.last_record.to_dict()
    error = next((e for e in events if isinstance(e, ErrorEvent)), None)
    if error is not None:
        print(f"famulus: error: {error.message}", file=sys.stderr)
        return 1
    finished = events[-1]
    assert isinstance(finished, TurnFinished)
    if not args.json:
        print()
        return 0
    print(json.dumps(_report(finished, events, route, parts.notes), indent=2,
                     ensure_ascii=False, default=str))
    return 0


def _report(finished: TurnFinished, events: list[Any], route: dict[str, Any],
            notes: list[str]) -> dict[str, Any]:
    stats = finished.generation
    actions = [e.to_dict() for e in events
               if isinstance(e, ToolDone | ToolFailed | ToolAwaitingApproval)]
    return {
        "answer": finished.answer,
        "backend": stats.get("backend"), "model": stats.get("model"),
        "device": stats.get("device"),
        "tool_calls": [{"name": e.tool, "arguments": e.arguments} for e in events
                       if isinstance(e, ToolProposed)],
        "actions": actions,
        "plan": next((e.steps for e in events if isinstance(e, PlanMade)), []),
        "route": route,
        "fallbacks": [{"failed": e.failed, "next": e.next, "reason": e.reason}
                      for e in events if isinstance(e, AnswerReset)],
        "timings": {
            "time_to_first_token_s": stats.get("time_to_first_token_s"),
            "tokens_per_s": stats.get("tokens_per_s"),
            "total_s": finished.timings.get("total_s"),
            "prompt_tokens": stats.get("prompt_tokens"),
            "reused_prompt_tokens": stats.get("reused_prompt_tokens"),
            "completion_tokens": stats.get("completion_tokens"),
        },
        "agent_timings": finished.timings,
        "finish_reason": stats.get("finish_reason"),
        "thread": finished.thread, "steps": finished.steps,
        "memories_used": finished.memories_used, "notes": notes,
    }
