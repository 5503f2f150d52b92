"""Every Qt import of the app passes through here, so the binding lives in one place."""

from PySide6.QtCore import QEvent, QObject, QPoint, QRectF, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSystemTrayIcon,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

__all__ = ["QAction", "QApplication", "QCloseEvent", "QColor", "QComboBox", "QDialog",
           "QDialogButtonBox", "QEvent", "QFormLayout", "QFrame", "QHBoxLayout", "QIcon",
           "QKeyEvent", "QKeySequence", "QLabel", "QLineEdit", "QListWidget",
           "QListWidgetItem", "QMainWindow", "QMenu", "QMessageBox", "QObject", "QPainter",
           "QPixmap", "QPlainTextEdit", "QPoint", "QProgressBar", "QPushButton", "QRectF",
           "QScrollArea", "QSizePolicy", "QSystemTrayIcon", "QTabWidget", "QTextBrowser",
           "QThread", "QTimer", "QVBoxLayout", "QWidget", "Qt", "Signal", "Slot"]
