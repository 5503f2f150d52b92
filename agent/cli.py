"""The `famulus` command: the app, and the subcommands users and scripts call."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from agent import paths as paths_module
from agent import settings as settings_module
from agent.runtime import Profile, open_profile

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("famulus")
    except PackageNotFoundError:
        return "(version unknown: not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="famulus", description="A local-first personal AI agent for the desktop.")
    parser.add_argument("--data-dir", help="keep all state (config, data, cache) in this folder "
                        "(also FAMULUS_HOME)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log INFO to the console")
    parser.add_argument("--version", action="version", version=f"famulus {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="start the app: the desktop window, or the terminal chat "
                   "where there is no display (the default command)")
    chat = sub.add_parser("chat", help="chat in the terminal")
    _model_options(chat)
    _agent_options(chat)
    ask = sub.add_parser("ask", help="ask one question and stream the answer")
    ask.add_argument("text", nargs="?", help="the question (read from stdin if absent)")
    ask.add_argument("--json", action="store_true", help="print one JSON object at the end")
    _model_options(ask)
    _agent_options(ask)
    doctor = sub.add_parser("doctor", help="check this machine, the models and the backends")
    doctor.add_argument("--json", action="store_true")
    models = sub.add_parser("models", help="the models Famulus can use")
    models_sub = models.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    listing = models_sub.add_parser("list", help="every model found, with checksum status")
    listing.add_argument("--json", action="store_true")
    prepare = models_sub.add_parser("prepare", help="join and verify an embedded model now")
    prepare.add_argument("name", nargs="?", default=None, help="default or light "
                         "(default: the models.chat setting)")
    config = sub.add_parser("config", help="show or change settings")
    config_sub = config.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    show = config_sub.add_parser("show", help="the effective settings and their sources")
    show.add_argument("--json", action="store_true")
    setter = config_sub.add_parser("set", help="store a setting in the config file")
    setter.add_argument("name")
    setter.add_argument("value")
    config_sub.add_parser("path", help="print the config file's path")
    keys = sub.add_parser("keys", help="store cloud API keys in the OS keyring")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    for action in ("set", "delete"):
        keys_sub.add_parser(action).add_argument(
            "provider", type=secrets_names, metavar="NAME",
            help="openai, anthropic, smtp, imap, caldav or connector:NAME")
    from agent.agent_parsers import add_agent_parsers
    from agent.memory_parsers import add_parsers
    from agent.tool_parsers import add_tool_parsers

    add_parsers(sub)
    add_tool_parsers(sub)
    add_agent_parsers(sub)
    return parser


def secrets_names(value: str) -> str:
    from agent.secrets import check_name

    try:
        return check_name(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _model_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", help="default, light or the path of a GGUF file")
    parser.add_argument("--backend", choices=["local", "cloud"],
                        help="use only this backend (cloud still needs privacy.allow_cloud)")


def _agent_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--autonomy", type=int, choices=range(4), metavar="0-3",
                        help="the autonomy level for this run (default: tools.autonomy_level)")
    parser.add_argument("--no-memory", action="store_true",
                        help="neither read nor write memory (and no tools) in this run")
    parser.add_argument("--thread", default="default", help="the conversation thread")


def _profile(args: argparse.Namespace) -> Profile:
    paths = paths_module.resolve(args.data_dir)
    settings = settings_module.load(paths.config_file)
    return open_profile(paths, settings, "INFO" if args.verbose else "WARNING")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `famulus` command; returns its exit status."""
    from agent.commands import dispatch
    from agent.secrets import KeyringUnavailable
    from inference.errors import InferenceError
    from memory.errors import MemoryStoreError
    from voice.errors import VoiceError

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = _parser().parse_args(argv)
    try:
        return dispatch(args, _profile)
    except (InferenceError, MemoryStoreError, settings_module.SettingError,
            KeyringUnavailable, VoiceError) as exc:
        print(f"famulus: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left early (e.g. `| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
