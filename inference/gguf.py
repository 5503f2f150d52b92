"""A small reader of GGUF headers: architecture, layers, context, quantisation, tensor sizes.

Enough to list models, size GPU offload and refuse a file that is truncated or not a model,
without loading the weights.
"""

from __future__ import annotations

import itertools
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from inference.errors import ModelFileError

_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
            10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9

# llama.cpp's LLAMA_FTYPE values, named as people know them.
FILE_TYPES = {0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1",
              10: "Q2_K", 11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M",
              16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S",
              22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M",
              28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0",
              37: "TQ2_0"}

# ggml tensor types: (bytes per block, values per block), for the truncation check.
_TENSOR_BLOCKS = {0: (4, 1), 1: (2, 1), 2: (18, 32), 3: (20, 32), 6: (22, 32), 7: (24, 32),
                  8: (34, 32), 9: (36, 32), 10: (84, 256), 11: (110, 256), 12: (144, 256),
                  13: (176, 256), 14: (210, 256), 15: (292, 256), 24: (1, 1), 25: (2, 1),
                  26: (4, 1), 27: (8, 1), 28: (8, 1), 30: (2, 1)}

# Arrays we only need to skip (the vocabulary): read their items without keeping them.
_SKIPPED_ARRAYS = ("tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.scores",
                   "tokenizer.ggml.token_type")


@dataclass
class TensorInfo:
    name: str
    shape: tuple[int, ...]
    type: int
    offset: int
    size: int = 0


@dataclass
class GgufInfo:
    """What a GGUF file's header says about the model in it."""

    path: Path
    version: int
    metadata: dict[str, Any]
    tensors: list[TensorInfo] = field(default_factory=list)
    file_size: int = 0

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", ""))

    def _arch(self, key: str, default: Any = None) -> Any:
        return self.metadata.get(f"{self.architecture}.{key}", default)

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name") or self.path.stem)

    @property
    def block_count(self) -> int:
        return int(self._arch("block_count", 0))

    @property
    def context_length(self) -> int:
        return int(self._arch("context_length", 0))

    @property
    def quantization(self) -> str:
        ftype = self.metadata.get("general.file_type")
        return FILE_TYPES.get(ftype, f"type {ftype}") if ftype is not None else "unknown"

    @property
    def chat_template(self) -> str | None:
        return self.metadata.get("tokenizer.chat_template")

    def kv_bytes_per_token_per_layer(self) -> int:
        """Bytes of f16 KV cache one token takes in one layer (keys and values)."""
        heads = int(self._arch("attention.head_count", 1)) or 1
        kv_heads = int(self._arch("attention.head_count_kv", heads)) or heads
        embedding = int(self._arch("embedding_length", 0))
        key_len = int(self._arch("attention.key_length", embedding // heads))
        value_len = int(self._arch("attention.value_length", embedding // heads))
        return kv_heads * (key_len + value_len) * 2

    def layer_bytes(self) -> list[int]:
        """Bytes of weights in each repeating block (`blk.N.*`)."""
        sizes = [0] * self.block_count
        for tensor in self.tensors:
            parts = tensor.name.split(".")
            if parts[0] == "blk" and parts[1].isdigit() and int(parts[1]) < len(sizes):
                sizes[int(parts[1])] += tensor.size
        return sizes

    def other_bytes(self) -> int:
        """Bytes of weights outside the blocks (embeddings, output head, final norm)."""
        return sum(t.size for t in self.tensors if not t.name.startswith("blk."))


class _Reader:
    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle

    def unpack(self, fmt: str) -> Any:
        size = struct.calcsize(fmt)
        data = self.handle.read(size)
        if len(data) != size:
            raise EOFError
        return struct.unpack(fmt, data)[0]

    def string(self, keep: bool = True) -> str:
        length = self.unpack("<Q")
        if length > 1 << 30:
            raise ValueError("string length out of range")
        if not keep:
            self.handle.seek(length, 1)
            return ""
        data = self.handle.read(length)
        if len(data) != length:
            raise EOFError
        return data.decode("utf-8", errors="replace")

    def value(self, kind: int, keep: bool = True) -> Any:
        if kind in _SCALARS:
            return self.unpack(_SCALARS[kind])
        if kind == _STRING:
            return self.string(keep)
        if kind == _ARRAY:
            item_kind, count = self.unpack("<I"), self.unpack("<Q")
            if not keep and item_kind in _SCALARS:
                self.handle.seek(struct.calcsize(_SCALARS[item_kind]) * count, 1)
                return None
            items = [self.value(item_kind, keep) for _ in range(count)]
            return items if keep else None
        raise ValueError(f"unknown GGUF value type {kind}")


def _tensor_bytes(tensor: TensorInfo) -> int | None:
    block = _TENSOR_BLOCKS.get(tensor.type)
    if block is None:
        return None
    count = 1
    for dim in tensor.shape:
        count *= dim
    return count * block[0] // block[1]


def read(path: str | Path) -> GgufInfo:
    """Read a GGUF file's header, or raise ModelFileError saying what is wrong with it."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"model file not found: {path}")
    try:
        with path.open("rb") as handle:
            info = _read_header(_Reader(handle), path)
    except EOFError:
        raise ModelFileError(f"{path} is truncated: its GGUF header ends early") from None
    except (ValueError, struct.error, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{path} is not a valid GGUF file ({exc})") from None
    _check_model(info)
    return info


def _read_header(reader: _Reader, path: Path) -> GgufInfo:
    if reader.handle.read(4) != b"GGUF":
        raise ValueError("it does not start with the GGUF magic bytes")
    version = reader.unpack("<I")
    if version not in (2, 3):
        raise ValueError(f"GGUF version {version} is not supported")
    tensor_count, kv_count = reader.unpack("<Q"), reader.unpack("<Q")
    metadata: dict[str, Any] = {}
    for _ in range(kv_count):
        key = reader.string()
        kind = reader.unpack("<I")
        keep = key not in _SKIPPED_ARRAYS
        value = reader.value(kind, keep)
        if keep:
            metadata[key] = value
    tensors = []
    for _ in range(tensor_count):
        name = reader.string()
        dims = reader.unpack("<I")
        if dims > 8:
            raise ValueError(f"tensor {name} has {dims} dimensions")
        shape = tuple(reader.unpack("<Q") for _ in range(dims))
        tensors.append(TensorInfo(name, shape, reader.unpack("<I"), reader.unpack("<Q")))
    alignment = int(metadata.get("general.alignment", 32))
    header_end = reader.handle.tell()
    data_start = -(-header_end // alignment) * alignment
    file_size = path.stat().st_size
    _size_tensors(tensors, data_start, file_size, path)
    return GgufInfo(path, version, metadata, tensors, file_size)


def _size_tensors(tensors: list[TensorInfo], data_start: int, file_size: int, path: Path) -> None:
    ordered = sorted(tensors, key=lambda t: t.offset)
    for current, following in itertools.pairwise(ordered):
        current.size = following.offset - current.offset
    if not ordered:
        return
    last = ordered[-1]
    expected = _tensor_bytes(last)
    end = data_start + last.offset + (expected or 1)
    if end > file_size:
        raise ModelFileError(
            f"{path} is truncated: {file_size:,} bytes, but its tensors need {end:,}"
        )
    last.size = file_size - data_start - last.offset


def _check_model(info: GgufInfo) -> None:
    if not info.tensors:
        raise ModelFileError(f"{info.path} is a GGUF file with no weights: not a model")
    if not info.architecture or info.block_count <= 0:
        raise ModelFileError(
            f"{info.path} is a GGUF file but not a language model (no architecture or layers)"
        )
