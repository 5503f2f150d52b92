"""The real voice engines: Piper speaks, Whisper listens, and bad audio gets clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.wer import wer
from voice.audio import read_file, resample, write_wav
from voice.errors import AudioFileError, VoiceModelMissing
from voice.models import piper_voice, whisper_dir
from voice.stt import WhisperEngine
from voice.tts import PiperEngine

pytestmark = pytest.mark.slow
CACHE = Path(__file__).resolve().parents[3] / ".cache" / "models"
SENTENCES = [
    "Please remind me to call my sister tomorrow morning.",
    "What is on my calendar for Friday afternoon?",
    "Add milk, eggs and bread to the shopping list.",
    "The meeting with the design team moved to next week.",
    "How long does it take to walk to the station?",
    "Write a short note about the garden plans.",
    "Turn the reading light off when the film starts.",
    "My dentist appointment is on Tuesday at noon.",
    "Send the report to the whole team before lunch.",
    "Which books did I want to read this summer?",
    "The weather looks cold and windy for the weekend.",
    "Remember that the spare key is under the blue pot.",
]


@pytest.fixture(scope="module")
def stt() -> WhisperEngine:
    return WhisperEngine(whisper_dir(CACHE), "cpu", threads=2)


@pytest.fixture(scope="module")
def tts() -> PiperEngine:
    return PiperEngine(piper_voice())


def test_spoken_sentences_are_transcribed_within_5_percent_wer(stt, tts) -> None:
    # How fast they are is measured in bench/voice.py: a loaded CI machine would fail a
    # "faster than real time" assertion here while the words were all right.
    errors, words = 0.0, 0
    for sentence in SENTENCES:
        speech = tts.speak(sentence)
        assert speech.duration_s > 1.0
        heard = stt.transcribe(resample(speech.audio, speech.rate))
        count = len(sentence.split())
        errors += wer(sentence, heard.text) * count
        words += count
    assert errors / words <= 0.05, errors / words


def test_files_round_trip_and_bad_audio_is_explained(stt, tts, tmp_path: Path) -> None:
    speech = tts.speak("The quick brown fox jumps over the lazy dog.")
    write_wav(tmp_path / "fox.wav", speech.audio, speech.rate)
    assert wer("The quick brown fox jumps over the lazy dog.",
               stt.transcribe_file(tmp_path / "fox.wav").text) <= 0.12  # one word
    silence = np.zeros(16000 * 2, np.float32)
    assert stt.transcribe(silence).empty  # VAD: no speech, no words
    noise = (np.random.default_rng(1).standard_normal(16000 * 2) * 0.02).astype(np.float32)
    assert len(stt.transcribe(noise).text.split()) <= 2
    (tmp_path / "bad.mp3").write_bytes(b"not audio at all" * 100)
    with pytest.raises(AudioFileError, match="not an audio file"):
        read_file(tmp_path / "bad.mp3")
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(AudioFileError):
        read_file(tmp_path / "notes.txt")
    with pytest.raises(AudioFileError, match="no such file"):
        read_file(tmp_path / "gone.wav")
    with pytest.raises(VoiceModelMissing):
        WhisperEngine(tmp_path)
    with pytest.raises(VoiceModelMissing):
        PiperEngine(tmp_path / "nothing.onnx")


def test_transcribing_while_held_reads_as_well_as_the_whole(stt, tts) -> None:
    from voice.listening import IncrementalTranscriber

    said = SENTENCES[:4]
    pause = np.zeros(int(0.6 * 16000), np.float32)
    audio = np.concatenate([part for s in said
                            for part in (resample(tts.speak(s).audio, tts.rate), pause)])
    listening = IncrementalTranscriber(stt)
    for end in range(4000, len(audio), 4000):  # every quarter second while held
        listening.update(audio[:end])
    transcribed: list[int] = []
    transcribe = listening._transcribe

    def counted(*args: object) -> object:
        transcribed.append(1)
        return transcribe(*args)

    listening._transcribe = counted  # type: ignore[method-assign]
    heard = listening.finish(audio)
    whole = " ".join(said)
    assert not transcribed  # the person paused before letting go: nothing was left
    assert wer(whole, heard.text) <= 0.1, heard.text  # Piper varies: two words of 36


def test_long_dictation_is_settled_in_pieces_that_read_as_the_whole(stt, tts) -> None:
    """Dictation past the settling window is cut at long pauses and each piece transcribed
    once, with the text before it as Whisper's context."""
    from voice.listening import IncrementalTranscriber

    said = SENTENCES
    pause = np.zeros(int(0.6 * 16000), np.float32)
    audio = np.concatenate([part for s in said
                            for part in (resample(tts.speak(s).audio, tts.rate), pause)])
    listening = IncrementalTranscriber(stt, window_s=6.0)
    for end in range(4000, len(audio), 4000):
        listening.update(audio[:end])
    heard = listening.finish(audio)
    assert len(listening.pieces) >= 2  # it was settled in pieces
    assert wer(" ".join(said), heard.text) <= 0.1, heard.text
