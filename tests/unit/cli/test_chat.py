"""The terminal chat over the agent: streaming, inline approval, /commands."""

from __future__ import annotations

import io
from pathlib import Path

from agent.loop import Agent
from app.actions import Actions
from app.famulus import Famulus
from cli.chat import run
from tests.fakes import ScriptedModel
from tests.tool_helpers import make_service


def chat(tmp_path: Path, replies: list, script: str, level: int = 1) -> str:
    service = make_service(tmp_path, level)
    famulus = Famulus(Agent(ScriptedModel(replies), tools=service), actions=Actions(service))
    out = io.StringIO()
    assert run(famulus, io.StringIO(script), out) == 0
    return out.getvalue()


def test_answers_streams_and_quits(tmp_path: Path) -> None:
    text = chat(tmp_path, ["Paris."], "capital of France?\n/new\n/status\n/quit\n")
    assert "famulus> Paris." in text and "(new thread default#1)" in text
    assert "1 turns" in text


def test_inline_approval_edit_and_commands(tmp_path: Path) -> None:
    call = [("file_write", {"path": "a.txt", "content": "draft"})]
    script = ("write the file a.txt\ne\n"
              '{"path": "a.txt", "content": "final"}\n'
              "/autonomy 2\n/autonomy\n/undo A1\n/review\n/undo A9\n/quit\n")
    text = chat(tmp_path, [call, "Written."], script, level=0)
    assert "needs your approval: autonomy level 0" in text
    assert "[file_write done (A1; /undo A1)]" in text
    assert "[autonomy level 2 for this session]" in text
    assert "removed" in text and "nothing waits for review" in text
    assert "there is no action A9" in text
    assert not (tmp_path / "a.txt").exists()


def test_later_leaves_it_in_the_queue(tmp_path: Path) -> None:
    call = [("file_write", {"path": "b.txt", "content": "x"})]
    text = chat(tmp_path, [call, "It waits."], "write the file b.txt\n\n/review\n/approve R1\n"
                "/quit\n", level=0)
    assert "R1 file_write" in text and "[done:" in text
    assert (tmp_path / "b.txt").read_text() == "x"


def test_ctrl_c_stops_the_answer_not_the_chat(tmp_path: Path) -> None:
    class Interrupting(ScriptedModel):
        def stream(self, request):  # type: ignore[no-untyped-def]
            yield from ()
            raise KeyboardInterrupt

    service = make_service(tmp_path, 1)
    famulus = Famulus(Agent(Interrupting([]), tools=service), actions=Actions(service))
    out = io.StringIO()
    assert run(famulus, io.StringIO("tell me a long story\n/status\n/quit\n"), out) == 0
    assert "[stopped]" in out.getvalue() and "no turns yet" in out.getvalue()
