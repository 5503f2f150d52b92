"""`famulus reflect` and `famulus goals`: reflection now, and the person's ranked goals."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from typing import Any

from app.profile import Profile
from cli.options import json_flag, model_options
from cli.output import limitation_text, print_json, terminal_bar


def register(sub: Any) -> None:
    parser = sub.add_parser("reflect", help="run a reflection now: learn facts from a day, "
                            "plan the week, check the month")
    parser.add_argument("job", nargs="?", default="due",
                        choices=["daily", "weekly", "monthly", "due"],
                        help="which job ('due': whatever the schedule says is due)")
    parser.add_argument("--day", help="the day the daily review reads: YYYY-MM-DD or "
                        "'today' (default: the days since the last run)")
    model_options(parser, backend=False)
    json_flag(parser)
    parser.set_defaults(handler=reflect)

    goals = sub.add_parser("goals", help="your goals, ranked by urgency, importance and "
                           "preference")
    gs = goals.add_subparsers(dest="goals_command", required=True, metavar="ACTION")
    goals.set_defaults(handler=goals_command)
    add = gs.add_parser("add", help="add a goal")
    add.add_argument("title")
    add.add_argument("--due", default="", help="YYYY-MM-DD")
    add.add_argument("--importance", type=float, default=0.5, help="0 to 1")
    add.add_argument("--preference", type=float, default=0.5,
                     help="0 to 1: how much you want to do it")
    json_flag(add)
    json_flag(gs.add_parser("list", help="open goals, best first"))
    done = gs.add_parser("done", help="mark a goal done")
    done.add_argument("id")
    json_flag(done)


def reflect(args: argparse.Namespace, profile: Profile) -> int:
    from agent.reflection.scheduler import Schedule
    from app.famulus import open_famulus
    from cli.prompts import passphrase_asker
    from memory.errors import VaultMissing

    day = None
    if args.day:
        day = datetime.now().date() if args.day == "today" else date.fromisoformat(args.day)
    schedule = Schedule(profile.paths.data_dir / "schedule.json")
    jobs = schedule.due() if args.job == "due" else [args.job]
    with terminal_bar("Preparing the model") as bar, \
            open_famulus(profile, args.model, progress=bar,
                         ask_passphrase=passphrase_asker()) as famulus:
        reflector = famulus.reflector(lambda n: print(f"[{n.title}] {n.text}",
                                                      file=sys.stderr))
        if reflector is None:
            raise VaultMissing("reflection needs memory: " + "; ".join(
                limitation_text(limit) for limit in famulus.limitations))
        reports = []
        for job in jobs:
            with famulus.turn_lock:
                reports += reflector.run(job, day if job == "daily" else None)
            if day is None:
                schedule.mark(job)
    if args.json:
        print_json({"jobs": jobs, "reports": [r.to_dict() for r in reports]})
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
    from agent.reflection import goals
    from app.settings import goal_weights
    from cli.memory import opened
    from memory.errors import MemoryStoreError

    weights = goal_weights(profile.settings.agent.goal_weights)
    with opened(profile, embed=False) as memory:
        if args.goals_command == "add":
            try:
                goal = goals.add(memory, args.title, args.due, args.importance,
                                 args.preference)
            except ValueError as exc:
                raise MemoryStoreError(f"--due: {exc} (write YYYY-MM-DD)") from None
            print_json(goal.to_dict()) if args.json else print(f"added goal {goal.id}")
            return 0
        if args.goals_command == "done":
            try:
                goal = goals.complete(memory, args.id)
            except KeyError:
                raise MemoryStoreError(f"no goal {args.id!r}: see `famulus goals list`") \
                    from None
            print_json(goal.to_dict()) if args.json else print(f"{goal.id} done")
            return 0
        ranked = goals.ranked(memory, weights=weights)
    if args.json:
        print_json({"goals": [{**g.to_dict(), "score": s} for g, s in ranked],
                    "weights": {"urgency": weights[0], "importance": weights[1],
                                "preference": weights[2]}})
        return 0
    for g, s in ranked:
        print(f"{s:.2f}  {g.id:<28} {g.title}{'  (due ' + g.due + ')' if g.due else ''}")
    if not ranked:
        print("no open goals (`famulus goals add TITLE`)")
    return 0
