from inference.local import _TextWatcher


def test_holds_back_a_possible_start_of_a_watched_word() -> None:
    watcher = _TextWatcher(["<tool_call>"])
    assert watcher.feed("Let me check <tool") == ("Let me check ", None)
    assert watcher.feed("_call>") == ("", "<tool_call>")


def test_releases_text_that_turns_out_harmless() -> None:
    watcher = _TextWatcher(["STOP"])
    assert watcher.feed("ST") == ("", None)
    assert watcher.feed("AY here") == ("STAY here", None)
    assert watcher.flush() == ""
    assert watcher.text == "STAY here"
