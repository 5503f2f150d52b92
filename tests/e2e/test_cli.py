"""The `famulus` command as a user runs it: a subprocess with its own FAMULUS_HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import gguf_writer

pytestmark = pytest.mark.slow
PLANTED_KEY = "sk-planted-e2e-7f3a9c0d1e2b4a5968"


def famulus(home: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith("FAMULUS_") or k in ("FAMULUS_CACHE_DIR", "FAMULUS_RAM_DIR")}
    full_env.pop("DISPLAY", None)
    full_env.pop("WAYLAND_DISPLAY", None)
    full_env.update({"FAMULUS_HOME": str(home), "FAMULUS_MODELS_THREADS": "1",
                     "FAMULUS_MODELS_CHAT": "light", "FAMULUS_INFERENCE_MAX_TOKENS": "48",
                     "FAMULUS_INFERENCE_TEMPERATURE": "0"})
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "cli", *args], input=stdin,
                          capture_output=True, text=True, env=full_env, timeout=timeout)


def _fails_cleanly(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_ask_json_reports_answer_backend_and_timings(tmp_path: Path, light_model: Path) -> None:
    result = famulus(tmp_path, "ask", "--json", "What is the capital of Italy?")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert "Rome" in data["answer"]
    assert data["backend"] == "local" and data["route"]["answered_by"] == "local"
    assert data["timings"]["time_to_first_token_s"] > 0
    assert data["timings"]["tokens_per_s"] > 0
    assert data["model"] == light_model.name


def test_ask_streams_plain_text(tmp_path: Path, light_model: Path) -> None:
    result = famulus(tmp_path, "ask", "--model", "light", "Say hello in French.")
    assert result.returncode == 0 and result.stdout.strip()


@pytest.mark.parametrize("prompt", ["", "   \n"])
def test_empty_prompt(tmp_path: Path, prompt: str) -> None:
    _fails_cleanly(famulus(tmp_path, "ask", prompt), "the prompt is empty")


def test_missing_model_file(tmp_path: Path) -> None:
    _fails_cleanly(famulus(tmp_path, "ask", "--model", str(tmp_path / "gone.gguf"), "hi"),
                   "model file not found")


def test_truncated_gguf(tmp_path: Path, light_model: Path) -> None:
    cut = tmp_path / "cut.gguf"
    with light_model.open("rb") as handle:
        cut.write_bytes(handle.read(50_000_000))
    _fails_cleanly(famulus(tmp_path, "ask", "--model", str(cut), "hi"), "is truncated")


def test_gguf_that_is_not_a_model(tmp_path: Path) -> None:
    vocab = gguf_writer.write(tmp_path / "vocab.gguf", {"general.architecture": "llama"}, [])
    _fails_cleanly(famulus(tmp_path, "ask", "--model", str(vocab), "hi"), "not a model")


def test_unknown_model_name(tmp_path: Path) -> None:
    _fails_cleanly(famulus(tmp_path, "ask", "--model", "huge", "hi"), "unknown model 'huge'")


def test_doctor_json(tmp_path: Path, light_model: Path) -> None:
    result = famulus(tmp_path, "doctor", "--json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    names = {c["name"] for c in report["checks"]}
    assert {"cpu", "ram", "gpu", "llama.cpp", "chat model", "audio", "display",
            "data dir"} <= names
    assert report["ok"] is True and report["paths"]["data_dir"] == str(tmp_path / "data")


def test_doctor_fails_with_an_actionable_line(tmp_path: Path) -> None:
    result = famulus(tmp_path, "doctor", env={"FAMULUS_MODELS_CHAT": str(tmp_path / "x.gguf")})
    assert result.returncode == 1
    assert "[FAIL] chat model" in result.stdout and "→ set models.chat" in result.stdout


def test_models_list_json(tmp_path: Path, light_model: Path) -> None:
    extra = gguf_writer.tiny_model(tmp_path / "mine.gguf")
    result = famulus(tmp_path, "models", "list", "--json",
                     env={"FAMULUS_MODELS_PATHS": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    models = {m["name"]: m for m in json.loads(result.stdout)["models"]}
    light = models["light"]
    assert (light["checksum"], light["quantization"], light["context_length"]) == (
        "verified", "Q4_K_M", 32768)
    assert light["size_bytes"] == light_model.stat().st_size
    assert models["mine.gguf"]["source"] == "user" and models["mine.gguf"]["path"] == str(extra)
    assert models["all-MiniLM-L6-v2"]["kind"] == "embedding"


def test_config_show_and_set(tmp_path: Path) -> None:
    assert famulus(tmp_path, "config", "set", "models.context_length", "2048").returncode == 0
    result = famulus(tmp_path, "config", "show", "--json")
    settings = json.loads(result.stdout)["settings"]
    assert settings["models.context_length"]["value"] == 2048
    assert settings["models.context_length"]["source"].startswith("file ")
    assert settings["models.threads"] == {
        "value": 1, "source": "env FAMULUS_MODELS_THREADS",
        "description": settings["models.threads"]["description"]}
    bad = famulus(tmp_path, "config", "set", "models.context_length", "many")
    _fails_cleanly(bad, "not a valid int")


def test_planted_api_key_never_reaches_logs_and_fallback_is_announced(
    tmp_path: Path, light_model: Path
) -> None:
    env = {"FAMULUS_PRIVACY_ALLOW_CLOUD": "true", "OPENAI_API_KEY": PLANTED_KEY,
           "FAMULUS_CLOUD_OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
           "FAMULUS_INFERENCE_ORDER": "cloud,local", "FAMULUS_LOGGING_LEVEL": "DEBUG"}
    result = famulus(tmp_path, "--verbose", "ask", "Say hi.", env=env)
    assert result.returncode == 0, result.stderr
    assert "cloud:openai failed" in result.stderr and "answering with local" in result.stderr
    only_cloud = famulus(tmp_path, "ask", "--backend", "cloud", "Say hi.", env=env)
    _fails_cleanly(only_cloud, "no backend could answer")
    log = (tmp_path / "data" / "logs" / "famulus.jsonl").read_text()
    assert "cloud:openai" in log
    for text in (log, result.stderr, result.stdout, only_cloud.stderr):
        assert PLANTED_KEY not in text


def test_app_without_display_starts_the_terminal_chat(tmp_path: Path, light_model: Path) -> None:
    result = famulus(tmp_path, stdin="What is 3 plus 4?\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "No display found: starting the terminal chat" in result.stderr
    assert "famulus> " in result.stdout and "7" in result.stdout.split("famulus> ", 1)[1]


def test_keys_go_to_the_keyring_or_say_where_else(tmp_path: Path) -> None:
    result = famulus(tmp_path, "keys", "set", "openai", stdin=PLANTED_KEY + "\n")
    if result.returncode == 0:  # a desktop session with a keyring
        assert "stored in the OS keyring" in result.stdout
        famulus(tmp_path, "keys", "delete", "openai")
    else:
        _fails_cleanly(result, "OPENAI_API_KEY in the environment instead")
    assert PLANTED_KEY not in result.stdout + result.stderr
