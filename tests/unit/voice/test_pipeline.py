"""The pipeline's logic with stand-in engines: sentences spoken as they complete, silence
makes no turn, barge-in stops the reply, latency is broken down."""

from __future__ import annotations

import threading
import time

import numpy as np

from tests.unit.voice.test_speaker import fake_player
from voice.pipeline import VoicePipeline
from voice.speaker import Speaker
from voice.stt import SpeechToText, Transcript
from voice.tts import Speech, TextToSpeech


class Ears(SpeechToText):
    def __init__(self, text: str) -> None:
        self.text = text

    def transcribe(self, audio: np.ndarray, context: str = "") -> Transcript:
        return Transcript(self.text if audio.any() else "", "en", len(audio) / 16000, 0.01)


class Mouth(TextToSpeech):
    def speak(self, text: str) -> Speech:
        return Speech(text, np.zeros(int(16000 * 0.2), np.float32), 16000, 0.001)


def tokens(reply: str, delay: float = 0.0):
    def respond(text: str):
        for word in reply.split(" "):
            time.sleep(delay)
            yield word + " "
    return respond


def test_a_turn_is_spoken_sentence_by_sentence() -> None:
    speaker = Speaker(fake_player([]))
    pipeline = VoicePipeline(Ears("what time is it"), Mouth(), speaker,
                             tokens("It is noon. Have a nice lunch."))
    turn = pipeline.handle(np.ones(16000, np.float32))
    speaker.wait(5)
    assert turn.heard == "what time is it"
    assert turn.said == ["It is noon.", "Have a nice lunch."]
    assert speaker.played == turn.said
    assert set(turn.latency) == {"transcribe_s", "first_token_s", "first_audio_s",
                                 "voice_to_voice_s"}
    assert turn.latency["voice_to_voice_s"] is not None
    speaker.close()


def test_silence_makes_no_turn() -> None:
    speaker = Speaker(fake_player([]))
    pipeline = VoicePipeline(Ears("x"), Mouth(), speaker, tokens("never"))
    assert pipeline.handle(np.zeros(16000, np.float32)) is None
    speaker.close()


def test_barge_in_drops_the_rest_of_the_reply() -> None:
    speaker = Speaker(fake_player([]))
    pipeline = VoicePipeline(Ears("tell me a story"), Mouth(), speaker,
                             tokens("Once upon a time. There was a fox. It ran far. The end.",
                                    delay=0.03))
    result: list = []
    worker = threading.Thread(target=lambda: result.append(pipeline.handle(
        np.ones(16000, np.float32))))
    worker.start()
    time.sleep(0.25)  # the first sentence is playing
    pipeline.interrupt()
    worker.join(5)
    speaker.wait(2)
    assert "The end." not in result[0].said
    assert "The end." not in speaker.played and len(speaker.played) <= 1
    speaker.close()
