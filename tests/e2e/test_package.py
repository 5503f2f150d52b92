"""The packaged app: packaging/famulus.spec (what `make package` runs) built with the light
model, then used as a person would use the built folder, with no Python installation of
Famulus in sight: doctor, a question, encrypted memory, speech both ways, sandboxed code."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("package")
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                    "--distpath", str(out / "dist"), "--workpath", str(out / "build"),
                    str(ROOT / "packaging" / "famulus.spec")],
                   cwd=ROOT, env={**os.environ, "FAMULUS_BUNDLE_MODEL": "light"},
                   check=True, timeout=1800)
    yield out / "dist" / "famulus" / "famulus"
    shutil.rmtree(out, ignore_errors=True)  # 1.7 GB


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


def famulus(app: Path, home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The built app, away from the source tree, with its own home and cache: the models
    must come from the bundle."""
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("FAMULUS_", "PYTHON", "VIRTUAL_ENV"))
             or k == "FAMULUS_RAM_DIR"}
    clean.pop("DISPLAY", None)
    clean.update({"FAMULUS_HOME": str(home), "FAMULUS_MODELS_THREADS": "1",
                  "FAMULUS_INFERENCE_TEMPERATURE": "0", **env})
    return subprocess.run([str(app), *args], cwd=home, env=clean, capture_output=True,
                          text=True, timeout=300)


def test_doctor_finds_the_bundled_models(app: Path, home: Path) -> None:
    done = famulus(app, home, "doctor", "--json")
    report = json.loads(done.stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert report["ok"], done.stdout
    assert checks["chat model"]["detail"].startswith("light:")
    assert checks["voice models"]["status"] == "ok"
    assert checks["model all-MiniLM-L6-v2"]["status"] == "ok"
    assert famulus(app, home, "--version").stdout.startswith("famulus ")


def test_the_bundled_model_answers(app: Path, home: Path) -> None:
    done = famulus(app, home, "ask", "--json", "What is the capital of Italy?")
    assert done.returncode == 0, done.stderr
    assert "Rome" in json.loads(done.stdout)["answer"]


def test_encrypted_memory_works_in_the_bundle(app: Path, home: Path) -> None:
    secret = {"FAMULUS_PASSPHRASE": PASSPHRASE}
    assert famulus(app, home, "memory", "init", **secret).returncode == 0
    added = famulus(app, home, "memory", "add", "The plumber comes on Tuesday", **secret)
    assert added.returncode == 0, added.stderr
    found = famulus(app, home, "memory", "search", "when is the plumber coming", **secret)
    assert "plumber comes on Tuesday" in found.stdout, found.stderr


def test_speech_both_ways(app: Path, home: Path, tmp_path: Path) -> None:
    wav = tmp_path / "milk.wav"
    said = famulus(app, home, "say", "--out", str(wav), "Please add milk to my shopping list.")
    assert said.returncode == 0, said.stderr
    heard = famulus(app, home, "transcribe", str(wav))
    assert "milk" in heard.stdout.lower(), heard.stderr


def test_python_code_runs_in_the_sandbox(app: Path, home: Path) -> None:
    done = famulus(app, home, "tools", "run", "--json", "python_run",
                   json.dumps({"code": "print(6 * 7)"}), FAMULUS_PASSPHRASE=PASSPHRASE,
                   FAMULUS_TOOLS_AUTONOMY_LEVEL="3")
    result = json.loads(done.stdout)
    assert result["status"] == "done", result
    assert result["result"]["stdout"].strip() == "42"
