"""Options that several commands share, defined once."""

from __future__ import annotations

import argparse


def json_flag(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """--json: one JSON object on stdout instead of text (shapes in docs/cli.md)."""
    parser.add_argument("--json", action="store_true", help=help)


def model_options(parser: argparse.ArgumentParser, backend: bool = True) -> None:
    """--model (and --backend): which model and backend answer."""
    parser.add_argument("--model", help="default, light or the path of a GGUF file")
    if backend:
        parser.add_argument("--backend", choices=["local", "cloud"],
                            help="use only this backend (cloud still needs "
                            "privacy.allow_cloud)")


def autonomy_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--autonomy", type=int, choices=range(4), metavar="0-3",
                        help="the autonomy level for this run (default: "
                        "tools.autonomy_level)")


def agent_options(parser: argparse.ArgumentParser) -> None:
    """--autonomy, --no-memory and --thread: how a conversation runs."""
    autonomy_option(parser)
    parser.add_argument("--no-memory", action="store_true",
                        help="neither read nor write memory (and no tools) in this run")
    parser.add_argument("--thread", default="default", help="the conversation thread")
