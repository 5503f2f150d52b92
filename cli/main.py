"""The `famulus` command: the app, and the subcommands users and scripts call.

Each command group is a module of this package with `register(subparsers)`, which adds its
parsers and sets each one's handler: `handler(args, profile) -> exit status`. Handlers
import what they use when they run, so `famulus --help` stays quick.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
from collections.abc import Sequence

from agent.errors import SHOWN
from app.profile import load_profile
from cli.output import error_text, print_json
from tools.errors import ToolError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
# In the order `famulus --help` lists them.
GROUPS = ("run", "chat", "ask", "doctor", "models", "config", "keys", "memory", "backup",
          "tools", "review", "reflect", "status", "voice", "serve")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("famulus")
    except PackageNotFoundError:
        return "(version unknown: not installed)"


def parser() -> argparse.ArgumentParser:
    """The whole command line: the global options and every group's subcommands."""
    top = argparse.ArgumentParser(
        prog="famulus", description="A local-first personal AI agent for the desktop.")
    top.add_argument("--data-dir", help="keep all state (config, data, cache) in this folder "
                     "(also FAMULUS_HOME)")
    top.add_argument("-v", "--verbose", action="store_true", help="log INFO to the console")
    top.add_argument("--version", action="version", version=f"famulus {_version()}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        importlib.import_module(f"cli.{group}").register(sub)
    return top


def _exit_on_signals() -> None:
    """SIGTERM and SIGHUP end the command the way Ctrl-C does: through every `finally`,
    so the memory is sealed and its plaintext copy in RAM wiped. (Python's default for
    them ends the process on the spot.)"""
    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, leave)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `famulus` command; returns its exit status."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _exit_on_signals()
    args = parser().parse_args(argv)
    if not hasattr(args, "handler"):  # no command: the app
        from cli.run import start_app

        args.handler = start_app
    try:
        return args.handler(args, load_profile(args.data_dir, args.verbose))
    except ToolError as exc:
        if getattr(args, "json", False):
            print_json({"error": str(exc), "type": type(exc).__name__})
        else:
            print(f"famulus: error: {error_text(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except SHOWN as exc:
        print(f"famulus: error: {error_text(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left early (e.g. `| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
