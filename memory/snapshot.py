"""Snapshots: a folder of derived stores sealed into one AES-256-GCM file, and back.

Layout: magic, a JSON header (authenticated, not secret: which log and event it covers),
then the folder as a tar stream in 4 MiB chunks, each sealed with its index and a final
flag in its associated data, so a reordered, dropped or truncated chunk is detected.
Unsealing checks every chunk; nothing of a damaged snapshot is left in place.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
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


class _ChunkReader(io.RawIOBase):
    """A read-only stream that opens sealed chunks as they are needed."""

    def __init__(self, src: BinaryIO, path: Path, key: bytes, digest: bytes) -> None:
        self.src, self.path, self.key, self.digest = src, path, key, digest
        self.buffer, self.index, self.final = b"", 0, False

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self.buffer and not self.final:
            self.buffer = self._next_chunk()
        size = min(len(target), len(self.buffer))
        target[:size] = self.buffer[:size]
        self.buffer = self.buffer[size:]
        return size

    def _next_chunk(self) -> bytes:
        prefix = self.src.read(4)
        if len(prefix) < 4:
            raise CorruptFile(f"the snapshot {self.path} is truncated")
        (size,) = struct.unpack(">I", prefix)
        blob = self.src.read(size)
        chunk = crypto.try_open(self.key, blob, _aad(self.digest, self.index, False))
        if chunk is None:
            chunk = crypto.try_open(self.key, blob, _aad(self.digest, self.index, True))
            self.final = True
        if chunk is None:
            raise CorruptFile(f"the snapshot {self.path} fails its integrity check")
        self.index += 1
        return chunk

    def finish(self) -> None:
        """Check that the stream ended where the last chunk says it does."""
        while not self.final:
            self._next_chunk()
        if self.src.read(1):
            raise CorruptFile(f"the snapshot {self.path} has data after its end")


def unseal_folder(path: Path, dest: Path, key: bytes) -> dict[str, Any]:
    """Check and extract a snapshot into `dest`; returns its header.

    Chunks are opened as the tar stream needs them, into a temporary folder that takes
    `dest`'s place only once the last chunk has been checked: a damaged snapshot leaves
    nothing behind.
    """
    staging = dest.with_name(f".{dest.name}.unsealing")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True, mode=0o700)
    try:
        with path.open("rb") as src:
            header, digest = _header(src, path)
            reader = _ChunkReader(src, path, key, digest)
            try:
                with tarfile.open(fileobj=io.BufferedReader(reader, CHUNK), mode="r|") as tar:
                    tar.extractall(staging, filter="data")
            except tarfile.TarError as exc:
                raise CorruptFile(f"the snapshot {path} does not hold a valid archive") \
                    from exc
            reader.finish()
        shutil.rmtree(dest, ignore_errors=True)
        staging.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return header
