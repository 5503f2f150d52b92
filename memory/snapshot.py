"""Snapshots: a folder of derived stores sealed into one AES-256-GCM file, and back.

Layout: magic, a JSON header (authenticated, not secret: which log and event it covers),
then the folder as a tar stream in 4 MiB chunks, each sealed with its index and a final
flag in its associated data, so a reordered, dropped or truncated chunk is detected.
Unsealing checks every chunk before anything is extracted.
"""

from __future__ import annotations

import hashlib
import io
import json
import struct
import tarfile
from pathlib import Path
from typing import Any, BinaryIO

from memory import crypto
from memory.errors import CorruptFile
from memory.files import atomic_writer

MAGIC = b"FAMSNAP1"
CHUNK = 4 << 20


def _aad(header_digest: bytes, index: int, final: bool) -> bytes:
    return header_digest + struct.pack(">Q?", index, final)


class _ChunkWriter(io.RawIOBase):
    """A write-only stream that seals what it is given, chunk by chunk."""

    def __init__(self, out: BinaryIO, key: bytes, digest: bytes) -> None:
        self.out, self.key, self.digest = out, key, digest
        self.buffer, self.index = bytearray(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._emit(bytes(self.buffer[:CHUNK]), final=False)
            del self.buffer[:CHUNK]
        return len(data)

    def finish(self) -> None:
        self._emit(bytes(self.buffer), final=True)

    def _emit(self, chunk: bytes, final: bool) -> None:
        blob = crypto.seal(self.key, chunk, _aad(self.digest, self.index, final))
        self.out.write(struct.pack(">I", len(blob)) + blob)
        self.index += 1


def seal_folder(folder: Path, dest: Path, key: bytes, header: dict[str, Any]) -> None:
    """Write `folder` sealed into `dest` atomically (temporary file, sync, rename)."""
    header_bytes = json.dumps(header, sort_keys=True).encode()
    digest = hashlib.sha256(MAGIC + header_bytes).digest()
    with atomic_writer(dest) as out:
        out.write(MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes)
        writer = _ChunkWriter(out, key, digest)
        with tarfile.open(fileobj=writer, mode="w|") as tar:
            tar.add(folder, arcname=".")
        writer.finish()


def read_header(path: Path) -> dict[str, Any]:
    """The header alone (unauthenticated until `unseal_folder` checks the chunks)."""
    with path.open("rb") as src:
        return _header(src, path)[0]


def _header(src: BinaryIO, path: Path) -> tuple[dict[str, Any], bytes]:
    if src.read(len(MAGIC)) != MAGIC:
        raise CorruptFile(f"{path} is not a Famulus snapshot")
    try:
        (size,) = struct.unpack(">I", src.read(4))
        raw = src.read(size)
        header = json.loads(raw)
    except (struct.error, ValueError) as exc:
        raise CorruptFile(f"the snapshot {path} has a damaged header") from exc
    return header, hashlib.sha256(MAGIC + raw).digest()


def unseal_folder(path: Path, dest: Path, key: bytes) -> dict[str, Any]:
    """Check and extract a snapshot into `dest`; returns its header."""
    plain = io.BytesIO()
    with path.open("rb") as src:
        header, digest = _header(src, path)
        index, final = 0, False
        while not final:
            prefix = src.read(4)
            if len(prefix) < 4:
                raise CorruptFile(f"the snapshot {path} is truncated")
            (size,) = struct.unpack(">I", prefix)
            blob = src.read(size)
            chunk = crypto.try_open(key, blob, _aad(digest, index, False))
            if chunk is None:
                chunk = crypto.try_open(key, blob, _aad(digest, index, True))
                final = True
            if chunk is None:
                raise CorruptFile(f"the snapshot {path} fails its integrity check")
            plain.write(chunk)
            index += 1
        if src.read(1):
            raise CorruptFile(f"the snapshot {path} has data after its end")
    plain.seek(0)
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tarfile.open(fileobj=plain, mode="r:") as tar:
        tar.extractall(dest, filter="data")
    return header
