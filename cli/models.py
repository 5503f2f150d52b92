"""`famulus models list|prepare`: the models Famulus can use."""

from __future__ import annotations

import argparse
from typing import Any

from app.profile import Profile
from cli.options import json_flag
from cli.output import print_json, terminal_bar


def register(sub: Any) -> None:
    models = sub.add_parser("models", help="the models Famulus can use")
    actions = models.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="every model found, with checksum status")
    json_flag(listing)
    listing.set_defaults(handler=list_models)
    prepare = actions.add_parser("prepare", help="join and verify an embedded model now")
    prepare.add_argument("name", nargs="?", default=None, help="default or light "
                         "(default: the models.chat setting)")
    prepare.set_defaults(handler=prepare_model)


def prepare_model(args: argparse.Namespace, profile: Profile) -> int:
    from inference.catalogue import resolve_chat_model

    choice = args.name or profile.settings.models.chat
    with terminal_bar(f"Joining the {choice} model") as bar:
        path = resolve_chat_model(choice, profile.paths.models_dir, bar)
    print(path)
    return 0


def list_models(args: argparse.Namespace, profile: Profile) -> int:
    from inference.catalogue import list_models as found

    entries = found(profile.paths.models_dir, profile.settings.models.paths)
    if args.json:
        print_json({"models": [e.to_dict() for e in entries]})
        return 0
    print(f"{'NAME':<30} {'KIND':<9} {'SOURCE':<8} {'SIZE':>9} {'QUANT':<7} {'CTX':>6}  CHECKSUM")
    for e in entries:
        size = f"{e.size_bytes / (1 << 20):.0f} MiB" if e.size_bytes else "-"
        print(f"{e.name[:30]:<30} {e.kind:<9} {e.source:<8} {size:>9} "
              f"{(e.quantization or '-'):<7} {e.context_length or '-':>6}  {e.checksum}")
    return 0
