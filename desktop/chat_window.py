"""The chat window: the transcript, a box to type in, and the model's state."""

from __future__ import annotations

import html

from desktop.qt import (
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    Qt,
    QTextBrowser,
    QTextCursor,
    QVBoxLayout,
    QWidget,
    Signal,
)


class MessageBox(QPlainTextEdit):
    """Enter sends; Shift+Enter starts a new line."""

    submitted = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            text = self.toPlainText().strip()
            if text:
                self.clear()
                self.submitted.emit(text)
            return
        super().keyPressEvent(event)


class ChatWindow(QMainWindow):
    """The main window. It shows what the worker reports and sends what the user types."""

    ask = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Famulus")
        self.resize(720, 560)
        self.transcript = QTextBrowser()
        self.transcript.setOpenExternalLinks(True)
        self.input = MessageBox()
        self.input.setPlaceholderText("Preparing the model…")
        self.input.setEnabled(False)
        self.input.setFixedHeight(80)
        self.send_button = QPushButton("Send")
        self.send_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.state = QLabel("Starting…")
        row = QHBoxLayout()
        row.addWidget(self.input)
        row.addWidget(self.send_button)
        column = QVBoxLayout()
        column.addWidget(self.transcript)
        column.addLayout(row)
        central = QWidget()
        central.setLayout(column)
        self.setCentralWidget(central)
        self.statusBar().addWidget(self.state, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.input.submitted.connect(self._submit)
        self.send_button.clicked.connect(lambda: self._submit(self.input.toPlainText().strip()))
        self._answer_open = False
        self.worker_ready = False

    def _submit(self, text: str) -> None:
        if not text or not self.input.isEnabled():
            return
        self.input.clear()
        self._append(f"<p><b>You:</b> {html.escape(text)}</p><p><b>Famulus:</b> ")
        self._answer_open = True
        self._busy(True)
        self.ask.emit(text)

    def _append(self, markup: str) -> None:
        self.transcript.moveCursor(QTextCursor.MoveOperation.End)
        self.transcript.insertHtml(markup)
        self.transcript.moveCursor(QTextCursor.MoveOperation.End)

    def _busy(self, busy: bool) -> None:
        self.input.setEnabled(not busy)
        self.send_button.setEnabled(not busy)
        self.state.setText("Thinking…" if busy else self.state.text())
        if not busy:
            self.input.setFocus()

    # Slots for the worker's signals --------------------------------------------------------
    def show_progress(self, done: int, total: int) -> None:
        self.progress.setVisible(done < total)
        self.progress.setMaximum(1000)
        self.progress.setValue(int(1000 * done / max(total, 1)))
        self.state.setText(f"Preparing the model: {done >> 20} of {total >> 20} MiB")

    def model_ready(self, where: str) -> None:
        self.worker_ready = True
        self.progress.setVisible(False)
        self.state.setText(f"Ready: {where}")
        self.input.setPlaceholderText("Type a message; Enter sends, Shift+Enter breaks the line")
        self._busy(False)

    def add_token(self, text: str) -> None:
        self.transcript.moveCursor(QTextCursor.MoveOperation.End)
        self.transcript.insertPlainText(text)

    def note(self, text: str) -> None:
        self._append(f"<br><i>[{html.escape(text)}]</i><br>")

    def answer_done(self, summary: str) -> None:
        self._append("</p><br>")
        self._answer_open = False
        self.state.setText(f"Ready ({summary})")
        self._busy(False)

    def show_error(self, message: str) -> None:
        self._append(f"<p style='color:#b00020'><b>Error:</b> {html.escape(message)}</p><br>")
        self.state.setText("Error: " + message[:120])
        if self.worker_ready:
            self._busy(False)
