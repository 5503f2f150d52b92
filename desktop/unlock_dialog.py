"""The vault comes first: unlock it, or on the first run create a passphrase, see the
recovery key once, and choose how freely Famulus may act."""

from __future__ import annotations

from app.build_memory import MIN_PASSPHRASE
from desktop.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

# What each level does (tools/gate.py), in the person's words.
LEVELS = ["0: ask before every action",
          "1: read and change my notes and files in the folders I grant; ask before "
          "sending anything or acting elsewhere",
          "2: act within the folders, hosts and recipients I allow; ask for anything "
          "outside them",
          "3: act freely, keeping a record of everything (files stay in my folders)"]
MIN_LENGTH = MIN_PASSPHRASE


class UnlockDialog(QDialog):
    """`unlock(passphrase)`, `create(passphrase, autonomy)` or `skip()`; the dialog stays
    open until the session says the memory opened (`accept`) or why not (`refuse`)."""

    unlock = Signal(str)
    create = Signal(str, int)
    skip = Signal()

    def __init__(self, first_run: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_run = first_run
        self.setWindowTitle("Set up Famulus" if first_run else "Unlock Famulus")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setObjectName("passphrase")
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.autonomy = QComboBox()
        self.autonomy.addItems(LEVELS)
        self.autonomy.setCurrentIndex(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("message")
        form = QFormLayout()
        form.addRow("&Passphrase:", self.passphrase)
        if first_run:
            form.addRow("&Again:", self.again)
            form.addRow("&Autonomy:", self.autonomy)
        intro = QLabel(
            "Famulus keeps its memories encrypted on this computer. Choose a passphrase "
            "to protect them." if first_run else
            "Your memories are locked. Enter the passphrase to open them.")
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Create" if first_run else "Unlock")
        self.without = buttons.addButton("Continue without memory",
                                         QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.ok.clicked.connect(self._submit)
        self.without.clicked.connect(self._skip)

    def _submit(self) -> None:
        text = self.passphrase.text()
        if self.first_run:
            if len(text) < MIN_LENGTH:
                self.refuse(f"Use at least {MIN_LENGTH} characters.")
                return
            if text != self.again.text():
                self.refuse("The two passphrases differ.")
                return
        elif not text:
            self.refuse("Enter the passphrase.")
            return
        self.message.setText("Opening…")
        self.ok.setEnabled(False)
        if self.first_run:
            self.create.emit(text, self.autonomy.currentIndex())
        else:
            self.unlock.emit(text)

    def _skip(self) -> None:
        self.skip.emit()
        self.accept()

    def refuse(self, why: str) -> None:
        """The passphrase did not open the memory (or was not acceptable)."""
        self.message.setText(why)
        self.ok.setEnabled(True)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def reject(self) -> None:  # Escape: the same as going on without memory
        self._skip()


def show_recovery_key(parent: QWidget | None, key: str) -> QMessageBox:
    """The recovery key, shown once (non-modal, so the app goes on loading)."""
    box = QMessageBox(parent)
    box.setWindowTitle("Your recovery key")
    box.setIcon(QMessageBox.Icon.Information)
    box.setText("Write this recovery key down and keep it away from this computer. It "
                "opens your memories if you forget the passphrase. It is shown only now.")
    box.setInformativeText(key)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setObjectName("recovery")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    written = QCheckBox("I wrote it down", box)  # owned by the box, not by Python
    box.setCheckBox(written)
    ok = box.button(QMessageBox.StandardButton.Ok)
    ok.setEnabled(False)  # the one moment the key can be kept: not lost to a quick click
    written.toggled.connect(ok.setEnabled)
    box.show()
    return box
