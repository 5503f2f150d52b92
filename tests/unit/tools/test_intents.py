"""What a call is about to do, in a sentence: one per built-in tool, a generic one from the
manifest for the rest, times in words, no internal ids, and values from the model never
rendered as Markdown or links."""

from __future__ import annotations

import pytest

from tools.catalog import builtin_tools
from tools.intents import SENTENCES, intent


def test_every_built_in_tool_has_its_own_sentence() -> None:
    assert {t.name for t in builtin_tools()} <= set(SENTENCES)


@pytest.mark.parametrize(("tool", "arguments", "said"), [
    ("notes_write", {"title": "groceries", "text": "milk and eggs", "mode": "create"},
     "Create the note **groceries**: milk and eggs"),
    ("notes_write", {"title": "groceries", "text": "bread", "mode": "append"},
     "Add to the note **groceries**: bread"),
    ("calendar_add", {"summary": "Lunch with Ana", "start": "2026-12-04T12:00"},
     "Add **Lunch with Ana** to your calendar on Friday 4 December at 12:00"),
    ("calendar_remove", {"uid": "4f1c2e9a-77aa-4e2b-9d1e-0c2b2f1e9a11@famulus"},
     "Remove it from your calendar"),
    ("tasks_add", {"summary": "call the dentist", "due": "2026-12-03"},
     "Add the task **call the dentist**, due Thursday 3 December"),
    ("file_list", {"path": "."}, "List the files in your folder"),
    ("email_send", {"to": ["bob@example.org"], "subject": "Hi", "body": "See you"},
     "Send an e-mail to **bob@example.org** about **Hi**: See you"),
])
def test_sentences_say_what_happens(tool: str, arguments: dict, said: str) -> None:
    assert intent(tool, arguments) == said


def test_a_tool_without_a_sentence_is_described_by_its_manifest() -> None:
    said = intent("github_create_issue", {"title": "Crash on start", "labels": []},
                  "Create an issue in a repository. Needs a token.")
    assert said == "Create an issue in a repository: title **Crash on start**"
    assert intent("mystery", {}) == "Use mystery"


def test_arguments_of_the_wrong_shape_still_get_a_sentence() -> None:
    assert intent("notes_write", ["not", "a", "dict"]).startswith("Create the note")
    assert intent("calendar_add", {"summary": "x", "start": "next-ish"}).endswith("next-ish")


def test_values_from_the_model_cannot_become_markup_or_links() -> None:
    said = intent("notes_write", {"title": "[click](http://evil.example) **x**",
                                  "text": "<img src=x>"})
    assert "\\[click\\]\\(http://evil.example\\) \\*\\*x\\*\\*" in said  # shown as typed
    assert "\\<img src=x\\>" in said
