"""The vault's dialog: a first run checks the passphrase twice and carries the chosen
autonomy level; a refusal keeps the dialog open with the reason."""

from __future__ import annotations

from PySide6.QtTest import QTest

from desktop.qt import QMessageBox
from desktop.unlock_dialog import UnlockDialog, show_recovery_key


def test_first_run_checks_the_passphrase_and_takes_the_level(qtbot) -> None:
    dialog = UnlockDialog(first_run=True)
    qtbot.addWidget(dialog)
    QTest.keyClicks(dialog.passphrase, "short")
    dialog.ok.click()
    assert "at least 8" in dialog.message.text()
    dialog.passphrase.setText("correct horse")
    dialog.again.setText("correct horsE")
    dialog.ok.click()
    assert "differ" in dialog.message.text()
    dialog.again.setText("correct horse")
    dialog.autonomy.setCurrentIndex(2)
    with qtbot.wait_signal(dialog.create) as created:
        dialog.ok.click()
    assert created.args == ["correct horse", 2]
    assert not dialog.ok.isEnabled()  # until the session answers


def test_a_wrong_passphrase_is_refused_in_place(qtbot) -> None:
    dialog = UnlockDialog(first_run=False)
    qtbot.addWidget(dialog)
    dialog.passphrase.setText("nope")
    with qtbot.wait_signal(dialog.unlock):
        dialog.ok.click()
    dialog.refuse("wrong passphrase")
    assert dialog.message.text() == "wrong passphrase" and dialog.ok.isEnabled()


def test_escape_goes_on_without_memory(qtbot) -> None:
    dialog = UnlockDialog(first_run=False)
    qtbot.addWidget(dialog)
    with qtbot.wait_signal(dialog.skip):
        dialog.reject()


def test_the_recovery_key_closes_only_once_written_down(qtbot) -> None:
    box = show_recovery_key(None, "abcd-efgh-ijkl")
    qtbot.addWidget(box)
    ok = box.button(QMessageBox.StandardButton.Ok)
    assert box.informativeText() == "abcd-efgh-ijkl" and not ok.isEnabled()
    box.checkBox().setChecked(True)
    assert ok.isEnabled()
