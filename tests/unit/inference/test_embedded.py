from pathlib import Path

import pytest

from inference import embedded
from inference.errors import ChecksumMismatch, ModelNotInstalled


def _part(tmp_path: Path, name: str, data: bytes, size: int | None = None,
          digest: str | None = None) -> embedded.Part:
    path = tmp_path / f"{name}.bin"
    path.write_bytes(data)
    return embedded.Part(name, path, len(data) if size is None else size, digest)


def test_join_names_a_truncated_part(tmp_path: Path) -> None:
    parts = [_part(tmp_path, "pkg-part1", b"abc"), _part(tmp_path, "pkg-part2", b"de", size=5)]
    with pytest.raises(ChecksumMismatch, match=r"pkg-part2 is truncated.*--force-reinstall"):
        embedded._join(parts, tmp_path / "out", None)


def test_join_names_a_corrupt_part(tmp_path: Path) -> None:
    parts = [_part(tmp_path, "pkg-part1", b"abc", digest="0" * 64)]
    with pytest.raises(ChecksumMismatch, match="pkg-part1 is corrupt"):
        embedded._join(parts, tmp_path / "out", None)


def test_join_reports_progress(tmp_path: Path) -> None:
    parts = [_part(tmp_path, "a", b"x" * 10), _part(tmp_path, "b", b"y" * 5)]
    seen: list[tuple[int, int]] = []
    embedded._join(parts, tmp_path / "out", lambda done, total: seen.append((done, total)))
    assert seen[-1] == (15, 15)
    assert (tmp_path / "out").read_bytes() == b"x" * 10 + b"y" * 5


def test_missing_packages_say_how_to_install() -> None:
    model = embedded.EmbeddedModel("nope", "Nope 1B", "nope.gguf",
                                   ("famulus-no-such-package-1",), "0" * 64, "nope-model")
    with pytest.raises(ModelNotInstalled, match=r"famulus-no-such-package-1 missing.*famulus\["):
        embedded.ensure_joined(model, Path("/nonexistent"))
