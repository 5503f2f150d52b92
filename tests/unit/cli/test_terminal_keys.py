"""Push-to-talk in a terminal: a held key (press, then repeats) talks until the repeats
stop; a tapped key toggles; a pipe uses empty lines."""

from __future__ import annotations

import io

from cli.terminal_keys import line_keys
from voice.push_to_talk import HoldOrTap


def test_a_held_key_talks_until_its_repeats_stop() -> None:
    keys = HoldOrTap(first_repeat_s=0.5, release_gap_s=0.2)
    assert keys.key(0.0) == "press"
    assert keys.quiet(0.3) is None  # the first repeat has not come yet
    assert keys.key(0.45) is None  # repeat: it is held
    assert keys.key(0.5) is None
    assert abs(keys.wait_s(0.55) - 0.15) < 1e-9
    assert keys.quiet(0.6) is None
    assert keys.quiet(0.71) == "release"
    assert not keys.talking


def test_a_tapped_key_talks_until_the_next_tap() -> None:
    keys = HoldOrTap(first_repeat_s=0.5)
    assert keys.key(0.0) == "press"
    assert keys.quiet(0.6) is None  # no repeat: it was a tap
    assert keys.talking and keys.wait_s(0.7) is None  # wait for the next key, however long
    assert keys.key(5.0) == "release"
    assert keys.key(6.0) == "press"


def test_a_pipe_toggles_with_empty_lines_and_sends_text() -> None:
    events = list(line_keys(io.StringIO("\nhello there\n\n")))
    assert events == [("press", ""), ("line", "hello there"), ("release", ""), ("quit", "")]
