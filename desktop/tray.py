"""The system-tray icon: the app's state at a glance, a menu, and notifications that open
the right view when clicked."""

from __future__ import annotations

from desktop.qt import (
    QAction,
    QColor,
    QIcon,
    QMenu,
    QObject,
    QPainter,
    QPixmap,
    QRectF,
    QSystemTrayIcon,
    Qt,
    Signal,
)

COLOURS = {"idle": "#5b7fa6", "listening": "#d93025", "thinking": "#e8a200",
           "speaking": "#1e8e3e", "review": "#8e24aa", "locked": "#777777"}
WORDS = {"idle": "ready", "listening": "listening", "thinking": "thinking",
         "speaking": "speaking", "review": "an action needs your review",
         "locked": "locked"}


def state_icon(state: str, size: int = 64) -> QIcon:
    """A round icon in the state's colour, with an F for Famulus."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(COLOURS.get(state, COLOURS["idle"])))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(2, 2, size - 4, size - 4))
    painter.setPen(QColor("white"))
    font = painter.font()
    font.setPixelSize(int(size * 0.55))
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "F")
    painter.end()
    return QIcon(pixmap)


class Tray(QObject):
    """The icon, its menu, and notifications; `opened(view)` says what a click asks for."""

    show_window = Signal()
    push_to_talk = Signal()
    new_chat = Signal()
    lock = Signal()
    quit = Signal()
    opened = Signal(str)  # the view a clicked notification belongs to

    def __init__(self) -> None:
        super().__init__()
        self.icon = QSystemTrayIcon()
        self.state = "idle"
        self.last_view = "chat"
        self.menu = QMenu()
        self._action("Show Famulus", self.show_window.emit)
        self._action("Push to talk", self.push_to_talk.emit)
        self._action("New chat", self.new_chat.emit)
        self.pause_action = self.menu.addAction("Pause notifications")  # notify() reads it
        self.pause_action.setCheckable(True)
        self._action("Lock memory", self.lock.emit)
        self.menu.addSeparator()
        self._action("Quit", self.quit.emit)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(lambda: self.opened.emit(self.last_view))
        self.set_state("idle")

    def _action(self, text: str, slot: object) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(slot)
        return action

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.show_window.emit()

    @property
    def available(self) -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def start(self) -> bool:
        """Show the icon; False when the desktop has no tray (the window then stays open
        on close)."""
        if not self.available:
            return False
        self.icon.show()
        return True

    def set_state(self, state: str) -> None:
        self.state = state
        self.icon.setIcon(state_icon(state))
        self.icon.setToolTip(f"Famulus: {WORDS.get(state, state)}")

    def notify(self, title: str, text: str, view: str = "chat") -> bool:
        """A notification (unless paused); clicking it opens `view`."""
        if self.pause_action.isChecked() or not self.icon.isVisible():
            return False
        self.last_view = view
        self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 15_000)
        return True
