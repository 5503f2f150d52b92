"""The chat view renders the agent's events: streamed Markdown, tool cards through their
states with approve/deny/undo, and feedback; Enter sends, Shift+Enter breaks the line;
Stop (or Escape) ends an answer."""

from __future__ import annotations

from PySide6.QtTest import QTest

from agent.events import AgentEvent
from desktop.chat_view import Bubble, ChatView, ToolCard
from desktop.qt import QKeySequence, QLabel, Qt, QToolButton


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
    assert bubbles[0].body.textFormat() == Qt.TextFormat.MarkdownText
    assert bubbles[0].text_so_far == "Here is **bold** and `code`\n\n- one\n- two"


def test_a_tool_card_follows_its_call_from_review_to_undo(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    show(view, {"type": "tool_proposed", "tool": "notes_write",
                "arguments": {"title": "groceries", "text": "milk and eggs"},
                "intent": "Create the note **groceries**: milk and eggs"})
    show(view, {"type": "tool_awaiting_approval", "action_id": "A1",
                     "review_id": "R1", "tool": "notes_write",
                     "reason": "every action needs your approval at level 0"})
    card = view.findChild(ToolCard)
    assert card.state == "awaiting approval" and card.approve_button.isVisibleTo(view)
    assert card.words() == ("Create the note **groceries**: milk and eggs — Waiting for your "
                            "approval: every action needs your approval at level 0.")
    assert not card.details.isVisibleTo(view)  # the arguments, one click away
    card.details_button.click()
    assert card.details.isVisibleTo(view) and '"milk and eggs"' in card.details.text()
    with qtbot.wait_signal(view.approve) as approved:
        card.approve_button.click()
    assert approved.args == ["R1"]
    show(view, {"type": "tool_done", "action_id": "A1", "tool": "notes_write",
                "result": {}, "undoable": True,
                "summary": "created the note groceries: milk and eggs"})
    assert card.state == "done" and card.undo_button.isVisibleTo(view)
    assert card.outcome.text() == "Done. Created the note groceries: milk and eggs."
    assert not card.approve_button.isVisibleTo(view)
    with qtbot.wait_signal(view.undo) as undone:
        card.undo_button.click()
    assert undone.args == ["A1"]
    show(view, {"type": "tool_undone", "action_id": "A1", "message": "deleted"})
    assert card.state == "undone" and len(view.findChildren(ToolCard)) == 1


def test_thumbs_show_on_a_finished_answer_under_the_pointer(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.show()
    show(view, {"type": "token", "text": "Hi"})
    answer = view.findChild(Bubble)
    qtbot.waitUntil(answer.isVisible)  # shown by the layout
    up, down = answer.thumbs
    assert up.accessibleName() == "Good answer" and not up.isVisible()
    answer._show_buttons(True)  # the pointer is over it, before the answer is complete
    assert not up.isVisible()
    show(view, {"type": "turn_finished", "answer": "Hi", "thread": "t"})
    answer._show_buttons(True)
    assert up.isVisible() and down.isVisible()
    with qtbot.wait_signal(view.feedback) as said:
        up.click()
    assert said.args == [True]
    assert not down.isEnabled()  # one rating per answer


def test_the_typing_indicator_shows_until_the_first_word(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.add_message("You", "Hello")
    view.set_busy(True)
    assert view.typing is not None
    with qtbot.wait_signal(view.stop):
        next(b for b in view.typing.findChildren(QToolButton) if b.text() == "Stop").click()
    show(view, {"type": "token", "text": "Hi"})
    assert view.typing is None
    assert view.transcript() == "You: Hello\nFamulus: Hi"


def test_a_spoken_message_is_marked_with_a_microphone(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    show(view, {"type": "heard", "text": "What time is it?"})
    bubble = view.findChild(Bubble)
    assert bubble.spoken and bubble.who == "You"
    assert any(label.accessibleName() == "Spoken" for label in bubble.findChildren(QLabel))


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
    assert "Stopped." in chat.transcript() and chat.send_button.isVisible()
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
                                 "memory is locked")


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


def test_no_internal_id_name_or_json_reaches_the_conversation(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    for event in (
        {"type": "tool_proposed", "tool": "notes_write", "intent": "",
         "arguments": {"title": "groceries", "text": "milk", "mode": "create"}},
        {"type": "tool_awaiting_approval", "action_id": "A17", "review_id": "R9",
         "tool": "notes_write", "reason": "every action needs your approval at level 0"},
        {"type": "tool_done", "action_id": "A17", "tool": "notes_write",
         "result": {"id": "N3", "title": "groceries"}, "undoable": True,
         "summary": "created the note groceries: milk"},
        {"type": "tool_proposed", "tool": "email_read", "arguments": {"folder": "INBOX"}},
        {"type": "tool_failed", "action_id": "A18", "tool": "email_read",
         "error": "no incoming mail server is set up", "refused": False},
        {"type": "answer_reset", "failed": "cloud", "next": "local",
         "reason": "anthropic: HTTP 529 overloaded_error {\"type\": \"error\"}"},
        {"type": "token", "text": "The note is made."},
        {"type": "turn_finished", "answer": "The note is made.", "thread": "t"},
    ):
        show(view, event)
    shown = view.transcript()
    for internal in ("A17", "A18", "R9", "N3", "notes_write", "email_read", "{", "529"):
        assert internal not in shown, (internal, shown)
    assert "Waiting for your approval" not in shown  # the card moved on to done
    assert "Done. Created the note groceries: milk." in shown


def test_a_waiting_write_shows_its_diff_and_can_be_edited(qtbot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    show(view, {"type": "tool_proposed", "tool": "file_write",
                "arguments": {"path": "plan.txt", "content": "maps"},
                "intent": "Write the file **plan.txt**: maps",
                "preview": "--- plan.txt (now)\n+++ plan.txt (after)\n+maps"})
    show(view, {"type": "tool_awaiting_approval", "action_id": "A1", "review_id": "R1",
                "tool": "file_write", "reason": "autonomy level 0 asks you about every action"})
    card = view.findChild(ToolCard)
    assert card.preview.isVisibleTo(view) and "+maps" in card.preview.text()
    with qtbot.wait_signal(view.edit) as wanted:
        card.edit_button.click()
    assert wanted.args == ["R1"]
    show(view, {"type": "tool_done", "action_id": "A1", "tool": "file_write", "result": {},
                "undoable": True, "summary": "wrote plan.txt: maps"})
    assert not card.preview.isVisibleTo(view)  # done: the outcome says what happened


def test_the_sidebar_lists_filters_and_finds_conversations(qtbot) -> None:
    from desktop.thread_list import ID, ThreadList

    sidebar = ThreadList()
    qtbot.addWidget(sidebar)
    sidebar.set_threads([{"thread": "a", "title": "Plan the trip to Lisbon", "last_ms": 2},
                         {"thread": "default", "title": "What is the capital of Spain?",
                          "last_ms": 1}])
    titles = [sidebar.list.item(i).text() for i in range(sidebar.list.count())]
    assert titles == ["Plan the trip to Lisbon", "What is the capital of Spain?"]
    sidebar.search.setText("lisbon")
    assert [sidebar.list.item(i).isHidden() for i in range(2)] == [False, True]
    with qtbot.wait_signal(sidebar.search_wanted) as wanted:
        sidebar.search.returnPressed.emit()
    assert wanted.args == ["lisbon"]
    sidebar.show_found(["default"])
    assert [sidebar.list.item(i).isHidden() for i in range(2)] == [True, False]
    sidebar.start_new()
    assert sidebar.list.item(0).text() == "New chat" and sidebar.current.startswith("chat-")
    sidebar.titled(sidebar.current, "Book a table for two at eight tonight somewhere nice")
    assert sidebar.list.item(0).text().endswith("…")
    assert sidebar.list.item(0).data(ID) == sidebar.current
