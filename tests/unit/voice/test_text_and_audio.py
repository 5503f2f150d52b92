"""Sentences from a token stream, resampling and WAV files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.wer import wer
from voice.audio import resample, write_wav
from voice.tts import SentenceBuffer, sentences


def test_sentences_keep_abbreviations_and_numbers() -> None:
    assert sentences("Hello there. Dr. Smith paid 3.5 euros! Is that right? Yes") == [
        "Hello there.", "Dr. Smith paid 3.5 euros!", "Is that right?", "Yes"]
    assert sentences("") == []


def test_sentence_buffer_hands_back_each_sentence_as_it_completes() -> None:
    buffer, got = SentenceBuffer(), []
    for token in ["Hel", "lo there.", " Dr.", " Smith is here", ". Next", " one? ", "Last",
                  " word"]:
        got.append(list(buffer.feed(token)))
    assert got == [[], [], ["Hello there."], [], ["Dr. Smith is here."], ["Next one?"], [],
                   []]
    assert list(buffer.flush()) == ["Last word"]


def test_resample_and_wav(tmp_path: Path) -> None:
    tone = np.sin(np.linspace(0, 2 * np.pi * 440, 22050)).astype(np.float32)
    down = resample(tone, 22050)
    assert len(down) == 16000 and down.dtype == np.float32
    write_wav(tmp_path / "t.wav", tone, 22050)
    import wave

    with wave.open(str(tmp_path / "t.wav")) as w:
        assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (22050, 1, 22050)


def test_word_error_rate() -> None:
    assert wer("the cat sat", "the cat sat") == 0
    assert wer("the cat sat", "a cat sat down") == 2 / 3
