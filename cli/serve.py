"""`famulus serve`: the agent as a local, OpenAI-compatible HTTP API (cli/api.py)."""

from __future__ import annotations

import argparse
import sys
import time
from collections import deque
from typing import Any

from agent.events import Notification
from app.profile import Profile
from cli.options import autonomy_option, model_options
from cli.output import limitation_text, terminal_bar


def register(sub: Any) -> None:
    serve = sub.add_parser("serve", help="a local HTTP API (OpenAI-compatible) on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default 127.0.0.1: this machine only)")
    model_options(serve, backend=False)
    autonomy_option(serve)
    serve.set_defaults(handler=serve_api)


def serve_api(args: argparse.Namespace, profile: Profile) -> int:
    import uvicorn

    from app.famulus import open_famulus
    from cli.api import build_app, token
    from cli.api_input import LOOPBACK
    from cli.prompts import passphrase_asker

    notes: deque[dict[str, Any]] = deque(maxlen=100)

    def notify(n: Notification) -> None:
        notes.append({**n.to_dict(), "time": time.time()})

    api_token = token(profile)
    with terminal_bar("Preparing the model") as bar, \
            open_famulus(profile, args.model, autonomy=args.autonomy, progress=bar,
                         ask_passphrase=passphrase_asker()) as famulus:
        for limit in famulus.limitations:
            print(f"famulus: {limitation_text(limit)}", file=sys.stderr)
        famulus.start_background(notify)
        # on this machine only, requests must be addressed to it (DNS rebinding)
        hosts = LOOPBACK if args.host in LOOPBACK else ()
        app = build_app(famulus, api_token, notes, hosts)
        where = profile.paths.data_dir / "serve-token"
        print(f"Famulus API on http://{args.host}:{args.port}/v1 (bearer token in {where})",
              file=sys.stderr, flush=True)
        # no lifespan: nothing starts with the app, and Ctrl-C then stops it quietly
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", lifespan="off")
    return 0
