"""Light and dark colours and the text size (settings desktop.theme and desktop.font_size).
"system" follows the desktop's colour scheme where Qt can read it (and light where it
cannot, as under a bare X server). Fusion is the style for both, so the two look alike on
every platform."""

from __future__ import annotations

from desktop.qt import QApplication, QColor, QPalette, Qt

DARK = {
    QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
    QPalette.ColorRole.Base: "#17181a", QPalette.ColorRole.AlternateBase: "#2b2d31",
    QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#2b2d31",
    QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#5b8def",
    QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2b2d31",
    QPalette.ColorRole.ToolTipText: "#e8eaed", QPalette.ColorRole.PlaceholderText: "#9aa0a6",
    QPalette.ColorRole.Link: "#8ab4f8", QPalette.ColorRole.Mid: "#3c4043",
}
LIGHT = {
    QPalette.ColorRole.Window: "#f6f7f9", QPalette.ColorRole.WindowText: "#1f2328",
    QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#eef1f4",
    QPalette.ColorRole.Text: "#1f2328", QPalette.ColorRole.Button: "#eef1f4",
    QPalette.ColorRole.ButtonText: "#1f2328", QPalette.ColorRole.Highlight: "#2f6fde",
    QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#ffffff",
    QPalette.ColorRole.ToolTipText: "#1f2328", QPalette.ColorRole.PlaceholderText: "#6e7781",
    QPalette.ColorRole.Link: "#0b57d0", QPalette.ColorRole.Mid: "#d0d7de",
}


def is_dark(theme: str) -> bool:
    """Whether `theme` (system, light, dark) means dark colours here and now."""
    if theme in ("light", "dark"):
        return theme == "dark"
    scheme = QApplication.styleHints().colorScheme()
    return scheme == Qt.ColorScheme.Dark


def apply(app: QApplication, theme: str = "system", font_size: int = 0) -> bool:
    """Set the style, the palette and the font size; returns whether it is dark. Widgets
    made afterwards take their colours from it (the chat's bubbles are made per message)."""
    app.setStyle("Fusion")
    dark = is_dark(theme)
    palette = QPalette()
    for role, colour in (DARK if dark else LIGHT).items():
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    if font_size:
        font = app.font()
        font.setPointSize(font_size)
        app.setFont(font)
    return dark
