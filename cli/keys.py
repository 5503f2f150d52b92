"""`famulus keys set|delete NAME`: secrets in the OS keyring."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app import secrets
from app.profile import Profile
from inference.errors import InvalidRequest


def register(sub: Any) -> None:
    keys = sub.add_parser("keys", help="store cloud API keys in the OS keyring")
    actions = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    for action, handler in (("set", store), ("delete", delete)):
        parser = actions.add_parser(action)
        parser.add_argument("provider", type=secret_name, metavar="NAME",
                            help="openai, anthropic, smtp, imap, caldav or connector:NAME")
        parser.set_defaults(handler=handler)


def secret_name(value: str) -> str:
    try:
        return secrets.check_name(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def delete(args: argparse.Namespace, profile: Profile) -> int:
    removed = secrets.delete_api_key(args.provider)
    print("removed" if removed else f"no {args.provider} key was stored")
    return 0


def store(args: argparse.Namespace, profile: Profile) -> int:
    if sys.stdin.isatty():
        import getpass

        value = getpass.getpass(f"{args.provider} secret (API key or password): ")
    else:
        value = sys.stdin.readline()
    if not value.strip():
        raise InvalidRequest("no secret given")
    secrets.store_api_key(args.provider, value.strip())
    print(f"{args.provider} secret stored in the OS keyring")
    return 0
