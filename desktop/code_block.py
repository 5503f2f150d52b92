"""Code in an answer: each fenced block of the Markdown shown on its own, highlighted by
Pygments in the theme's colours, with its language and a button that copies just the
code. The text between blocks stays Markdown."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from desktop.icons import icon
from desktop.qt import (
    QApplication,
    QEvent,
    QFontDatabase,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPalette,
    Qt,
    QToolButton,
    QVBoxLayout,
)

_FENCE = re.compile(r"^[ \t]*```[ \t]*([\w+#.-]*)[^\n]*$", re.MULTILINE)


@dataclass(frozen=True)
class Segment:
    """Prose (Markdown) or a code block (its text and language, "" if unnamed)."""

    code: bool
    text: str
    language: str = ""


def segments(markdown: str) -> list[Segment]:
    """Prose and code blocks in order; a block still being written (no closing fence yet)
    is code too. Always starts with prose, which may be empty."""
    parts, at, opened = [], 0, None
    for fence in _FENCE.finditer(markdown):
        if opened is None:
            parts.append(Segment(False, markdown[at:fence.start()].rstrip("\n")))
            opened, at = fence.group(1), fence.end() + 1
        else:
            parts.append(Segment(True, markdown[at:fence.start()].rstrip("\n"), opened))
            opened, at = None, fence.end() + 1
    rest = markdown[at:] if at <= len(markdown) else ""
    parts.append(Segment(opened is not None, rest.rstrip("\n") if opened is not None
                         else rest, opened or ""))
    if parts[0].code:
        parts.insert(0, Segment(False, ""))
    return [p for i, p in enumerate(parts) if i == 0 or p.code or p.text.strip()]


def highlighted(code: str, language: str, dark: bool) -> str:
    """The code as HTML with inline colours (Pygments), or escaped plain text when the
    language is unknown."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language or "text", stripnl=False)
    except ClassNotFound:
        return html.escape(code)
    formatter = HtmlFormatter(nowrap=True, noclasses=True,
                              style="github-dark" if dark else "default")
    return highlight(code, lexer, formatter).rstrip("\n")


class CodeBlock(QFrame):
    """One code block: a header with the language and Copy, then the code."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("code")
        palette = self.palette()
        self.code, self.language = "", ""
        self.title = QLabel()
        colour = palette.color(QPalette.ColorRole.PlaceholderText)
        self.copy = QToolButton()
        self.copy.setIcon(icon("copy", colour))
        self.copy.setText("Copy")
        self.copy.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.copy.setAutoRaise(True)
        self.copy.setToolTip("Copy the code")
        self.copy.setAccessibleName("Copy the code")
        self.copy.clicked.connect(lambda: QApplication.clipboard().setText(self.code))
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.copy)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 2, 8, 8)
        column.setSpacing(0)
        column.addLayout(header)
        column.addWidget(self.text)
        self._style()

    def _style(self) -> None:
        self.dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        background = "#0d1117" if self.dark else "#f6f8fa"
        self.setStyleSheet(f"#code {{ background: {background}; border-radius: 6px; }}")
        self.title.setStyleSheet(f"color: {'#8b949e' if self.dark else '#6e7781'};")

    def changeEvent(self, event: QEvent) -> None:
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        if event.type() == QEvent.Type.PaletteChange and dark != self.dark:  # a new theme
            self._style()  # (a style sheet sends PaletteChange too: only on a real change)
            self._show()
        super().changeEvent(event)

    def show_code(self, code: str, language: str) -> None:
        if (code, language) == (self.code, self.language):
            return
        self.code, self.language = code, language
        self._show()

    def _show(self) -> None:
        self.title.setText(self.language or "code")
        self.text.setText("<pre style='margin:0'>"
                          f"{highlighted(self.code, self.language, self.dark)}</pre>")
