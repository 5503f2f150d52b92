"""The person's own tools: a JSON manifest plus a command, run in the sandbox.

    {"name": "word_count", "description": "Count words in a text", "category": "data_processing",
     "risk": "read", "parameters": {"type": "object", "properties": {"text": {"type": "string"}},
                                    "required": ["text"]},
     "command": ["python3", "/home/me/tools/wc.py"]}

The arguments arrive as JSON on stdin; what the command prints (JSON or text) is the
result; a non-zero exit is a failure whose message is its stderr. The command sees the
granted folders read-only and the network only if `permissions.network` is true.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tools import sandbox
from tools.context import Outcome, ToolContext
from tools.declare import Tool
from tools.errors import ManifestError, ToolFailed
from tools.manifest import Manifest


def load_user_tools(folder: Path) -> tuple[list[Tool], list[str]]:
    """Tools from `folder/*.json`, and a problem line per file that could not be used."""
    tools, problems = [], []
    for file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(file.read_text())
            if not isinstance(data, dict):
                raise ManifestError("a user tool is one JSON object")
            tools.append(command_tool({**data, "source": f"user:{file.name}"}))
        except (ManifestError, json.JSONDecodeError, OSError) as exc:
            problems.append(f"{file.name}: {exc}")
    return tools, problems


def command_tool(data: dict[str, Any]) -> Tool:
    command = data.get("command")
    if not isinstance(command, list) or not command or not all(isinstance(c, str)
                                                               for c in command):
        raise ManifestError(f"tool {data.get('name')!r} needs a command: a list of strings")
    manifest = Manifest.from_dict({k: v for k, v in data.items() if k != "command"})
    visible = [Path(c) for c in command if os.path.isabs(c) and os.path.exists(c)]

    def run(ctx: ToolContext, arguments: dict[str, Any]) -> Outcome:
        result = sandbox.run(command, ctx.scratch,
                             read_paths=[*ctx.boundaries.roots, *visible],
                             network=manifest.permissions.network,
                             timeout_s=manifest.timeout_s, stdin=json.dumps(arguments),
                             cancel=ctx.cancel)
        if result.returncode != 0:
            raise ToolFailed(f"{manifest.name} exited with {result.returncode}: "
                             f"{result.stderr.strip()[-500:]}")
        try:
            return Outcome(json.loads(result.stdout))
        except json.JSONDecodeError:
            return Outcome(result.stdout.strip())

    return Tool(manifest, run)
