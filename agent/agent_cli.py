"""`famulus reflect|goals|status|feedback`: the agent's own commands."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Any

from agent.runtime import Profile


def _json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def run(args: argparse.Namespace, profile: Profile) -> int:
    handlers = {"reflect": reflect, "goals": goals_command, "status": status,
                "feedback": feedback}
    return handlers[args.command](args, profile)


def reflect(args: argparse.Namespace, profile: Profile) -> int:
    from agent.assembly import assembled
    from agent.progress import terminal_bar
    from agent.scheduler import Schedule
    from memory.errors import VaultMissing

    day = None
    if args.day:
        day = datetime.now().date() if args.day == "today" else date.fromisoformat(args.day)
    schedule = Schedule(profile.paths.data_dir / "schedule.json")
    jobs = schedule.due() if args.job == "due" else [args.job]
    with terminal_bar("Preparing the model") as bar, \
            assembled(profile, args.model, progress=bar) as parts:
        reflector = parts.reflector(lambda n: print(f"[{n.title}] {n.text}",
                                                    file=sys.stderr))
        if reflector is None:
            raise VaultMissing("reflection needs memory: " + "; ".join(parts.notes))
        reports = []
        for job in jobs:
            with parts.agent.turn_lock:
                reports += reflector.run(job, day if job == "daily" else None)
            if day is None:
                schedule.mark(job)
    if args.json:
        _json({"jobs": jobs, "reports": [r.to_dict() for r in reports]})
        return 0
    if not reports:
        print("no reflection is due")
    for r in reports:
        print(f"{r.job} reflection ({r.period}): {r.episodes} episodes, {len(r.facts)} facts, "
              f"{len(r.preferences)} preferences, {r.seconds} s")
        for fact in r.facts:
            print(f"  {fact['subject']} {fact['relation']} {fact['object']}")
        if r.summary:
            print("  " + r.summary.replace("\n", "\n  "))
        for note in r.notes:
            print(f"  ({note})")
    return 0


def goals_command(args: argparse.Namespace, profile: Profile) -> int:
    from agent import goals
    from agent.assembly import goal_weights
    from agent.memory_cli import _opened
    from memory.errors import MemoryStoreError

    weights = goal_weights(profile.settings["agent.goal_weights"])
    with _opened(profile, embed=False) as memory:
        if args.goals_command == "add":
            try:
                goal = goals.add(memory, args.title, args.due, args.importance,
                                 args.preference)
            except ValueError as exc:
                raise MemoryStoreError(f"--due: {exc} (write YYYY-MM-DD)") from None
            _json(goal.to_dict()) if args.json else print(f"added goal {goal.id}")
            return 0
        if args.goals_command == "done":
            try:
                goal = goals.complete(memory, args.id)
            except KeyError:
                raise MemoryStoreError(f"no goal {args.id!r}: see `famulus goals list`") \
                    from None
            _json(goal.to_dict()) if args.json else print(f"{goal.id} done")
            return 0
        ranked = goals.ranked(memory, weights=weights)
    if args.json:
        _json({"goals": [{**g.to_dict(), "score": s} for g, s in ranked],
               "weights": {"urgency": weights[0], "importance": weights[1],
                           "preference": weights[2]}})
        return 0
    for g, s in ranked:
        print(f"{s:.2f}  {g.id:<28} {g.title}{'  (due ' + g.due + ')' if g.due else ''}")
    if not ranked:
        print("no open goals (`famulus goals add TITLE`)")
    return 0


def status(args: argparse.Namespace, profile: Profile) -> int:
    from agent.metrics import Metrics
    from agent.scheduler import PERIODS, Schedule

    metrics = Metrics(profile.paths.data_dir / "metrics.db")
    try:
        summary = metrics.summary()
        alerts = metrics.alerts(summary)
    finally:
        metrics.close()
    schedule = Schedule(profile.paths.data_dir / "schedule.json")
    runs = {job: schedule.last(job) for job in PERIODS}
    data = {**summary, "alerts": alerts, "reflection_last_run": runs,
            "reflection_due": schedule.due()}
    if args.json:
        _json(data)
        return 0
    rt, ft = summary["response_time_s"], summary["time_to_first_token_s"]
    print(f"turns: {summary['turns']}; response p50/p95 {rt['p50']}/{rt['p95']} s; first "
          f"token p50/p95 {ft['p50']}/{ft['p95']} s; {summary['tokens_per_s_median']} tok/s")
    print(f"tools: {summary['tool_calls']} calls, success rate "
          f"{summary['tool_success_rate']}, {summary['tool_refusals']} refused by the gate")
    sat = summary["satisfaction"]
    print(f"satisfaction: {sat['up']} up, {sat['down']} down; memory feedback: "
          f"{summary['memory_feedback']['up']} up, {summary['memory_feedback']['down']} down")
    for job, when in runs.items():
        print(f"{job} reflection: last {datetime.fromtimestamp(when):%Y-%m-%d %H:%M}"
              if when else f"{job} reflection: never run")
    for alert in alerts:
        print(f"ALERT {alert['kind']}: {alert['text']}")
    return 0


def feedback(args: argparse.Namespace, profile: Profile) -> int:
    from agent.metrics import Metrics

    metrics = Metrics(profile.paths.data_dir / "metrics.db")
    try:
        metrics.feedback("memory" if args.memory else "answer", args.vote == "up")
    finally:
        metrics.close()
    print("thanks: noted")
    return 0
