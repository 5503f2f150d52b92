"""The chat view renders the agent's events: streamed Markdown, tool cards through their
states with approve/deny/undo, and feedback; Enter sends, Shift+Enter breaks the line;
Stop (or Escape) ends an answer."""

from __future__ import annotations

from PySide6.QtTest import QTest

from agent.events import AgentEvent
from desktop.chat_view import Bubble, ChatView, ToolCard
from desktop.qt import QKeySequence, Qt


def show(view: ChatView, data: dict) -> None:
    """The event the agent would send, as its API form says it."""
    view.show_event(AgentEvent.from_dict(data))


def test_enter_sends_and_shift_enter_breaks_the_line(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.set_ready(True)
    QTest.keyClicks(view.input, "first line")
    QTest.keyClick(view.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(view.input, "second")
    with qtbot.wait_signal(view.send) as sent:
        QTest.keyClick(view.input, Qt.Key.Key_Return)
    assert sent.args == ["first line\nsecond"]
    assert not view.input.isEnabled()  # until the answer is done
    assert "You: first line\nsecond" in view.transcript()


def test_tokens_stream_into_one_markdown_answer(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    for text in ("Here is ", "**bold** and `code`", "\n\n- one\n- two"):
        show(view, {"type": "token", "text": text})
    show(view, {"type": "turn_finished", "answer": "", "thread": "t"})
    bubbles = view.findChildren(Bubble)
    assert len(bubbles) == 1
    assert bubbles[0].textFormat() == Qt.TextFormat.MarkdownText
    assert bubbles[0].text_so_far == "Here is **bold** and `code`\n\n- one\n- two"


def test_a_tool_card_follows_its_call_from_review_to_undo(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    show(view, {"type": "tool_proposed", "tool": "notes_write",
                     "arguments": {"title": "groceries"}})
    show(view, {"type": "tool_awaiting_approval", "action_id": "A1",
                     "review_id": "R1", "tool": "notes_write", "reason": "level 0"})
    card = view.findChild(ToolCard)
    assert card.state == "awaiting approval" and card.approve_button.isVisibleTo(view)
    with qtbot.wait_signal(view.approve) as approved:
        card.approve_button.click()
    assert approved.args == ["R1"]
    show(view, {"type": "tool_done", "action_id": "A1", "tool": "notes_write",
                     "result": {}, "undoable": True})
    assert card.state == "done" and card.undo_button.isVisibleTo(view)
    assert not card.approve_button.isVisibleTo(view)
    with qtbot.wait_signal(view.undo) as undone:
        card.undo_button.click()
    assert undone.args == ["A1"]
    show(view, {"type": "tool_undone", "action_id": "A1", "message": "deleted"})
    assert card.state == "undone" and len(view.findChildren(ToolCard)) == 1


def test_feedback_buttons_follow_each_answer(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    show(view, {"type": "token", "text": "Hi"})
    show(view, {"type": "turn_finished", "answer": "Hi", "thread": "t"})
    good = next(b for b in view.findChildren(type(view.send_button)) if b.text() == "Good")
    with qtbot.wait_signal(view.feedback) as said:
        good.click()
    assert said.args == [True]


def test_stop_shows_while_busy_and_escape_presses_it(qtbot) -> None:
    chat = ChatView()
    qtbot.addWidget(chat)
    chat.show()
    assert not chat.stop_button.isVisible()
    chat.set_busy(True)
    assert chat.stop_button.isVisible() and not chat.send_button.isVisible()
    # offscreen no window is ever active, so the shortcut itself is tried under Xvfb
    assert chat.stop_button.shortcut() == QKeySequence("Escape")
    with qtbot.wait_signal(chat.stop):
        chat.stop_button.click()
    show(chat, {"type": "token", "text": "Once upon"})
    show(chat, {"type": "cancelled"})
    chat.set_busy(False)
    assert "stopped" in chat.transcript() and chat.send_button.isVisible()
    assert chat.answer is None  # the next answer starts a new bubble


def test_a_thread_opens_empty_then_shows_what_it_said_before(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    show(view, {"type": "token", "text": "An answer of another thread"})
    view.clear()
    assert view.transcript() == "" and view.answer is None
    view.note("memory is locked")
    view.show_history([{"speaker": "user", "text": "Where does Ann live?"},
                       {"speaker": "famulus", "text": "Ann lives in Oslo."}])
    assert view.transcript() == ("You: Where does Ann live?\nFamulus: Ann lives in Oslo.\n"
                                 "<i>memory is locked</i>")


def test_a_tool_that_is_not_set_up_offers_its_settings(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    show(view, {"type": "tool_proposed", "tool": "email_read", "arguments": {}})
    show(view, {"type": "tool_failed", "action_id": "A1", "tool": "email_read",
                "error": "reading e-mail needs an incoming mail server (IMAP), and none is "
                         "set up yet", "refused": False, "set_up": "tools.imap"})
    card = view.findChild(ToolCard)
    assert card.set_up_button.isVisibleTo(view)
    with qtbot.wait_signal(view.set_up) as wanted:
        card.set_up_button.click()
    assert wanted.args == ["tools.imap"]
