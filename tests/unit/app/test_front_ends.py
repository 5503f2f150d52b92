"""One path for every front end: the same request through the terminal, the API, the
window's session and voice runs the same turn through the facade, with the same effect and
the same answer (here, a call the model wrote out as text, which must be made)."""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from agent.loop import Agent
from app.actions import Actions
from app.famulus import Famulus
from tests.fakes import ScriptedModel
from tests.tool_helpers import make_service

REQUEST = "make a note called groceries with milk and eggs"
WRITTEN = ('{{"name": "notes_write", "arguments": {"title": "groceries", '
           '"text": "milk and eggs", "mode": "create"}}}')


def famulus(root: Path) -> Famulus:
    service = make_service(root, level=1)
    return Famulus(Agent(ScriptedModel([WRITTEN, "I made the note groceries."]),
                         tools=service), actions=Actions(service))


def terminal(f: Famulus) -> str:
    from cli.chat import run

    out = io.StringIO()
    run(f, io.StringIO(REQUEST + "\n/quit\n"), out)
    return out.getvalue()


def api(f: Famulus) -> str:
    from cli.api import build_app

    with TestClient(build_app(f, "t", deque())) as client:
        reply = client.post("/v1/chat/completions", headers={"Authorization": "Bearer t"},
                            json={"messages": [{"role": "user", "content": REQUEST}]})
    return reply.json()["choices"][0]["message"]["content"]


def voice(f: Famulus) -> str:
    from cli.voice_loop import responder

    return "".join(responder(f, "voice")(REQUEST))


def window(f: Famulus) -> str:
    from app.profile import open_profile
    from app.settings import load
    from desktop.session import AgentSession

    session = AgentSession(open_profile(_paths(f), load(None, env={})))
    session.famulus = f
    said: list[str] = []
    session.event.connect(lambda e: e.type == "turn_finished" and said.append(e.answer))
    session.ask(REQUEST, "default")
    return said[0]


def _paths(f: Famulus):  # a profile's folders beside the tools' granted one
    from app.paths import resolve

    return resolve(f.actions.tools.gate.boundaries.roots[0] / "home")


@pytest.mark.parametrize("front_end", [terminal, api, voice, window],
                         ids=["terminal", "api", "voice", "window"])
def test_the_same_request_has_the_same_effect_everywhere(
        tmp_path: Path, front_end: Callable[[Famulus], str], qapp) -> None:
    said = front_end(famulus(tmp_path))
    assert (tmp_path / "notes" / "groceries.md").read_text().strip().endswith("milk and eggs")
    assert "Created the note groceries: milk and eggs." in said and '"name"' not in said
