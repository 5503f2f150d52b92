"""One message of the conversation as a chat app shows it: the person's on the right in a
tinted bubble, Famulus's on the left beside its round "F", Markdown rendered, the time on
hover, a microphone for a spoken message, and on hover a copy button and thumbs for an
answer. Plus the typing indicator shown while Famulus thinks."""

from __future__ import annotations

import re
from datetime import datetime

from desktop.code_block import CodeBlock, Segment, segments
from desktop.icons import icon
from desktop.qt import (
    QApplication,
    QColor,
    QEnterEvent,
    QEvent,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPalette,
    QResizeEvent,
    Qt,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.tray import state_icon

READABLE_WIDTH = 640  # pixels: about 80 characters, a comfortable line
PADDING = 12
AVATAR = 28
_MARKS = re.compile(r"[*_`#>]|^\s*[-+] ", re.MULTILINE)  # Markdown's marks take no room


def _tint(widget: QWidget, mine: bool) -> str:
    """The bubble's colours from the palette, so a dark theme gets dark bubbles."""
    palette = widget.palette()
    if mine:
        accent = palette.color(QPalette.ColorRole.Highlight)
        background = f"rgba({accent.red()}, {accent.green()}, {accent.blue()}, 0.19)"
    else:
        background = palette.color(QPalette.ColorRole.AlternateBase).name()
    return f"background: {background}; border-radius: 12px;"


def _small_button(name: str, tip: str, colour: QColor) -> QToolButton:
    button = QToolButton()
    button.setIcon(icon(name, colour))
    button.setAutoRaise(True)
    button.setToolTip(tip)
    button.setAccessibleName(tip)
    return button


class Bubble(QFrame):
    """One message, as Markdown (code blocks, lists, links). `who` is "You" or "Famulus"."""

    feedback = Signal(bool)  # thumbs on an answer: good (True) or not

    def __init__(self, who: str, text: str = "", spoken: bool = False,
                 at: datetime | None = None) -> None:
        super().__init__()
        self.who, self.text_so_far, self.spoken, self.ideal = who, text, spoken, 0
        mine = who == "You"
        self.content = QFrame()  # the bubble: its parts are prose and code blocks
        self.content.setObjectName("you" if mine else "famulus")
        self._style()
        self.content.setToolTip(f"{'Said' if spoken else 'Sent'} at "
                                f"{(at or datetime.now()):%H:%M}")
        self.content.setAccessibleName("Your message" if mine else "Famulus's answer")
        self.parts_layout = QVBoxLayout(self.content)
        self.parts_layout.setContentsMargins(PADDING, 8, PADDING, 8)
        self.parts_layout.setSpacing(6)
        self.body = self._prose()  # the first part, always prose
        self.parts: list[QWidget] = [self.body]
        self.parts_layout.addWidget(self.body)
        self.footer = self._footer(mine)
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(self.content, 0, Qt.AlignmentFlag.AlignRight if mine
                         else Qt.AlignmentFlag.AlignLeft)
        column.addLayout(self.footer)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        if mine:
            row.addStretch(1)
            row.addLayout(column)
        else:
            avatar = QLabel()
            avatar.setPixmap(state_icon("idle", AVATAR).pixmap(AVATAR, AVATAR))
            avatar.setAccessibleName("Famulus")
            row.addWidget(avatar, 0, Qt.AlignmentFlag.AlignTop)
            row.addLayout(column)
            row.addStretch(1)
        self._render()

    def _style(self) -> None:
        sheet = f"#{self.content.objectName()} {{ {_tint(self, self.who == 'You')} }}"
        if sheet != self.content.styleSheet():  # setting it sends PaletteChange again
            self.content.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed
            self._style()
        super().changeEvent(event)

    def _footer(self, mine: bool) -> QHBoxLayout:
        """The microphone of a spoken message; copy and thumbs, shown on hover."""
        colour = self.palette().color(QPalette.ColorRole.PlaceholderText)
        footer = QHBoxLayout()
        footer.setSpacing(0)
        self.hover_buttons: list[QToolButton] = []
        if mine:
            footer.addStretch(1)
        if self.spoken:
            mic = QLabel()
            mic.setPixmap(icon("microphone", colour, 14).pixmap(14, 14))
            mic.setToolTip("Spoken")
            mic.setAccessibleName("Spoken")
            footer.addWidget(mic)
        copy = _small_button("copy", "Copy the message", colour)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(self.text_so_far))
        self.hover_buttons.append(copy)
        self.thumbs: list[QToolButton] = []
        if not mine:
            for name, tip, good in (("thumb_up", "Good answer", True),
                                    ("thumb_down", "Not a good answer", False)):
                button = _small_button(name, tip, colour)
                button.clicked.connect(lambda _=False, g=good: self._rated(g))
                self.thumbs.append(button)
        for button in (copy, *self.thumbs):
            footer.addWidget(button)
            button.setVisible(False)  # until the pointer is over the message
        if not mine:
            footer.addStretch(1)
        self.rateable = False
        return footer

    def finish(self) -> None:
        """The answer is complete: its thumbs may be used."""
        self.rateable = True

    def _rated(self, good: bool) -> None:
        self.feedback.emit(good)
        for button in self.thumbs:  # one rating per answer; the chosen thumb stays
            button.setEnabled(False)
        self.rateable = False

    def enterEvent(self, event: QEnterEvent) -> None:
        self._show_buttons(True)
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._show_buttons(False)
        super().leaveEvent(event)

    def _show_buttons(self, shown: bool) -> None:
        self.hover_buttons[0].setVisible(shown and bool(self.text_so_far))
        for button in self.thumbs:
            button.setVisible(shown and (self.rateable or not button.isEnabled()))

    def add(self, text: str) -> None:
        self.text_so_far += text
        self._render()

    def reset(self, note: str) -> None:
        self.text_so_far = f"*{note}*\n\n" if note else ""
        self._render()

    @staticmethod
    def _prose() -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.MarkdownText)
        label.setWordWrap(True)
        label.setOpenExternalLinks(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        return label

    def _render(self) -> None:
        """The text as parts; the parts already shown are kept and only updated (no
        flicker while an answer streams in)."""
        parts = segments(self.text_so_far) if self.who != "You" \
            else [Segment(False, self.text_so_far)]
        for at, part in enumerate(parts):
            if at >= len(self.parts) or isinstance(self.parts[at], CodeBlock) != part.code:
                self._drop_parts(at)
                widget: QWidget = CodeBlock() if part.code else self._prose()
                self.parts_layout.addWidget(widget)
                self.parts.append(widget)
            widget = self.parts[at]
            if isinstance(widget, CodeBlock):
                widget.show_code(part.text, part.language)
            elif isinstance(widget, QLabel):
                widget.setText(part.text)
                widget.setVisible(bool(part.text.strip()))
        self._drop_parts(len(parts))
        self.content.setVisible(bool(self.text_so_far))
        self.ideal = min(READABLE_WIDTH, _longest_line(self.text_so_far, self.body.font())
                         + 2 * PADDING + 4)
        self._fit()

    def _drop_parts(self, start: int) -> None:
        for widget in self.parts[start:]:
            self.parts_layout.removeWidget(widget)
            widget.deleteLater()
        del self.parts[start:]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """As wide as its longest line, at most a readable width or what the view has
        (a word-wrapped label left to itself wraps short messages into a narrow column)."""
        room = self.width() - AVATAR - 48
        self.content.setFixedWidth(max(80, min(self.ideal, room)))


def _longest_line(markdown: str, font: QFont) -> int:
    """The width of the longest line as shown: prose in `font` with some room for bold,
    code blocks in the fixed font."""
    prose, fixed = QFontMetrics(font), QFontMetrics(
        QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    widest, in_code = 0, False
    for line in markdown.splitlines() or [""]:
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        width = fixed.horizontalAdvance(line) + 24 if in_code else \
            int(prose.horizontalAdvance(_MARKS.sub("", line)) * 1.08)
        widest = max(widest, width)
    return widest


class Typing(QFrame):
    """Famulus is thinking: three dots that move, with Stop beside them."""

    stop = Signal()

    def __init__(self) -> None:
        super().__init__()
        avatar = QLabel()
        avatar.setPixmap(state_icon("thinking", 28).pixmap(28, 28))
        self.dots = QLabel()
        self.dots.setStyleSheet(_tint(self.dots, False) + f" padding: 8px {PADDING}px;")
        self.dots.setAccessibleName("Famulus is thinking")
        stop = QToolButton()
        stop.setText("Stop")
        stop.setAutoRaise(True)
        stop.setToolTip("Stop the answer (Escape)")
        stop.clicked.connect(self.stop)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        row.addWidget(avatar, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.dots)
        row.addWidget(stop)
        row.addStretch(1)
        self.step = 0
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.timer.start(400)
        self._tick()

    def _tick(self) -> None:
        self.step = (self.step + 1) % 3
        self.dots.setText(" ".join("●" if i == self.step else "○" for i in range(3)))
