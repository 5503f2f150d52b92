"""`famulus say` and `famulus transcribe` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import _fails_cleanly, famulus

pytestmark = pytest.mark.slow


def test_say_into_a_file_then_transcribe_it(tmp_path: Path) -> None:
    out = tmp_path / "reply.wav"
    said = famulus(tmp_path / "home", "say", "Your train leaves at half past nine.",
                   "--out", str(out))
    assert said.returncode == 0, said.stderr
    assert "s of speech" in said.stderr and out.stat().st_size > 10_000
    heard = famulus(tmp_path / "home", "transcribe", str(out), "--json")
    assert heard.returncode == 0, heard.stderr
    data = json.loads(heard.stdout)
    assert "train leaves at half past nine" in data["text"].lower()
    assert set(data) >= {"text", "language", "audio_s", "seconds", "real_time_factor"}


def test_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "x.mp3").write_text("no")
    _fails_cleanly(famulus(tmp_path / "home", "transcribe", str(tmp_path / "x.mp3")),
                   "is not an audio file Famulus can read")
    _fails_cleanly(famulus(tmp_path / "home", "transcribe", str(tmp_path / "none.wav")),
                   "no such file")
    _fails_cleanly(famulus(tmp_path / "home", "say", ""), "nothing to say")
    # this machine has no sound card: playing says so, and how to get the speech anyway
    played = famulus(tmp_path / "home", "say", "Hello.")
    _fails_cleanly(played, "famulus say --out")
