"""`famulus doctor`: what this machine offers, what works, and what to do about what doesn't."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app import secrets
from app.profile import Profile
from inference import embedded, hardware
from inference.catalogue import ModelEntry, list_models, user_gguf_files
from inference.errors import InferenceError
from inference.gguf import read as read_gguf

GiB = 1 << 30


@dataclass
class Check:
    """One finding: ok, warn (works, with less) or fail (something the user must fix)."""

    name: str
    status: str
    detail: str
    fix: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _hardware(info: hardware.Hardware) -> list[Check]:
    checks = [Check("cpu", "ok", f"{info.logical_cpus} usable CPUs, {info.physical_cores} cores")]
    ram = f"{info.ram_total_bytes / GiB:.1f} GiB RAM, {info.ram_available_bytes / GiB:.1f} free"
    low = info.ram_available_bytes < 2 * GiB
    checks.append(Check("ram", "warn" if low else "ok", ram,
                        "close other programs or use the light model" if low else ""))
    if info.gpus:
        gpu = ", ".join(f"{g.name} ({g.free_bytes / GiB:.1f} of {g.total_bytes / GiB:.1f} GiB "
                        f"free)" for g in info.gpus)
        checks.append(Check("gpu", "ok", gpu))
    else:
        checks.append(Check("gpu", "warn", f"CPU only: {info.gpu_probe}",
                            "models run on the CPU; an NVIDIA GPU with 8 GB makes them faster"))
    return checks


def _llama(info: hardware.Hardware) -> Check:
    if importlib.util.find_spec("llama_cpp") is None:
        return Check("llama.cpp", "fail", "llama-cpp-python is not installed",
                     "run make run (or pip install llama-cpp-python==0.3.36)")
    import llama_cpp

    from inference.local_loader import gpu_offload_supported

    gpu_build = gpu_offload_supported()
    detail = f"llama-cpp-python {llama_cpp.__version__}, GPU offload " + (
        "supported" if gpu_build else "not built in")
    if info.gpus and not gpu_build:
        return Check("llama.cpp", "warn", detail,
                     'reinstall with CMAKE_ARGS="-DGGML_CUDA=on" (README: GPU set-up)')
    return Check("llama.cpp", "ok", detail)


def _chat_model(profile: Profile) -> Check:
    choice = profile.settings.models.chat
    if choice in embedded.EMBEDDED:
        model = embedded.EMBEDDED[choice]
        if embedded.verified_path(model, profile.paths.models_dir):
            return Check("chat model", "ok", f"{choice}: {model.title}, checksum verified")
        try:
            embedded.locate_parts(model)
        except InferenceError as exc:
            return Check("chat model", "fail", str(exc), model.install_hint())
        return Check("chat model", "ok",
                     f"{choice}: {model.title}, installed; joined and verified on first use")
    try:
        info = read_gguf(choice)
    except InferenceError as exc:
        return Check("chat model", "fail", str(exc),
                     "set models.chat to default, light or a valid GGUF file")
    return Check("chat model", "ok", f"{choice}: {info.name} {info.quantization}")


def _model_list(profile: Profile) -> list[Check]:
    checks = []
    entries = list_models(profile.paths.models_dir, profile.settings.models.paths)
    for entry in entries:
        status = {"invalid": "fail", "mismatch": "fail"}.get(entry.checksum, "ok")
        if entry.kind == "embedding" and entry.checksum == "not installed":
            status = "fail"
        checks.append(Check(f"model {entry.name}", status, _model_detail(entry),
                            "fix or remove it in models.paths" if status == "fail" else ""))
    return checks


def _model_detail(entry: ModelEntry) -> str:
    size = f"{entry.size_bytes / GiB:.2f} GiB, " if entry.size_bytes else ""
    return f"{entry.kind}, {entry.source}, {size}checksum {entry.checksum}: {entry.detail}"


def _cloud(profile: Profile) -> Check:
    provider = profile.settings.cloud.provider
    if not profile.settings.privacy.allow_cloud:
        return Check("cloud", "ok",
                     "off (privacy.allow_cloud = false): nothing leaves this machine")
    _key, source = secrets.api_key(provider)
    if source == "none":
        names = " or ".join(secrets.ENV_VARS[provider])
        return Check("cloud", "warn", f"{provider} allowed, but no API key is set",
                     f"famulus keys set {provider}, or set {names}")
    return Check("cloud", "ok", f"{provider} allowed, API key from {source}")


def _audio() -> Check:
    if importlib.util.find_spec("sounddevice") is None:
        return Check("audio", "warn", "sounddevice is not installed: voice is off",
                     "pip install 'famulus[voice]' (or make run)")
    try:
        import sounddevice

        devices = sounddevice.query_devices()
    except Exception as exc:  # PortAudio missing or no sound card: both mean "no audio"
        return Check("audio", "warn", f"no audio devices ({exc})",
                     "text chat works; connect a microphone for push-to-talk")
    inputs = [d["name"] for d in devices if d.get("max_input_channels", 0) > 0]
    outputs = [d["name"] for d in devices if d.get("max_output_channels", 0) > 0]
    status = "ok" if inputs and outputs else "warn"
    return Check("audio", status, f"{len(inputs)} input and {len(outputs)} output devices",
                 "" if status == "ok" else "connect a microphone and speakers for voice")


def _voice_models(profile: Profile) -> Check:
    """The speech models: Whisper base joined (or joinable) and the Piper voice present."""
    from voice.errors import VoiceError

    try:
        from voice.models import piper_voice, whisper_dir

        stt = profile.settings.voice.stt_model
        folder = whisper_dir(profile.paths.models_dir) if stt == "base" else Path(stt)
        voice = piper_voice() if profile.settings.voice.tts_voice == "joe" else \
            Path(profile.settings.voice.tts_voice)
    except VoiceError as exc:
        return Check("voice models", "warn", str(exc), "pip install 'famulus[voice]'")
    missing = [str(p) for p in (folder / "model.bin", voice) if not p.exists()]
    if missing:
        return Check("voice models", "warn", f"not found: {', '.join(missing)}",
                     "set voice.stt_model / voice.tts_voice")
    return Check("voice models", "ok", f"speech-to-text {folder.name}, voice {voice.stem}")


def _display() -> Check:
    shown = os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY")
    has_qt = importlib.util.find_spec("PySide6") is not None
    if shown and has_qt:
        return Check("display", "ok", f"display {shown}: the desktop window opens")
    why = "no display" if not shown else "PySide6 is not installed"
    return Check("display", "warn", f"{why}: famulus starts the terminal chat",
                 "" if not shown else "pip install 'famulus[desktop]'")


def _data_dir(profile: Profile) -> Check:
    folder = profile.paths.data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return Check("data dir", "fail", f"{folder} is not writable ({exc})",
                     "fix its permissions or choose another with --data-dir")
    return Check("data dir", "ok", str(folder))


def _memory(profile: Profile) -> Check:
    """Memory: set up or not, the graph engine installed, a RAM folder for unlocking."""
    import importlib.util

    from memory.ramdir import ram_base

    engine = profile.settings.memory.graph_engine
    if importlib.util.find_spec(engine) is None:  # found, not imported: engines clash
        return Check("memory", "fail", f"the graph engine {engine} is not installed",
                     f"pip install {engine}, or set memory.graph_engine")
    base = ram_base()
    if base is None:
        return Check("memory", "warn", "no RAM folder ($XDG_RUNTIME_DIR, /dev/shm): memory "
                     "cannot be unlocked", "set FAMULUS_RAM_DIR to a tmpfs folder")
    vault = profile.paths.data_dir / "memory" / "vault.json"
    if not vault.exists():
        return Check("memory", "warn", "not set up yet", "famulus memory init")
    return Check("memory", "ok", f"encrypted, graph engine {engine}, unlocked copies in "
                 f"{base}")


def _tools(profile: Profile) -> Check:
    """Tools: the autonomy level, the granted folders, and the sandbox working."""
    from tools import sandbox
    from tools.errors import ToolError

    level = profile.settings.tools.autonomy_level
    folders = len(profile.settings.tools.allowed_paths)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            ran = sandbox.run(["/bin/true"], Path(scratch), timeout_s=10)
        if ran.returncode != 0:
            raise ToolError(ran.stderr.strip() or f"exit {ran.returncode}")
    except ToolError as exc:
        return Check("tools", "warn", f"autonomy level {level}; the sandbox does not work: "
                     f"{exc}", "sudo apt install bubblewrap (see docs/tools.md#sandbox)")
    return Check("tools", "ok", f"autonomy level {level}, {folders} granted folder(s), "
                 "bubblewrap sandbox works")


def run(profile: Profile) -> dict[str, Any]:
    """All checks, the hardware, and whether everything needed works."""
    info = hardware.probe()
    steps: list[Callable[[], list[Check] | Check]] = [
        lambda: _hardware(info), lambda: _llama(info), lambda: _chat_model(profile),
        lambda: _model_list(profile), lambda: _cloud(profile), _audio,
        lambda: _voice_models(profile), _display,
        lambda: _data_dir(profile), lambda: _memory(profile), lambda: _tools(profile),
    ]
    checks: list[Check] = []
    for step in steps:
        found = step()
        checks.extend(found if isinstance(found, list) else [found])
    return {
        "ok": all(c.status != "fail" for c in checks),
        "checks": [c.to_dict() for c in checks],
        "hardware": info.to_dict(),
        "paths": profile.paths.to_dict(),
        "user_models": [str(p) for p in user_gguf_files(profile.settings.models.paths)],
    }
