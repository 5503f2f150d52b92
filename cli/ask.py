"""`famulus ask`: one message through the agent, the answer streamed or as one JSON
object."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from agent.errors import Limitation
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
from app.profile import Profile
from cli.options import agent_options, json_flag, model_options
from cli.output import limitation_text, print_json, terminal_bar
from inference.errors import InvalidRequest


def register(sub: Any) -> None:
    parser = sub.add_parser("ask", help="ask one question and stream the answer")
    parser.add_argument("text", nargs="?", help="the question (read from stdin if absent)")
    json_flag(parser, "print one JSON object at the end")
    model_options(parser)
    agent_options(parser)
    parser.set_defaults(handler=ask)


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
    from app.famulus import open_famulus
    from cli.prompts import passphrase_asker

    text = args.text if args.text is not None else sys.stdin.read()
    if not text.strip():
        raise InvalidRequest("the prompt is empty: give a question, e.g. famulus ask \"hello\"")
    events: list[Any] = []
    with terminal_bar("Preparing the model") as bar, \
            open_famulus(profile, args.model, args.backend, not args.no_memory, args.autonomy,
                         bar, ask_passphrase=passphrase_asker()) as famulus:
        limits = famulus.limitations
        for limit in limits:
            print(f"famulus: {limitation_text(limit)}", file=sys.stderr)
        for event in famulus.turn(text.strip(), args.thread, "cli"):
            events.append(event)
            if not args.json:
                _show(event)
        route = famulus.last_route
    error = next((e for e in events if isinstance(e, ErrorEvent)), None)
    if error is not None:
        print(f"famulus: error: {error.message}", file=sys.stderr)
        return 1
    finished = events[-1]
    assert isinstance(finished, TurnFinished)
    if not args.json:
        print()
        return 0
    print_json(_report(finished, events, route, limits))
    return 0


def _show(event: Any) -> None:
    """One event as the person sees it: the answer on stdout, the rest on stderr."""
    if isinstance(event, Token):
        sys.stdout.write(event.text)
        sys.stdout.flush()
    elif isinstance(event, AnswerReset) and event.failed:
        print(f"\nfamulus: {event.failed} failed ({event.reason}); answering with "
              f"{event.next} instead", file=sys.stderr)
    elif (line := _line(event)) is not None:
        print(line, file=sys.stderr)


def _report(finished: TurnFinished, events: list[Any], route: dict[str, Any],
            limits: list[Limitation]) -> dict[str, Any]:
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
                      for e in events if isinstance(e, AnswerReset) and e.failed],
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
        "memories_used": finished.memories_used,
        "notes": [limitation_text(limit) for limit in limits],
    }
