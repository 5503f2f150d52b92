"""llama.cpp's AMX weight repacking crashes the process on some Sapphire Rapids machines
(a segmentation fault in the first evaluation: ggml-org/llama.cpp#20824, closed without
a fix). A llama-cpp-python built on such a machine turns it on by itself (-march=native),
so on a CPU with AMX every model is loaded without extra buffer types: the weights stay in
ordinary CPU buffers, and the AVX-512 kernels do the work."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def has_amx(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether this CPU has AMX (Linux reports amx_int8 among the flags)."""
    try:
        with cpuinfo.open() as lines:
            return any(line.startswith("flags") and " amx_int8" in line for line in lines)
    except OSError:
        return False


@functools.cache
def avoid_amx_repack() -> bool:
    """On a CPU with AMX, make every llama.cpp model load without extra buffer types (the
    AMX repack). Once per process; True when it applied."""
    if not has_amx():
        return False
    import llama_cpp.llama_cpp as native

    default_params = native.llama_model_default_params
    if getattr(default_params, "famulus_no_amx", False):
        return True

    def without_extra_buffers() -> Any:
        params = default_params()
        params.use_extra_bufts = False
        return params

    without_extra_buffers.famulus_no_amx = True  # type: ignore[attr-defined]
    native.llama_model_default_params = without_extra_buffers
    log.info("AMX CPU: llama.cpp models load without the AMX repack (llama.cpp#20824)")
    return True
