"""`famulus config show|set|path`: the settings and where each comes from."""

from __future__ import annotations

import argparse
from typing import Any

from app.profile import Profile
from cli.options import json_flag
from cli.output import print_json


def register(sub: Any) -> None:
    config = sub.add_parser("config", help="show or change settings")
    actions = config.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    show = actions.add_parser("show", help="the effective settings and their sources")
    json_flag(show)
    show.set_defaults(handler=show_settings)
    setter = actions.add_parser("set", help="store a setting in the config file")
    setter.add_argument("name")
    setter.add_argument("value")
    setter.set_defaults(handler=set_setting)
    actions.add_parser("path", help="print the config file's path").set_defaults(
        handler=config_path)


def config_path(args: argparse.Namespace, profile: Profile) -> int:
    print(profile.paths.config_file)
    return 0


def set_setting(args: argparse.Namespace, profile: Profile) -> int:
    from app.settings import write_value

    value = write_value(profile.paths.config_file, args.name, args.value)
    print(f"{args.name} = {value!r} (saved in {profile.paths.config_file})")
    return 0


def show_settings(args: argparse.Namespace, profile: Profile) -> int:
    if args.json:
        print_json({"config_file": str(profile.paths.config_file),
                    "paths": profile.paths.to_dict(), "settings": profile.settings.to_dict()})
        return 0
    print(f"# config file: {profile.paths.config_file}")
    for name, entry in profile.settings.to_dict().items():
        print(f"{name} = {entry['value']!r}    [{entry['source']}]")
    return 0
