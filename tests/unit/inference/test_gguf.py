from pathlib import Path

import pytest

from inference import gguf
from inference.errors import ModelFileError
from tests import gguf_writer


def test_reads_architecture_layers_context_and_quantisation(tmp_path: Path) -> None:
    info = gguf.read(gguf_writer.tiny_model(tmp_path / "m.gguf", blocks=3))
    assert (info.architecture, info.block_count, info.context_length) == ("llama", 3, 256)
    assert info.quantization == "F32"
    assert info.layer_bytes() == [512, 512, 512]
    assert info.other_bytes() == 8 * 16 * 4 + 32
    # one KV head of 4 dims for keys and 4 for values, f16
    assert info.kv_bytes_per_token_per_layer() == 1 * (4 + 4) * 2


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="not found"):
        gguf.read(tmp_path / "absent.gguf")


def test_not_a_gguf_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.gguf"
    path.write_text("just some text, not a model")
    with pytest.raises(ModelFileError, match="not a valid GGUF"):
        gguf.read(path)


def test_truncated_header(tmp_path: Path) -> None:
    whole = gguf_writer.tiny_model(tmp_path / "m.gguf").read_bytes()
    path = tmp_path / "cut.gguf"
    path.write_bytes(whole[:100])
    with pytest.raises(ModelFileError, match="truncated"):
        gguf.read(path)


def test_truncated_weights(tmp_path: Path) -> None:
    path = gguf_writer.tiny_model(tmp_path / "m.gguf", truncate_data=40)
    with pytest.raises(ModelFileError, match="truncated"):
        gguf.read(path)


def test_gguf_without_weights_is_not_a_model(tmp_path: Path) -> None:
    path = gguf_writer.write(tmp_path / "vocab.gguf", {"general.architecture": "llama"}, [])
    with pytest.raises(ModelFileError, match="no weights"):
        gguf.read(path)


def test_gguf_without_layers_is_not_a_language_model(tmp_path: Path) -> None:
    path = gguf_writer.write(tmp_path / "x.gguf", {"general.name": "x"}, [("w", (4,))])
    with pytest.raises(ModelFileError, match="not a language model"):
        gguf.read(path)
