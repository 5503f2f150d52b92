"""`famulus doctor`: what this machine offers, what works, and what to do about the rest."""

from __future__ import annotations

import argparse
from typing import Any

from app.profile import Profile
from cli.options import json_flag
from cli.output import print_json


def register(sub: Any) -> None:
    doctor = sub.add_parser("doctor", help="check this machine, the models and the backends")
    json_flag(doctor)
    doctor.set_defaults(handler=run_doctor)


def run_doctor(args: argparse.Namespace, profile: Profile) -> int:
    from app import doctor

    report = doctor.run(profile)
    if args.json:
        print_json(report)
    else:
        marks = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}
        for check in report["checks"]:
            print(f"[{marks[check['status']]}] {check['name']}: {check['detail']}")
            if check["fix"] and check["status"] != "ok":
                print(f"       → {check['fix']}")
        print("All needed parts work." if report["ok"] else "Some needed parts do not work.")
    return 0 if report["ok"] else 1
