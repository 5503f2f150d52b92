"""Everyday requests, done right? Runs the requests of bench/everyday_cases.py in a fresh
world (a granted folder, notes, a Radicale calendar, an SMTP server, web pages, memory)
through one front end, checks each effect and answer, and prints the pass rate per
category and the median turn time.

    .venv/bin/python bench/everyday.py [--model default|light] [--front app|window]
                                       [--only CATEGORY ...] [--json OUT]

`app` is the path `famulus ask` and `famulus chat` take (the Famulus facade, channel
"cli"); `window` types into the real desktop window (bench/everyday_window.py; under
Xvfb, or QT_QPA_PLATFORM=offscreen).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("FAMULUS_CACHE_DIR", str(ROOT / ".cache"))
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bench.everyday_cases import Case, cases  # noqa: E402
from bench.everyday_world import PASSPHRASE, World, world  # noqa: E402


@dataclass
class Reply:
    """What one message got: the answer and the tools it ran or proposed."""

    answer: str
    tools: list[str]
    seconds: float


@dataclass
class Outcome:
    category: str
    request: str
    ok: bool
    why: str
    answer: str
    tools: list[str] = field(default_factory=list)
    turn_s: list[float] = field(default_factory=list)


class Front(Protocol):
    def say(self, text: str, thread: str) -> Reply: ...
    def approve_waiting(self) -> None: ...
    def deny_waiting(self) -> None: ...
    def restart(self) -> None: ...


class AppFront:
    """The CLI's path: one Famulus for the whole run, turns through `Famulus.turn`."""

    def __init__(self, home: Path, model: str) -> None:
        self.home, self.model = home, model
        self.stack = contextlib.ExitStack()
        self.famulus = self._open()

    def _open(self) -> Any:
        from app import paths, settings
        from app.famulus import open_famulus
        from app.profile import open_profile

        profile = open_profile(paths.resolve(self.home),
                               settings.load(self.home / "config" / "famulus.toml"))
        famulus = self.stack.enter_context(open_famulus(profile, self.model,
                                                        passphrase=PASSPHRASE))
        famulus.warm_up()
        return famulus

    def say(self, text: str, thread: str) -> Reply:
        from agent.events import ToolAwaitingApproval, ToolDone, ToolFailed, TurnFinished

        start, tools, answer = time.perf_counter(), [], ""
        for event in self.famulus.turn(text, thread):
            if isinstance(event, ToolDone | ToolFailed | ToolAwaitingApproval):
                tools.append(event.tool)
            elif isinstance(event, TurnFinished):
                answer = event.answer
        return Reply(answer, tools, time.perf_counter() - start)

    def approve_waiting(self) -> None:
        for item in self.famulus.pending():
            self.famulus.approve(item.id)
        send_held_mail(self.famulus)

    def deny_waiting(self) -> None:
        for item in self.famulus.pending():
            self.famulus.deny(item.id)

    def restart(self) -> None:
        self.stack.close()
        self.stack = contextlib.ExitStack()
        self.famulus = self._open()

    def close(self) -> None:
        self.stack.close()


def send_held_mail(famulus: Any) -> None:
    """Mail is held for its undo window (1 s here), then leaves, as the routine sends it."""
    if famulus.actions is not None and famulus.actions.tools.services["outbox"].held():
        time.sleep(1.2)
        famulus.actions.tools.dispatch_due()


def judge(case: Case, w: World, answer: str, tools: list[str]) -> str:
    """Why the request was not done right ("" when it was)."""
    said = answer.lower()
    for want in case.answer:
        options = (want,) if isinstance(want, str) else want
        if not any(o.lower() in said for o in options):
            return f"the answer lacks {' or '.join(options)!r}"
    if case.no_tool and tools:
        return f"a tool ran where none was needed: {tools}"
    if case.effect is not None:
        return case.effect(w)
    return "" if answer.strip() else "no answer"


def run_case(front: Front, w: World, case: Case, number: int) -> Outcome:
    replies = []
    for index, text in enumerate(case.turns):
        if case.restart and index == len(case.turns) - 1:
            front.restart()
        replies.append(front.say(text, f"everyday-{number}"))
        if case.approve:
            front.approve_waiting()
    front.deny_waiting()  # nothing left waiting for the next request
    last = replies[-1]
    tools = [t for r in replies for t in r.tools]
    try:
        why = judge(case, w, last.answer, tools)
    except Exception as exc:  # a check that cannot read the world is a failed request
        why = f"check failed: {type(exc).__name__}: {exc}"
    return Outcome(case.category, " / ".join(case.turns), not why, why, last.answer, tools,
                   [round(r.seconds, 2) for r in replies])


def run_all(front: Front, w: World, chosen: list[Case]) -> list[Outcome]:
    outcomes = []
    for number, case in enumerate(chosen):
        outcome = run_case(front, w, case, number)
        mark = "ok  " if outcome.ok else "FAIL"
        print(f"{mark} [{case.category}] {outcome.request} ({sum(outcome.turn_s):.1f} s)"
              + ("" if outcome.ok else f"\n     {outcome.why}\n     answer: "
                 f"{outcome.answer[:200]!r} tools: {outcome.tools}"), flush=True)
        outcomes.append(outcome)
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    by: dict[str, list[bool]] = {}
    for o in outcomes:
        by.setdefault(o.category, []).append(o.ok)
    turns = [t for o in outcomes for t in o.turn_s]
    return {"passed": sum(o.ok for o in outcomes), "requests": len(outcomes),
            "pass_rate": round(sum(o.ok for o in outcomes) / max(len(outcomes), 1), 3),
            "by_category": {c: f"{sum(v)}/{len(v)}" for c, v in by.items()},
            "median_turn_s": round(statistics.median(turns), 2) if turns else None}


@contextlib.contextmanager
def front_for(kind: str, home: Path, model: str) -> Iterator[Front]:
    if kind == "window":
        from bench.everyday_window import window_front

        with window_front(home, model) as front:
            yield front
        return
    front = AppFront(home, model)
    try:
        yield front
    finally:
        front.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--front", choices=("app", "window"), default="app")
    parser.add_argument("--only", nargs="*", default=[], help="categories to run")
    parser.add_argument("--threads", type=int, default=0, help="model threads (0: auto)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.threads:
        os.environ["FAMULUS_MODELS_THREADS"] = str(args.threads)
    os.environ.setdefault("FAMULUS_INFERENCE_TEMPERATURE", "0")
    with tempfile.TemporaryDirectory() as tmp, world(Path(tmp)) as w:
        chosen = [c for c in cases(w.web.url) if not args.only or c.category in args.only]
        with front_for(args.front, w.home, args.model) as front:
            outcomes = run_all(front, w, chosen)
    figures = {"model": args.model, "front": args.front, "cpu": platform.processor() or
               platform.machine(), "cores": os.cpu_count(), **summary(outcomes)}
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps({**figures, "outcomes": [asdict(o) for o in outcomes]},
                                        indent=2, default=str))


if __name__ == "__main__":
    main()
