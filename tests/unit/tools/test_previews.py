"""A change shown before it is made: a file as a diff, a note likewise, an e-mail as it
will be sent; nothing for what cannot be read."""

from __future__ import annotations

from pathlib import Path

from tools.boundaries import Boundaries
from tools.previews import preview


def test_a_file_write_is_a_diff_against_the_file_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text("pack the tent\nbuy gas\n")
    roots = Boundaries((tmp_path,))
    shown = preview("file_write", {"path": "plan.txt", "content": "pack the tent\n",
                                   "mode": "overwrite"}, roots)
    assert "-buy gas" in shown and "plan.txt (now)" in shown
    added = preview("file_write", {"path": "plan.txt", "content": "maps\n", "mode": "append"},
                    roots)
    assert "+maps" in added and "-buy gas" not in added
    assert "+hello" in preview("file_write", {"path": "new.txt", "content": "hello"}, roots)
    assert preview("file_write", {"path": "/etc/passwd", "content": "x"}, roots) == ""


def test_a_note_and_an_email(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "groceries.md").write_text("milk\n")
    shown = preview("notes_write", {"title": "groceries", "text": "bread", "mode": "append"},
                    Boundaries(()), notes)
    assert "+bread" in shown and "-milk" not in shown
    mail = preview("email_send", {"to": ["bob@example.org"], "subject": "Late",
                                  "body": "Ten minutes."}, Boundaries(()))
    assert mail == "To: bob@example.org\nSubject: Late\n\nTen minutes."
    assert preview("file_list", {}, Boundaries(())) == ""
