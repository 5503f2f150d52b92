"""What each `famulus` subcommand does."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from agent import doctor, secrets
from agent.progress import terminal_bar
from agent.runtime import Profile
from agent.settings import write_value
from inference.catalogue import list_models, resolve_chat_model
from inference.errors import InvalidRequest

ProfileFactory = Callable[[argparse.Namespace], Profile]


def _json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def ask(args: argparse.Namespace, profile: Profile) -> int:
    from agent.ask import ask as run_ask

    return run_ask(args, profile)


def run_doctor(args: argparse.Namespace, profile: Profile) -> int:
    report = doctor.run(profile)
    if args.json:
        _json(report)
    else:
        marks = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}
        for check in report["checks"]:
            print(f"[{marks[check['status']]}] {check['name']}: {check['detail']}")
            if check["fix"] and check["status"] != "ok":
                print(f"       → {check['fix']}")
        print("All needed parts work." if report["ok"] else "Some needed parts do not work.")
    return 0 if report["ok"] else 1


def models(args: argparse.Namespace, profile: Profile) -> int:
    if args.models_command == "prepare":
        choice = args.name or profile.settings["models.chat"]
        with terminal_bar(f"Joining the {choice} model") as bar:
            path = resolve_chat_model(choice, profile.paths.models_dir, bar)
        print(path)
        return 0
    entries = list_models(profile.paths.models_dir, profile.settings["models.paths"])
    if args.json:
        _json({"models": [e.to_dict() for e in entries]})
        return 0
    print(f"{'NAME':<30} {'KIND':<9} {'SOURCE':<8} {'SIZE':>9} {'QUANT':<7} {'CTX':>6}  CHECKSUM")
    for e in entries:
        size = f"{e.size_bytes / (1 << 20):.0f} MiB" if e.size_bytes else "-"
        print(f"{e.name[:30]:<30} {e.kind:<9} {e.source:<8} {size:>9} "
              f"{(e.quantization or '-'):<7} {e.context_length or '-':>6}  {e.checksum}")
    return 0


def config(args: argparse.Namespace, profile: Profile) -> int:
    if args.config_command == "path":
        print(profile.paths.config_file)
    elif args.config_command == "set":
        value = write_value(profile.paths.config_file, args.name, args.value)
        print(f"{args.name} = {value!r} (saved in {profile.paths.config_file})")
    elif args.json:
        _json({"config_file": str(profile.paths.config_file),
               "paths": profile.paths.to_dict(), "settings": profile.settings.to_dict()})
    else:
        print(f"# config file: {profile.paths.config_file}")
        for name, entry in profile.settings.to_dict().items():
            print(f"{name} = {entry['value']!r}    [{entry['source']}]")
    return 0


def keys(args: argparse.Namespace, profile: Profile) -> int:
    if args.keys_command == "delete":
        removed = secrets.delete_api_key(args.provider)
        print("removed" if removed else f"no {args.provider} key was stored")
        return 0
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


def chat(args: argparse.Namespace, profile: Profile) -> int:
    from agent.assembly import assembled
    from agent.terminal_chat import run

    with terminal_bar("Preparing the model") as bar, \
            assembled(profile, args.model, args.backend, not args.no_memory, args.autonomy,
                      bar) as parts:
        parts.start_background(lambda n: print(f"\n[{n.title}] {n.text}", flush=True))
        return run(parts, thread=args.thread)


def start_app(args: argparse.Namespace, profile: Profile) -> int:
    from agent.app import start

    return start(profile)


def memory(args: argparse.Namespace, profile: Profile) -> int:
    from agent import memory_cli

    return memory_cli.run(args, profile)


def backup(args: argparse.Namespace, profile: Profile) -> int:
    from agent import memory_cli

    return memory_cli.run_backup(args, profile)


def tools(args: argparse.Namespace, profile: Profile) -> int:
    from agent import tool_cli

    return tool_cli.run(args, profile)


def agent_command(args: argparse.Namespace, profile: Profile) -> int:
    from agent import agent_cli

    return agent_cli.run(args, profile)


def serve(args: argparse.Namespace, profile: Profile) -> int:
    from agent.serve import serve as run_server

    return run_server(args, profile)


def voice_command(args: argparse.Namespace, profile: Profile) -> int:
    from agent import voice_cli, voice_loop

    handlers = {"transcribe": voice_cli.transcribe, "say": voice_cli.say,
                "voice": voice_loop.run}
    return handlers[args.command](args, profile)


def dispatch(args: argparse.Namespace, make_profile: ProfileFactory) -> int:
    handlers = {"ask": ask, "doctor": run_doctor, "models": models, "config": config,
                "keys": keys, "chat": chat, "run": start_app, None: start_app,
                "memory": memory, "backup": backup, "tools": tools, "review": tools,
                "audit": tools, "undo": tools, "outbox": tools, "reflect": agent_command,
                "goals": agent_command, "status": agent_command, "feedback": agent_command,
                "serve": serve, "transcribe": voice_command, "say": voice_command,
                "voice": voice_command}
    return handlers[args.command](args, make_profile(args))
