"""bubblewrap: how tools run programs and code.

The program sees a read-only system (/usr and the libraries), an empty /tmp, its own
scratch folder (read-write, the working directory), the granted paths it is given
(read-only unless asked), no network unless the tool has it, no other process, and none
of the person's files beyond those. It dies with Famulus.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tools.errors import Cancelled, SandboxUnavailable, ToolTimeout

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/opt")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
             "/etc/localtime", "/etc/ssl", "/etc/ca-certificates", "/etc/nsswitch.conf",
             "/etc/hosts", "/etc/resolv.conf", "/etc/mime.types")
INSTALL_HINT = "install it: sudo apt install bubblewrap"


@dataclass(frozen=True)
class SandboxResult:
    returncode: int
    stdout: str
    stderr: str


def bwrap_path() -> str:
    """The bwrap program, or SandboxUnavailable with how to install it."""
    found = shutil.which("bwrap")
    if not found:
        raise SandboxUnavailable(f"bubblewrap (bwrap) is not installed, and tools that run "
                                 f"programs need it: {INSTALL_HINT}")
    return found


def python_program() -> str:
    """The Python that runs code in the sandbox: this one, or in the packaged app (whose
    executable is Famulus itself) the system's python3, from the folders the sandbox
    shows."""
    if not getattr(sys, "frozen", False):
        return sys.executable
    found = shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin")
    if not found:
        raise SandboxUnavailable("running Python code needs python3 on this system: "
                                 "sudo apt install python3")
    return found


def python_dirs() -> list[Path]:
    """What a sandboxed Python needs: its installation (and this venv, for packages)."""
    dirs = {Path(sys.base_prefix), Path(sys.prefix)}
    return sorted(d for d in dirs if d.exists())


def bwrap_args(scratch: Path, read_paths: Sequence[Path] = (),
               write_paths: Sequence[Path] = (), network: bool = False,
               extra_ro: Sequence[Path] = ()) -> list[str]:
    """The bwrap command line (without the program) for one sandbox."""
    args = [bwrap_path(), "--unshare-all", "--die-with-parent", "--new-session",
            "--cap-drop", "ALL", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--dir", "/etc"]
    if network:
        args.append("--share-net")
    for d in SYSTEM_DIRS:
        if os.path.islink(d):
            args += ["--symlink", os.readlink(d), d]
        elif os.path.isdir(d):
            args += ["--ro-bind", d, d]
    for f in ETC_FILES:
        if os.path.exists(f):
            args += ["--ro-bind", f, f]
    bound: list[Path] = []
    for p in sorted({Path(os.path.abspath(p)) for p in [*python_dirs(), *extra_ro,
                                                          *read_paths]}):
        # a path inside one already visible (or inside the system dirs) needs no mount
        if not p.exists() or str(p).startswith(SYSTEM_DIRS) or \
                any(b == p or b in p.parents for b in bound):
            continue
        args += ["--ro-bind", str(p), str(p)]
        bound.append(p)
    for p in write_paths:
        args += ["--bind", str(p), str(p)]
    args += ["--bind", str(scratch), str(scratch), "--chdir", str(scratch),
             "--setenv", "HOME", str(scratch), "--setenv", "TMPDIR", "/tmp",
             "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin",
             "--unsetenv", "PYTHONPATH"]
    return args


def run(argv: Sequence[str], scratch: Path, *, read_paths: Sequence[Path] = (),
        write_paths: Sequence[Path] = (), network: bool = False, timeout_s: float = 30.0,
        stdin: str = "", cancel: threading.Event | None = None,
        max_output: int = 1 << 20) -> SandboxResult:
    """Run `argv` in a fresh sandbox; ToolTimeout/Cancelled kill it."""
    command = [*bwrap_args(scratch, read_paths, write_paths, network), "--", *argv]
    env = {"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True,
                            start_new_session=True)
    waiter = threading.Thread(target=lambda: _communicate(proc, stdin, out), daemon=True)
    out: dict[str, str] = {}
    waiter.start()
    deadline = time.monotonic() + timeout_s
    while waiter.is_alive():
        waiter.join(0.05)
        if cancel is not None and cancel.is_set():
            _kill(proc)
            raise Cancelled("the sandboxed program was stopped")
        if time.monotonic() > deadline and waiter.is_alive():
            _kill(proc)
            raise ToolTimeout(f"the sandboxed program ran longer than {timeout_s:g} s")
    stderr = out.get("stderr", "")
    if proc.returncode != 0 and stderr.startswith("bwrap:"):
        raise SandboxUnavailable(f"bubblewrap could not start its sandbox here: "
                                 f"{stderr.strip()} (unprivileged user namespaces may be "
                                 "disabled: see docs/tools.md#sandbox)")
    return SandboxResult(proc.returncode, out.get("stdout", "")[:max_output],
                         stderr[:max_output])


def _communicate(proc: subprocess.Popen[str], stdin: str, out: dict[str, str]) -> None:
    out["stdout"], out["stderr"] = proc.communicate(stdin)


def _kill(proc: subprocess.Popen[str]) -> None:
    try:
        os.killpg(proc.pid, 9)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()
