"""Every Qt import of the app passes through here, so the binding lives in one place."""

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

__all__ = ["QApplication", "QHBoxLayout", "QKeyEvent", "QLabel", "QMainWindow", "QObject",
           "QPlainTextEdit", "QProgressBar", "QPushButton", "QTextBrowser", "QTextCursor",
           "QThread", "QVBoxLayout", "QWidget", "Qt", "Signal", "Slot"]
