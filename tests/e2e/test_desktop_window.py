"""The desktop app in a real X window (Xvfb) with a tray host (trayer) and virtual sound
devices (PulseAudio), on the light model: set up the memory, ask, approve a tool call
from the review panel, get a tray notification while hidden and click it, and speak a
question with the hold-to-talk key. Screenshots of each view land in test-artifacts/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.voice.pulse import VirtualAudio
from tests.wer import wer
from tests.xserver import wait_for_tray, xvfb

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "desktop"
SPOKEN = "What is the capital of Italy?"


@pytest.fixture()
def display() -> Iterator[str]:
    """An X server and a tray host on it."""
    assert shutil.which("trayer"), "trayer is missing: make test installs it (apt)"
    with xvfb() as name:
        tray = subprocess.Popen(["trayer", "--edge", "bottom", "--align", "right",
                                 "--widthtype", "request", "--height", "24"],
                                env={**os.environ, "DISPLAY": name})
        wait_for_tray(name)
        yield name
        tray.terminate()
        tray.wait(10)


@pytest.fixture()
def audio() -> Iterator[VirtualAudio]:
    devices = VirtualAudio().start()
    yield devices
    devices.stop()


def speak_into_file(audio: VirtualAudio, wav: Path) -> None:
    code = f"""
from pathlib import Path
from voice.audio import write_wav
from voice.models import piper_voice
from voice.tts import PiperEngine
speech = PiperEngine(piper_voice()).speak({SPOKEN!r})
write_wav(Path({str(wav)!r}), speech.audio, speech.rate)
"""
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=audio.env, check=True,
                   timeout=120)


def test_the_window_as_a_person_uses_it(tmp_path: Path, light_model: Path, display: str,
                                        audio: VirtualAudio) -> None:
    question = tmp_path / "question.wav"
    speak_into_file(audio, question)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    env = {k: v for k, v in audio.env.items() if not k.startswith("FAMULUS_")
           or k in ("FAMULUS_CACHE_DIR", "FAMULUS_RAM_DIR")}
    env.update({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
                "FAMULUS_HOME": str(tmp_path / "home"), "FAMULUS_MODELS_CHAT": "light",
                "FAMULUS_MODELS_THREADS": "1", "FAMULUS_INFERENCE_TEMPERATURE": "0",
                "FAMULUS_INFERENCE_MAX_TOKENS": "48"})
    result = subprocess.run([sys.executable, "-m", "tests.e2e.drive_window", str(ARTIFACTS),
                             str(question)], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=600)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "PLATFORM xcb" in out
    assert "RECOVERY " in out  # shown once on the first run
    assert "FIRST RUN True" in out  # then the model, the key, the folders, the level
    assert "Madrid" in out.split("TRANSCRIPT")[1].splitlines()[0]
    assert "REVIEW notes_write" in out
    card = out.split("CARD ")[1].splitlines()[0]  # the card says what it did, in words
    assert card.lower().startswith("create the note **groceries**") and "Done." in card, card
    assert "TRAY True False" in out  # a tray host, and the window hidden to it
    assert "BALLOON True" in out and "VIEW 0" in out  # the reply's notification opens chat
    heard = out.split("HEARD ")[1].splitlines()[0]
    assert wer(SPOKEN, heard) <= 0.2, heard
    assert "Madrid" in out.split("MEMORY ")[1].splitlines()[0]  # the memory browser found it
    assert "turns" in out.split("METRICS ")[1].splitlines()[0]
    for view in ("unlock-dialog", "recovery-key", "first-run-1", "first-run-2",
                 "first-run-3", "first-run-4", "chat", "review", "approved", "undone",
                 "notification", "voice", "memory", "metrics", "settings", "chat-dark",
                 "review-dark"):
        assert (ARTIFACTS / f"{view}.png").stat().st_size > 3_000, view
    assert "Traceback" not in result.stderr, result.stderr
