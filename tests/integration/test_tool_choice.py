"""Tool choice by meaning, with the embedded all-MiniLM-L6-v2 (its int8 ONNX copy, as the
app uses on a CPU): the everyday requests that share no word with their tool find it, and
small talk finds none."""

from __future__ import annotations

import pytest

from agent.tool_choice import ToolChooser, select
from inference.embedded import embedding_model_dir
from inference.embeddings_onnx import OnnxEmbedder, int8_model_path
from tools.catalog import builtin_tools
from tools.productivity import MEMORY_TOOLS

pytestmark = pytest.mark.slow
MANIFESTS = [t.manifest for t in [*builtin_tools(), *MEMORY_TOOLS]]


@pytest.fixture(scope="module")
def chooser() -> ToolChooser:
    return ToolChooser(OnnxEmbedder(int8_model_path(), embedding_model_dir()).embed)


@pytest.mark.parametrize("request_text, tool", [
    ("what is in my documents", "file_list"),
    ("which files are in /home/me/docs?", "file_list"),
    ("move my dentist appointment to Friday", "calendar_change"),
    ("push the team meeting back an hour", "calendar_change"),
    ("what is the average of column price in data.csv", "table_summary"),
    ("what did I tell you about Ana?", "memory_recall"),
    ("add a task to call the dentist tomorrow at 10", "tasks_add"),
])
def test_everyday_requests_find_their_tool(chooser: ToolChooser, request_text: str,
                                           tool: str) -> None:
    offered = [s.name for s in select(MANIFESTS, request_text, 6, chooser)]
    assert tool in offered, offered


@pytest.mark.parametrize("request_text", ["What time is it now?", "What is 7 times 6?",
                                          "I like green tea.", "Tell me a fun fact.",
                                          "Say hello in one word.", "How are you today?",
                                          "What is the capital of Spain?"])
def test_small_talk_finds_no_tool(chooser: ToolChooser, request_text: str) -> None:
    assert select(MANIFESTS, request_text, 6, chooser) == []
