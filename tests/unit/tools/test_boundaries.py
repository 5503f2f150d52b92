"""Boundaries: granted folders are a hard limit; hosts and recipients are allowlists."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tools.boundaries import Boundaries
from tools.errors import PermissionDenied, ToolInputError


@pytest.fixture
def granted(tmp_path: Path) -> Boundaries:
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "secret.txt").write_text("secret")
    return Boundaries((tmp_path / "in",))


def test_paths_inside_resolve(granted: Boundaries) -> None:
    root = granted.roots[0]
    assert granted.resolve("a/b.txt") == Path(os.path.realpath(root)) / "a" / "b.txt"
    assert granted.resolve(str(root / "c.txt")).name == "c.txt"


def test_a_granted_folder_is_found_by_its_name(tmp_path: Path) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "documents").mkdir()  # a real path wins over the name
    granted = Boundaries((docs,))
    real = Path(os.path.realpath(docs))
    for text in ("Documents", "~/Documents", "/home/someone/documents"):
        assert granted.resolve(text) == real, text
    assert granted.resolve("documents") == real / "documents"
    assert granted.resolve("~/Documents/todo.txt") == real / "todo.txt"


@pytest.mark.parametrize("text", ["../out/secret.txt", "a/../../out/secret.txt", "..",
                                  "/etc/passwd", "~/.ssh/id_rsa"])
def test_escapes_are_refused(granted: Boundaries, text: str) -> None:
    with pytest.raises(PermissionDenied):
        granted.resolve(text)


def test_symlinks_that_lead_out_are_refused(granted: Boundaries) -> None:
    root = granted.roots[0]
    (root / "link").symlink_to(root.parent / "out")
    (root / "file-link").symlink_to(root.parent / "out" / "secret.txt")
    for text in ("link/secret.txt", "file-link", str(root / "link")):
        with pytest.raises(PermissionDenied, match="leads out"):
            granted.resolve(text)


def test_bad_path_values(granted: Boundaries) -> None:
    for text in ("", "  ", "a\x00b"):
        with pytest.raises(ToolInputError):
            granted.resolve(text)
    with pytest.raises(PermissionDenied, match="no folders"):
        Boundaries().resolve("a.txt")


def test_hosts_and_recipients() -> None:
    b = Boundaries((), ("example.com", "*.wiki.org"), ("bob@example.com", "@family.net"))
    assert b.host_allowed("https://example.com/x")
    assert b.host_allowed("http://en.wiki.org/")
    assert not b.host_allowed("https://example.com.evil.net/")
    assert not b.host_allowed("https://wiki.org.evil/")
    assert b.recipient_allowed("Bob@Example.com")
    assert b.recipient_allowed("mum@family.net")
    assert not b.recipient_allowed("eve@evil.example")
    with pytest.raises(ToolInputError):
        b.host_allowed("ftp://example.com/")


def test_a_windows_path_means_the_same_file(tmp_path: Path) -> None:
    docs = tmp_path / "Documents"
    docs.mkdir()
    assert Boundaries((docs,)).resolve("Documents\\plan.txt") == \
        Path(os.path.realpath(docs)) / "plan.txt"
