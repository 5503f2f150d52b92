"""Shared test set-up: headless Qt, a private Famulus home per test, the light model."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Every test process shares one joined copy of the embedded models.
os.environ.setdefault("FAMULUS_CACHE_DIR", str(ROOT / ".cache"))
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture
def famulus_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh FAMULUS_HOME, with no FAMULUS_* setting leaking in from outside."""
    for name in list(os.environ):
        if name.startswith("FAMULUS_") and name not in ("FAMULUS_CACHE_DIR", "FAMULUS_RAM_DIR"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    monkeypatch.setenv("FAMULUS_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def private_ram(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Unlocked memory of each test in its own RAM folder, removed afterwards."""
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    folder = Path(tempfile.mkdtemp(prefix="famulus-test-", dir=base))
    monkeypatch.setenv("FAMULUS_RAM_DIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def light_model() -> Path:
    """The embedded light model, joined (once) into the shared cache."""
    from inference import embedded

    return embedded.ensure_joined(embedded.LIGHT, Path(os.environ["FAMULUS_CACHE_DIR"]) / "models")
