"""The bubblewrap sandbox: python_run and the person's command tools."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.tool_helpers import make_service
from tools.catalog import builtin_tools
from tools.gate import ToolCall
from tools.user_tools import command_tool, load_user_tools

pytestmark = pytest.mark.slow


def python(service, code: str):
    return service.call(ToolCall("python_run", {"code": code}))


def test_code_reads_granted_files_but_cannot_change_them_or_reach_out(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    (tmp_path.parent / "private.txt").write_text("not granted")
    service = make_service(tmp_path)
    result = python(service, f"""
import os, socket
print(open({str(tmp_path / 'data.csv')!r}).read().splitlines()[1])
for attempt in (lambda: open({str(tmp_path / 'data.csv')!r}, 'a').write('x'),
                lambda: open({str(tmp_path.parent / 'private.txt')!r}).read(),
                lambda: socket.create_connection(('1.1.1.1', 53), timeout=2),
                lambda: open('/etc/shadow').read()):
    try:
        attempt(); print('ALLOWED')
    except OSError as exc:
        print('refused', type(exc).__name__)
open('scratch.txt', 'w').write('fine')
print(os.getcwd() == os.environ['HOME'])
""")
    assert result.status == "done", result.error
    lines = result.result["stdout"].splitlines()
    assert lines[0] == "1,2"
    assert "ALLOWED" not in result.result["stdout"], result.result
    assert lines[-1] == "True"
    assert (tmp_path / "data.csv").read_text() == "a,b\n1,2\n"


def test_runaway_code_is_killed(tmp_path: Path) -> None:
    from dataclasses import replace

    from tools.declare import Tool

    quick = [Tool(replace(t.manifest, timeout_s=1.0), t.run) if t.name == "python_run" else t
             for t in builtin_tools()]
    service = make_service(tmp_path, tools=quick)
    result = python(service, "while True: pass")
    assert result.status == "failed" and "longer than" in result.error


def test_missing_bubblewrap_is_a_clear_error(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = python(make_service(tmp_path), "print(1)")
    assert result.status == "failed"
    assert "bubblewrap (bwrap) is not installed" in result.error
    assert "apt install bubblewrap" in result.error


def test_user_command_tools_from_json(tmp_path: Path) -> None:
    script = tmp_path / "wc.py"
    script.write_text("import json, sys\nargs = json.load(sys.stdin)\n"
                      "print(json.dumps({'words': len(args['text'].split())}))\n")
    folder = tmp_path / "tools"
    folder.mkdir()
    (folder / "wc.json").write_text(json.dumps({
        "name": "word_count", "description": "Count words", "category": "data_processing",
        "risk": "read", "parameters": {"type": "object", "properties": {
            "text": {"type": "string"}}, "required": ["text"]},
        "command": [sys.executable, str(script)]}))
    (folder / "broken.json").write_text("{")
    found, problems = load_user_tools(folder)
    assert [t.name for t in found] == ["word_count"] and "broken.json" in problems[0]
    service = make_service(tmp_path, tools=[*builtin_tools(), *found])
    result = service.call(ToolCall("word_count", {"text": "one two three"}))
    assert result.status == "done", result.error
    assert result.result == {"words": 3}
    failing = command_tool({"name": "boom", "category": "data_processing", "risk": "read",
                            "command": [sys.executable, "-c", "import sys; sys.exit('nope')"]})
    service = make_service(tmp_path, tools=[failing])
    assert "exited with 1: nope" in service.call(ToolCall("boom", {})).error


def test_code_is_held_to_its_limits(tmp_path: Path) -> None:
    """Memory it may map, a flood of output read in bounded chunks, and (for a user other
    than root, whom the kernel exempts from RLIMIT_NPROC) the processes it may start."""
    import os

    service = make_service(tmp_path)
    grabbed = python(service, "x = bytearray(3 << 30)\nprint('allocated')")
    assert grabbed.status == "done" and "MemoryError" in grabbed.result["stderr"]
    assert "allocated" not in grabbed.result["stdout"]
    flood = python(service, "import sys\nfor _ in range(400): sys.stdout.write('x' * (1 << 20))")
    assert flood.status == "done" and len(flood.result["stdout"]) <= 20_000
    forks = python(service, """
import os, time
made = 0
try:
    for _ in range(300):
        if os.fork() == 0:
            time.sleep(2)
            os._exit(0)
        made += 1
except OSError:
    pass
print(made)
""")
    assert forks.status == "done"
    if os.getuid() != 0:
        assert int(forks.result["stdout"]) < 300
