"""The conversation's small icons (microphone, thumbs, copy), drawn from SVG in the text
colour of the palette, so they follow a light or dark theme and need no icon theme or
emoji font on the system."""

from __future__ import annotations

from desktop.qt import QByteArray, QColor, QIcon, QPainter, QPixmap, QSvgRenderer, Qt

SHAPES = {
    "microphone": '<rect x="9" y="2.5" width="6" height="11" rx="3" fill="C"/>'
                  '<path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8 21h8" fill="none" '
                  'stroke="C" stroke-width="1.8" stroke-linecap="round"/>',
    "thumb_up": '<path d="M2.5 10h3.5v11H2.5zM8 10l4.2-7.2c1.6 0 2.7 1.1 2.4 2.7L13.9 9H20'
                'a2 2 0 0 1 2 2.3l-1.3 8A2 2 0 0 1 18.7 21H8z" fill="C"/>',
    "thumb_down": '<g transform="rotate(180 12 12)"><path d="M2.5 10h3.5v11H2.5zM8 10l4.2-7.2'
                  'c1.6 0 2.7 1.1 2.4 2.7L13.9 9H20a2 2 0 0 1 2 2.3l-1.3 8A2 2 0 0 1 18.7 21'
                  'H8z" fill="C"/></g>',
    "copy": '<rect x="8" y="8" width="12" height="13" rx="2" fill="none" stroke="C" '
            'stroke-width="1.8"/><path d="M5 16V5a2 2 0 0 1 2-2h9" fill="none" stroke="C" '
            'stroke-width="1.8" stroke-linecap="round"/>',
}


def icon(name: str, colour: QColor, size: int = 16) -> QIcon:
    """The icon `name` of SHAPES, drawn at `size` pixels (twice that for sharp screens)."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
           + SHAPES[name].replace('"C"', f'"{colour.name()}"') + "</svg>")
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    result = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result
