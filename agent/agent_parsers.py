"""The arguments of `famulus reflect|goals|status|feedback|serve` (handlers:
agent/agent_cli.py and agent/serve.py)."""

from __future__ import annotations

from typing import Any


def add_agent_parsers(sub: Any) -> None:
    reflect = sub.add_parser("reflect", help="run a reflection now: learn facts from a day, "
                             "plan the week, check the month")
    reflect.add_argument("job", nargs="?", default="due",
                         choices=["daily", "weekly", "monthly", "due"],
                         help="which job ('due': whatever the schedule says is due)")
    reflect.add_argument("--day", help="the day the daily review reads: YYYY-MM-DD or "
                         "'today' (default: the days since the last run)")
    reflect.add_argument("--model", help="default, light or the path of a GGUF file")
    reflect.add_argument("--json", action="store_true")

    goals = sub.add_parser("goals", help="your goals, ranked by urgency, importance and "
                           "preference")
    gs = goals.add_subparsers(dest="goals_command", required=True, metavar="ACTION")
    add = gs.add_parser("add", help="add a goal")
    add.add_argument("title")
    add.add_argument("--due", default="", help="YYYY-MM-DD")
    add.add_argument("--importance", type=float, default=0.5, help="0 to 1")
    add.add_argument("--preference", type=float, default=0.5,
                     help="0 to 1: how much you want to do it")
    add.add_argument("--json", action="store_true")
    listing = gs.add_parser("list", help="open goals, best first")
    listing.add_argument("--json", action="store_true")
    done = gs.add_parser("done", help="mark a goal done")
    done.add_argument("id")
    done.add_argument("--json", action="store_true")

    status = sub.add_parser("status", help="response times, tool success, satisfaction, "
                            "alerts, reflection runs")
    status.add_argument("--json", action="store_true")

    feedback = sub.add_parser("feedback", help="thumbs up or down on the last answer (or the "
                              "memories it used)")
    feedback.add_argument("vote", choices=["up", "down"])
    feedback.add_argument("--memory", action="store_true",
                          help="about the memories the last answer used")

    transcribe = sub.add_parser("transcribe", help="speech to text from an audio file "
                                "(wav, flac, mp3, ogg, m4a)")
    transcribe.add_argument("file")
    transcribe.add_argument("--json", action="store_true")
    say = sub.add_parser("say", help="speak text aloud (or into a WAV file)")
    say.add_argument("text", nargs="?", help="the text (read from stdin if absent)")
    say.add_argument("--out", help="write a 16-bit WAV file instead of playing it")

    voice = sub.add_parser("voice", help="push-to-talk in the terminal: speak, hear the "
                           "reply")
    voice.add_argument("--model", help="default, light or the path of a GGUF file")

    serve = sub.add_parser("serve", help="a local HTTP API (OpenAI-compatible) on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--model", help="default, light or the path of a GGUF file")
    serve.add_argument("--autonomy", type=int, choices=range(4), metavar="0-3")
