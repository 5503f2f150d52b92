"""A hardware probe: NVIDIA GPUs and their free memory, CPU cores, RAM.

The GPU probe asks NVML (the driver's own library, present wherever the NVIDIA driver is)
and falls back to `nvidia-smi`; neither needs the CUDA toolkit.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Gpu:
    """One NVIDIA GPU: its name and memory in bytes."""

    index: int
    name: str
    total_bytes: int
    free_bytes: int


@dataclass(frozen=True)
class Hardware:
    """What this machine offers the models."""

    logical_cpus: int
    physical_cores: int
    ram_total_bytes: int
    ram_available_bytes: int
    gpus: tuple[Gpu, ...] = field(default_factory=tuple)
    gpu_probe: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class _NvmlMemory(ctypes.Structure):
    _fields_ = [("total", ctypes.c_ulonglong), ("free", ctypes.c_ulonglong),
                ("used", ctypes.c_ulonglong)]


def _nvml_gpus() -> tuple[Gpu, ...]:
    nvml = ctypes.CDLL("libnvidia-ml.so.1")
    if nvml.nvmlInit_v2() != 0:
        raise OSError("nvmlInit failed")
    try:
        count = ctypes.c_uint()
        nvml.nvmlDeviceGetCount_v2(ctypes.byref(count))
        gpus = []
        for index in range(count.value):
            handle = ctypes.c_void_p()
            nvml.nvmlDeviceGetHandleByIndex_v2(index, ctypes.byref(handle))
            name = ctypes.create_string_buffer(96)
            nvml.nvmlDeviceGetName(handle, name, 96)
            memory = _NvmlMemory()
            nvml.nvmlDeviceGetMemoryInfo(handle, ctypes.byref(memory))
            gpus.append(Gpu(index, name.value.decode(errors="replace"), memory.total,
                            memory.free))
        return tuple(gpus)
    finally:
        nvml.nvmlShutdown()


def _smi_gpus() -> tuple[Gpu, ...]:
    smi = shutil.which("nvidia-smi")
    if not smi:
        raise OSError("nvidia-smi not found")
    out = subprocess.run(
        [smi, "--query-gpu=index,name,memory.total,memory.free", "--format=csv,noheader,nounits"],
        capture_output=True, text=True, timeout=10, check=True,
    ).stdout
    gpus = []
    for line in out.strip().splitlines():
        index, name, total, free = (part.strip() for part in line.split(","))
        gpus.append(Gpu(int(index), name, int(total) << 20, int(free) << 20))
    return tuple(gpus)


def probe_gpus() -> tuple[tuple[Gpu, ...], str]:
    """The NVIDIA GPUs found and how they were found (or why none was)."""
    reasons = []
    for probe, label in ((_nvml_gpus, "NVML"), (_smi_gpus, "nvidia-smi")):
        try:
            gpus = probe()
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            reasons.append(f"{label}: {exc}")
            continue
        if gpus:
            return gpus, label
        reasons.append(f"{label}: no GPU")
    return (), "no NVIDIA GPU found (" + "; ".join(reasons) + ")"


def _physical_cores() -> int:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return os.cpu_count() or 1
    cores, physical = set(), "0"
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "physical id":
            physical = value.strip()
        elif key == "core id":
            cores.add((physical, value.strip()))
    return len(cores) or os.cpu_count() or 1


def _memory() -> tuple[int, int]:
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            fields = dict(line.split(":", 1) for line in handle if ":" in line)
        total = int(fields["MemTotal"].split()[0]) * 1024
        available = int(fields.get("MemAvailable", fields["MemFree"]).split()[0]) * 1024
        return total, available
    except (OSError, KeyError, ValueError):
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        return pages * size, os.sysconf("SC_AVPHYS_PAGES") * size


def probe() -> Hardware:
    """Probe this machine."""
    gpus, how = probe_gpus()
    total, available = _memory()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return Hardware(usable or 1, min(_physical_cores(), usable or 1), total, available, gpus, how)
