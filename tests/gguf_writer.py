"""Writes small GGUF files for tests: valid headers, with or without tensors."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any


def _string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def _value(value: Any) -> tuple[int, bytes]:
    if isinstance(value, bool):
        return 7, struct.pack("<?", value)
    if isinstance(value, int):
        return 4, struct.pack("<I", value)
    if isinstance(value, float):
        return 6, struct.pack("<f", value)
    if isinstance(value, str):
        return 8, _string(value)
    if isinstance(value, list):
        kind, _ = _value(value[0])
        items = b"".join(_value(v)[1] for v in value)
        return 9, struct.pack("<IQ", kind, len(value)) + items
    raise TypeError(value)


def write(path: Path, metadata: dict[str, Any], tensors: list[tuple[str, tuple[int, ...]]],
          truncate_data: int = 0) -> Path:
    """A GGUF v3 file with F32 `tensors` (name, shape) of zeros."""
    header = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata))
    for key, value in metadata.items():
        kind, data = _value(value)
        header += _string(key) + struct.pack("<I", kind) + data
    offset, blobs = 0, []
    for name, shape in tensors:
        size = 4
        for dim in shape:
            size *= dim
        header += _string(name) + struct.pack("<I", len(shape))
        header += b"".join(struct.pack("<Q", d) for d in shape)
        header += struct.pack("<IQ", 0, offset)
        padded = -(-size // 32) * 32
        blobs.append(b"\0" * padded)
        offset += padded
    header += b"\0" * (-len(header) % 32)
    data = b"".join(blobs)
    if truncate_data:
        data = data[:-truncate_data]
    path.write_bytes(header + data)
    return path


def tiny_model(path: Path, blocks: int = 2, truncate_data: int = 0) -> Path:
    """A structurally valid (but useless) llama-style model header with `blocks` layers."""
    metadata = {"general.architecture": "llama", "general.name": "tiny", "general.file_type": 0,
                "llama.block_count": blocks, "llama.context_length": 256,
                "llama.embedding_length": 8, "llama.attention.head_count": 2,
                "llama.attention.head_count_kv": 1}
    tensors = [("token_embd.weight", (8, 16))]
    for block in range(blocks):
        tensors += [(f"blk.{block}.attn_q.weight", (8, 8)), (f"blk.{block}.ffn_up.weight", (8, 8))]
    tensors.append(("output_norm.weight", (8,)))
    return write(path, metadata, tensors, truncate_data)
