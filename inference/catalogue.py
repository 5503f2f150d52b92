"""The model catalogue: the embedded models and the user's GGUF files, with their facts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from inference import embedded, gguf
from inference.embedded import Progress
from inference.errors import InvalidRequest, ModelFileError


@dataclass
class ModelEntry:
    """One model Famulus can use, as `famulus models list` shows it."""

    name: str
    kind: str  # "chat" or "embedding"
    source: str  # "embedded" or "user"
    path: str | None
    size_bytes: int | None
    quantization: str | None
    context_length: int | None
    checksum: str  # verified, not joined yet, not installed, mismatch, unverified, invalid
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _describe_gguf(entry: ModelEntry, path: Path) -> ModelEntry:
    try:
        info = gguf.read(path)
    except ModelFileError as exc:
        entry.checksum, entry.detail = "invalid", str(exc)
        return entry
    entry.size_bytes, entry.quantization = info.file_size, info.quantization
    entry.context_length, entry.detail = info.context_length, info.name
    return entry


def embedded_entry(model: embedded.EmbeddedModel, models_dir: Path) -> ModelEntry:
    entry = ModelEntry(model.key, "chat", "embedded", None, None, None, None, "not installed",
                       model.title)
    joined = embedded.verified_path(model, models_dir)
    if joined:
        entry.path, entry.checksum = str(joined), "verified"
        return _describe_gguf(entry, joined)
    try:
        parts = embedded.locate_parts(model)
    except ModelFileError as exc:
        entry.detail = str(exc)
        return entry
    entry.checksum = "not joined yet"
    entry.size_bytes = sum(p.size or p.path.stat().st_size for p in parts)
    entry.detail = f"{model.title}; joined into {models_dir} on first use"
    return entry


def user_gguf_files(paths: Sequence[str]) -> list[Path]:
    """The GGUF files named in `paths`, folders searched one level deep."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found.extend(sorted(path.glob("*.gguf")) + sorted(path.glob("*/*.gguf")))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def list_models(models_dir: Path, extra_paths: Sequence[str] = ()) -> list[ModelEntry]:
    """Every model found: the embedded ones, the user's GGUF files, the embedding model."""
    entries = [embedded_entry(m, models_dir) for m in embedded.EMBEDDED.values()]
    for path in user_gguf_files(extra_paths):
        entry = ModelEntry(path.name, "chat", "user", str(path), None, None, None, "unverified")
        entries.append(_describe_gguf(entry, path) if path.exists() else _missing(entry))
    entries.append(_embedding_entry())
    return entries


def _missing(entry: ModelEntry) -> ModelEntry:
    entry.checksum, entry.detail = "invalid", f"model file not found: {entry.path}"
    return entry


def _embedding_entry() -> ModelEntry:
    entry = ModelEntry("all-MiniLM-L6-v2", "embedding", "embedded", None, None, None, 256,
                       "not installed")
    try:
        folder = embedded.embedding_model_dir()
    except ModelFileError as exc:
        entry.detail = str(exc)
        return entry
    entry.path, entry.checksum = str(folder), "verified"
    entry.size_bytes = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    entry.quantization, entry.detail = "F32", "sentence-transformers, 384 dimensions"
    return entry


def resolve_chat_model(choice: str, models_dir: Path, progress: Progress | None = None) -> Path:
    """The GGUF path for 'default', 'light' or a file path, joining an embedded one if needed."""
    if choice in embedded.EMBEDDED:
        return embedded.ensure_joined(embedded.EMBEDDED[choice], models_dir, progress)
    path = Path(choice).expanduser()
    if not path.suffix and not path.exists():
        names = ", ".join(embedded.EMBEDDED)
        raise InvalidRequest(f"unknown model {choice!r}: use {names} or the path of a GGUF file")
    gguf.read(path)  # a clear error now beats a crash inside llama.cpp
    return path
