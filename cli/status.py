"""`famulus status` and `famulus feedback`: the figures, alerts and the person's votes."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from app.profile import Profile
from cli.options import json_flag
from cli.output import print_json, with_hint


def register(sub: Any) -> None:
    status = sub.add_parser("status", help="response times, tool success, satisfaction, "
                            "alerts, reflection runs")
    json_flag(status)
    status.set_defaults(handler=status_command)

    feedback = sub.add_parser("feedback", help="thumbs up or down on the last answer (or the "
                              "memories it used)")
    feedback.add_argument("vote", choices=["up", "down"])
    feedback.add_argument("--memory", action="store_true",
                          help="about the memories the last answer used")
    feedback.set_defaults(handler=feedback_command)


def status_command(args: argparse.Namespace, profile: Profile) -> int:
    from agent.metrics import Metrics
    from agent.reflection.scheduler import PERIODS, Schedule

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
        print_json(data)
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
        print(f"ALERT {alert['kind']}: {with_hint(alert['text'], alert['next_step'])}")
    return 0


def feedback_command(args: argparse.Namespace, profile: Profile) -> int:
    from agent.metrics import Metrics

    metrics = Metrics(profile.paths.data_dir / "metrics.db")
    try:
        metrics.feedback("memory" if args.memory else "answer", args.vote == "up")
    finally:
        metrics.close()
    print("thanks: noted")
    return 0
