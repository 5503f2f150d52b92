"""What the tools did, in words, when the model's answer does not say it."""

from __future__ import annotations

from agent.telling import hollow, in_words, misses_findings
from tools.service import ActionResult


def test_an_acknowledgement_is_hollow_an_answer_with_content_is_not() -> None:
    for said in ("Done.", "OK!", "All done.", "Sure, done", "",
                 "Thank you for providing the tool response.",
                 "Thank you for providing the version information."):
        assert hollow(said), said
    for said in ("The files are a.txt and b.md.", "The average is 4.5.", "Done: 3 files.",
                 "Thanks for asking! The version is 2.4.1, released in May."):
        assert not hollow(said), said


def test_results_are_told_with_what_they_found() -> None:
    listed = ActionResult("A1", "file_list", "done", {}, [
        {"name": "a.txt", "type": "file"}, {"name": "notes", "type": "folder"}])
    assert in_words(listed) == "Found 2: a.txt, notes."
    saved = ActionResult("A2", "notes_write", "done", {}, {"title": "groceries", "chars": 14},
                         summary="saved note groceries")
    assert in_words(saved) == "Saved note groceries."
    many = ActionResult("A3", "file_list", "done", {}, [{"name": f"f{i}"} for i in range(25)])
    assert in_words(many).endswith("f19 and 5 more.")
    refused = ActionResult("A4", "file_read", "refused", {}, error="outside the folders")
    assert in_words(refused) == "File read was not allowed: outside the folders."
    waiting = ActionResult("A5", "email_send", "review", {"reason": "an external recipient"},
                           review_id="R7")
    assert in_words(waiting) == "Email send waits for your approval: an external recipient."
    assert in_words(ActionResult("A6", "file_list", "done", {}, [])) == "Found nothing."


def test_a_claimed_action_is_seen_at_the_answers_start() -> None:
    from agent.telling import claims_action

    for said in ("I've saved the note groceries.", "Sure! I have added milk to your list.",
                 "I just sent the e-mail to Bob.", "OK, I created the task."):
        assert claims_action(said), said
    for said in ("The capital of Spain is Madrid.",
                 "Here is a story: I have written many letters, said the keeper.",
                 "I can save it for you if you like.", "You have added three items."):
        assert not claims_action(said), said


def test_an_answer_that_says_none_of_what_was_found_misses_it() -> None:
    read = ActionResult("A1", "notes_read", "done", {},
                        {"title": "trip", "text": "Train to Lisbon at 9:15 on Saturday."})
    assert misses_findings('I have read the "trip" note.', [read], "what does my trip note say?")
    assert not misses_findings("Your train to Lisbon leaves at 9:15.", [read])
    assert not misses_findings("It leaves Saturday morning.", [read])
    written = ActionResult("A2", "notes_write", "done", {}, {"title": "trip"},
                           summary="created the note trip")
    assert not misses_findings("Done, the note is there.", [written])  # its own sentence
    assert not misses_findings("Nothing there.", [ActionResult("A3", "file_list", "done", {},
                                                                [])])


def test_an_action_claimed_after_only_reads_is_not_the_answer() -> None:
    from agent.telling import claims_undone

    looked = ActionResult("A1", "calendar_events", "done", {},
                          [{"summary": "Dentist", "start": "2026-12-07T09:00:00"}])
    assert claims_undone("I have added a lunch event to your calendar.", [looked])
    added = ActionResult("A2", "calendar_add", "done", {}, {"uid": "x"},
                         summary="added Lunch to the calendar")
    assert not claims_undone("I have added Lunch to your calendar.", [added])
