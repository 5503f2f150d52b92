"""Python code over the person's data, in the bubblewrap sandbox: no network, the granted
folders read-only, a scratch folder that is thrown away."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tools import sandbox
from tools.context import ToolContext
from tools.declare import tool
from tools.manifest import Risk


@tool("data_processing", Risk.WRITE, timeout_s=60.0)
def python_run(ctx: ToolContext, code: str) -> dict[str, Any]:
    """Run Python code in a sandbox (no network; the granted folders are read-only).

    Args:
        code: a Python program; what it prints is the result.
    """
    script = ctx.scratch / "main.py"
    script.write_text(code)
    roots = [Path(r) for r in ctx.boundaries.roots]
    result = sandbox.run([sandbox.python_program(), "-I", str(script)], ctx.scratch,
                         read_paths=roots, timeout_s=55.0, cancel=ctx.cancel,
                         max_output=100_000)
    return {"exit_code": result.returncode, "stdout": result.stdout[-20_000:],
            "stderr": result.stderr[-5_000:]}


TOOLS = [python_run]
