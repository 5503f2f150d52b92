"""Light and dark: the palette follows the setting, and what is already in the
conversation takes the new colours at once."""

from __future__ import annotations

from agent.events import AgentEvent
from desktop import theme
from desktop.bubbles import Bubble
from desktop.chat_view import ChatView
from desktop.qt import QApplication, QPalette
from desktop.tool_card import ToolCard


def test_dark_and_light_apply_at_once_to_the_bubbles_shown(qtbot) -> None:
    app = QApplication.instance()
    bubble = Bubble("Famulus", "Hello")
    qtbot.addWidget(bubble)
    view = ChatView()  # a card inside the conversation, as in the window
    qtbot.addWidget(view)
    view.show_event(AgentEvent.from_dict({"type": "tool_proposed", "tool": "notes_write",
                                          "arguments": {}, "intent": "Create the note x"}))
    card = view.findChild(ToolCard)
    font = app.font()
    try:
        light = bubble.content.styleSheet()
        assert theme.apply(app, "dark") is True
        assert app.palette().color(QPalette.ColorRole.Base).lightness() < 128
        qtbot.waitUntil(lambda: bubble.content.styleSheet() != light)  # told by an event
        assert "#2b2d31" in bubble.content.styleSheet()
        qtbot.waitUntil(lambda: "#17181a" in card.styleSheet())  # the card's too
        assert theme.apply(app, "light", font_size=13) is False
        qtbot.waitUntil(lambda: "#eef1f4" in bubble.content.styleSheet())
        assert app.font().pointSize() == 13
    finally:
        theme.apply(app, "light")
        app.setFont(font)
