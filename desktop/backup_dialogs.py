"""What the window asks before a backup or a restore: a folder, the backup's passphrase,
or the moment to go back to. Each returns None when the person cancels."""

from __future__ import annotations

from datetime import datetime, timedelta

from desktop.qt import (
    QDateTime,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

ACTIONS = {"backup": "&Back up memory…", "restore": "&Restore from a backup…",
           "restore_to": "&Go back to an earlier moment…",
           "undo_restore": "&Undo the last restore"}


def backup_folder(parent: QWidget) -> str | None:
    """A new or empty folder to write the backup into."""
    folder = QFileDialog.getExistingDirectory(parent, "Back up memory into a new or empty "
                                              "folder")
    return folder or None


def restore_source(parent: QWidget) -> tuple[str, str] | None:
    """The backup's folder and its passphrase (or recovery key)."""
    folder = QFileDialog.getExistingDirectory(parent, "Restore memory from the backup in…")
    if not folder:
        return None
    secret, ok = QInputDialog.getText(
        parent, "The backup's passphrase",
        "The passphrase memory had when this backup was made, or its recovery key.\n"
        "Your current memory is kept aside, not deleted.", QLineEdit.EchoMode.Password)
    return (folder, secret) if ok and secret else None


class MomentDialog(QDialog):
    """Pick the date and time memory should go back to."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Go back to an earlier moment")
        earlier = datetime.now() - timedelta(hours=1)
        self.when = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(earlier.timestamp())))
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setMaximumDateTime(QDateTime.currentDateTime())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Memory will be as it was then: what was learned since is "
                                "set aside, not deleted, and “Undo the last restore” brings "
                                "it back."))
        layout.addWidget(self.when)
        layout.addWidget(buttons)

    def moment_ms(self) -> int:
        return int(self.when.dateTime().toMSecsSinceEpoch())


def earlier_moment(parent: QWidget) -> int | None:
    """The moment to go back to, in ms since the epoch."""
    dialog = MomentDialog(parent)
    return dialog.moment_ms() if dialog.exec() == QDialog.DialogCode.Accepted else None
