"""On a CPU with AMX, llama.cpp models load without the repack that crashes there."""

from __future__ import annotations

from pathlib import Path

from inference.amx import has_amx


def test_amx_is_read_from_the_cpu_flags(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512f amx_bf16 amx_int8 amx_tile\n")
    assert has_amx(cpuinfo)
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512f\n")
    assert not has_amx(cpuinfo)
    assert not has_amx(tmp_path / "missing")
