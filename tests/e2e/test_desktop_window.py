"""The desktop app in a real X window under Xvfb, with the light model."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_window_answers_a_typed_question(tmp_path: Path, light_model: Path) -> None:
    assert shutil.which("xvfb-run"), "xvfb-run is missing: make test installs it (apt xvfb)"
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "chat-window.png"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMULUS_")
           or k == "FAMULUS_CACHE_DIR"}
    env.update({"QT_QPA_PLATFORM": "xcb", "FAMULUS_HOME": str(tmp_path),
                "FAMULUS_MODELS_CHAT": "light", "FAMULUS_MODELS_THREADS": "1",
                "FAMULUS_INFERENCE_TEMPERATURE": "0", "FAMULUS_INFERENCE_MAX_TOKENS": "32"})
    result = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1024x768x24", sys.executable, "-m",
         "tests.e2e.drive_window", str(shot)],
        capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PLATFORM xcb" in result.stdout
    assert "Madrid" in result.stdout
    assert shot.stat().st_size > 5_000
    assert "different thread" not in result.stderr, result.stderr
