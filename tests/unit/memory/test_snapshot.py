from pathlib import Path

import pytest

from memory import snapshot
from memory.crypto import new_key
from memory.errors import CorruptFile


def make_folder(root: Path) -> Path:
    folder = root / "src"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("secret words")
    (folder / "sub" / "big.bin").write_bytes(bytes(range(256)) * 40000)  # > 2 chunks
    return folder


def test_a_sealed_folder_comes_back_identical(tmp_path: Path) -> None:
    key, folder = new_key(), make_folder(tmp_path)
    snapshot.seal_folder(folder, tmp_path / "s.snap", key, {"seq": 7})
    assert b"secret words" not in (tmp_path / "s.snap").read_bytes()
    header = snapshot.unseal_folder(tmp_path / "s.snap", tmp_path / "out", key)
    assert header == {"seq": 7}
    assert (tmp_path / "out" / "a.txt").read_text() == "secret words"
    assert (tmp_path / "out" / "sub" / "big.bin").read_bytes() == \
        (folder / "sub" / "big.bin").read_bytes()


@pytest.mark.parametrize("damage", ["flip", "truncate", "header", "append"])
def test_any_damage_is_detected_before_extraction(tmp_path: Path, damage: str) -> None:
    key, folder = new_key(), make_folder(tmp_path)
    path = tmp_path / "s.snap"
    snapshot.seal_folder(folder, path, key, {"seq": 7})
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 1
    elif damage == "truncate":
        data = data[: len(data) - 100]
    elif damage == "header":
        data = data.replace(b'"seq": 7', b'"seq": 9')
    else:
        data += b"x"
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptFile):
        snapshot.unseal_folder(path, tmp_path / "out", key)
    assert not (tmp_path / "out" / "a.txt").exists()


def test_another_key_cannot_open_it(tmp_path: Path) -> None:
    snapshot.seal_folder(make_folder(tmp_path), tmp_path / "s.snap", new_key(), {})
    with pytest.raises(CorruptFile):
        snapshot.unseal_folder(tmp_path / "s.snap", tmp_path / "out", new_key())
