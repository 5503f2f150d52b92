"""Through real, paced virtual devices (PulseAudio null sinks): speech played into the
virtual microphone is captured with push-to-talk and transcribed; speech Famulus plays
comes out of the virtual speaker."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.voice.pulse import VirtualAudio
from tests.wer import wer

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]
SENTENCE = "Please remind me to water the plants tomorrow evening."


@pytest.fixture(scope="module")
def audio() -> Iterator[VirtualAudio]:
    devices = VirtualAudio().start()
    yield devices
    devices.stop()


def run(audio: VirtualAudio, code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=audio.env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_push_to_talk_hears_the_virtual_microphone(audio: VirtualAudio,
                                                   tmp_path: Path) -> None:
    wav = tmp_path / "said.wav"
    run(audio, f"""
from pathlib import Path
from voice.audio import write_wav
from voice.models import piper_voice
from voice.tts import PiperEngine
speech = PiperEngine(piper_voice()).speak({SENTENCE!r})
write_wav(Path({str(wav)!r}), speech.audio, speech.rate)
""")
    # The recorder holds the key from just after the speech starts: the pre-roll keeps the
    # first word. The speech is played into the microphone in real time by paplay.
    out = run(audio, f"""
import subprocess, time, numpy as np
from voice.capture import Recorder
from voice.models import whisper_dir
from voice.stt import WhisperEngine
from pathlib import Path
stt = WhisperEngine(whisper_dir(Path({str(ROOT / '.cache' / 'models')!r})), "cpu", 2)
with Recorder() as mic:
    time.sleep(0.5)
    player = subprocess.Popen(["paplay", "--device=famulus_mic_feed", {str(wav)!r}])
    time.sleep(0.3)
    mic.press()
    player.wait()
    time.sleep(0.4)
    utterance = mic.release()
print(len(utterance) / 16000)
print(stt.transcribe(utterance).text)
""")
    seconds, text = out.strip().splitlines()
    assert float(seconds) > 2.0
    assert wer(SENTENCE, text) <= 0.12, text  # Piper varies a little: one word may differ


def test_played_speech_comes_out_of_the_virtual_speaker(audio: VirtualAudio,
                                                        tmp_path: Path) -> None:
    heard = tmp_path / "speaker.wav"
    recorder = audio.record_speaker(heard)
    time.sleep(0.5)
    try:
        run(audio, f"""
from voice.models import piper_voice
from voice.playback import play
from voice.tts import PiperEngine
speech = PiperEngine(piper_voice()).speak({SENTENCE!r})
assert play(speech.audio, speech.rate)
""")
        time.sleep(0.5)
    finally:
        recorder.terminate()
        recorder.wait(10)
    text = run(audio, f"""
from pathlib import Path
from voice.models import whisper_dir
from voice.stt import WhisperEngine
stt = WhisperEngine(whisper_dir(Path({str(ROOT / '.cache' / 'models')!r})), "cpu", 2)
print(stt.transcribe_file(Path({str(heard)!r})).text)
""")
    assert wer(SENTENCE, text) <= 0.12, text  # Piper varies a little: one word may differ


def test_famulus_voice_hears_answers_and_speaks_through_the_devices(
        audio: VirtualAudio, tmp_path: Path, light_model: Path) -> None:
    question = tmp_path / "question.wav"
    run(audio, f"""
from pathlib import Path
from voice.audio import write_wav
from voice.models import piper_voice
from voice.tts import PiperEngine
speech = PiperEngine(piper_voice()).speak("What is the capital of France?")
write_wav(Path({str(question)!r}), speech.audio, speech.rate)
""")
    heard = tmp_path / "speaker.wav"
    env = {k: v for k, v in audio.env.items() if not k.startswith("FAMULUS_")
           or k in ("FAMULUS_CACHE_DIR", "FAMULUS_RAM_DIR")}
    env.update(FAMULUS_HOME=str(tmp_path / "home"), FAMULUS_MODELS_CHAT="light",
               FAMULUS_MODELS_THREADS="1", FAMULUS_INFERENCE_MAX_TOKENS="40",
               FAMULUS_INFERENCE_TEMPERATURE="0")
    env.pop("DISPLAY", None)
    app = subprocess.Popen([sys.executable, "-m", "cli", "voice"], cwd=ROOT, env=env,
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    recorder = audio.record_speaker(heard)
    try:
        time.sleep(8)  # the models load
        app.stdin.write("\n")  # press: listen
        app.stdin.flush()
        time.sleep(0.3)
        audio.play_into_mic(question).wait(30)
        time.sleep(0.5)
        app.stdin.write("\n")  # release: answer
        app.stdin.flush()
        time.sleep(20)  # transcribe, think, speak
        out, err = app.communicate(timeout=120)
    finally:
        recorder.terminate()
        recorder.wait(10)
    assert app.returncode == 0, err
    heard_line = out.split("you: ")[-1].splitlines()[0]
    assert wer("What is the capital of France?", heard_line) <= 0.34, out + err
    said = out.split("famulus: ")[-1].splitlines()[0]
    assert said.strip(), out
    spoken = run(audio, f"""
from pathlib import Path
from voice.models import whisper_dir
from voice.stt import WhisperEngine
stt = WhisperEngine(whisper_dir(Path({str(ROOT / '.cache' / 'models')!r})), "cpu", 2)
print(stt.transcribe_file(Path({str(heard)!r})).text)
""")
    # what came out of the speaker is what was written ("France is" may come back as
    # "Francis": the words, not the spelling, are the test)
    assert wer(said, spoken) <= 0.4, (said, spoken)
    assert "to first audio" in out


def test_a_microphone_that_goes_away_mid_recording_is_explained() -> None:
    devices = VirtualAudio().start()  # its own server: this test stops it
    try:
        out = run(devices, """
import subprocess, time
from voice.capture import Recorder
from voice.errors import NoAudioDevice
mic = Recorder()
deadline = time.monotonic() + 10
while mic.last_block is None and time.monotonic() < deadline:
    time.sleep(0.05)  # a PulseAudio source takes a moment to deliver its first block
mic.press()
time.sleep(0.3)
print("present before:", mic.present)
subprocess.run(["pulseaudio", "--kill"])
time.sleep(1.5)
print("present after:", mic.present)
try:
    mic.release()
except NoAudioDevice as exc:
    print("error:", exc)
mic.close()
""")
    finally:
        devices.stop()
    assert "present before: True" in out and "present after: False" in out, out
    assert "error: the microphone went away while recording; type instead" in out
