"""Code in an answer: fenced blocks split from the prose (also while still being
written), highlighted, each with a Copy that copies only its code."""

from __future__ import annotations

from agent.events import AgentEvent
from desktop.bubbles import Bubble
from desktop.chat_view import ChatView
from desktop.code_block import CodeBlock, Segment, segments
from desktop.qt import QApplication


def test_fenced_blocks_are_parts_of_their_own() -> None:
    text = "Here:\n\n```python\nprint(1)\n```\n\nAnd then:\n```\nls\n```"
    assert segments(text) == [Segment(False, "Here:"), Segment(True, "print(1)", "python"),
                              Segment(False, "\nAnd then:"), Segment(True, "ls", "")]
    assert segments("```sh\necho hi") == [Segment(False, ""), Segment(True, "echo hi", "sh")]
    assert segments("no code") == [Segment(False, "no code")]


def test_a_streamed_block_is_highlighted_and_copied_alone(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    for text in ("Try this:\n\n```py", "thon\ndef add(a, b):\n", "    return a + b\n```\n",
                 "It adds."):
        view.show_event(AgentEvent.from_dict({"type": "token", "text": text}))
    bubble = view.findChild(Bubble)
    blocks = bubble.findChildren(CodeBlock)
    assert len(blocks) == 1 and blocks[0].language == "python"
    assert "<span" in blocks[0].text.text()  # coloured by Pygments
    blocks[0].copy.click()
    assert QApplication.clipboard().text() == "def add(a, b):\n    return a + b"
    assert [type(p).__name__ for p in bubble.parts] == ["QLabel", "CodeBlock", "QLabel"]


def test_markup_in_code_stays_text(qtbot) -> None:
    block = CodeBlock()
    qtbot.addWidget(block)
    block.show_code("<b>not bold</b> <img src=x>", "nosuchlanguage")
    assert "&lt;b&gt;" in block.text.text() and "<img" not in block.text.text()
