"""The same graph adapter on Kùzu 0.11.3 and on Ladybug, each in its own process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def probe(*args: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-m", "tests.integration.memory.graph_probe",
                             *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env=os.environ.copy())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_switching_engines_rebuilds_the_graph_from_the_log(tmp_path: Path) -> None:
    root = str(tmp_path / "memory")
    assert probe("kuzu", root) == {"rebuilt": True, "engine": "kuzu", "facts": ["Oslo"]}
    assert probe("kuzu", root)["rebuilt"] is False  # unsealed from its snapshot
    assert probe("ladybug", root) == {"rebuilt": True, "engine": "ladybug",
                                      "facts": ["Oslo"]}
    assert probe("kuzu", root) == {"rebuilt": True, "engine": "kuzu", "facts": ["Oslo"]}


@pytest.mark.parametrize("engine", ["kuzu", "ladybug"])
def test_the_graph_adapter_behaves_the_same_on_both_engines(engine: str) -> None:
    out = probe(engine)
    assert out["counts"] == {"entity": 50, "fact": 2000, "episode": 10}
    assert len(out["about"]) == 80  # 40 as subject + 40 as object
    assert out["evidence"] and out["evidence"][0].startswith("ep")
    assert out["after_delete"] == {"entity": 50, "fact": 1999, "episode": 9}
    assert out["memory_facts"] == ["Oslo"]
    assert "cannot be loaded beside it" in out["mixing"]
