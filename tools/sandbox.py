"""bubblewrap: how tools run programs and code.

The program sees a read-only system (/usr and the libraries), an empty /tmp, its own
scratch folder (read-write, the working directory), the granted paths it is given
(read-only unless asked), no network unless the tool has it, no other process, and none
of the person's files beyond those. It dies with Famulus, and it has limits (`Limits`):
how many processes it may start, how much memory it may map, how much CPU time it may use
and how large a file it may write; what it prints is read in bounded chunks, so a flood of
output cannot fill Famulus's memory.
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
from typing import Any

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


@dataclass(frozen=True)
class Limits:
    """What one sandboxed program may consume (rlimits set by util-linux's prlimit)."""

    processes: int = 64  # more than the user already runs
    memory_bytes: int = 2 << 30  # address space
    file_bytes: int = 100 << 20  # the largest file it may write
    cpu_s: int | None = None  # CPU seconds; None: the run's time limit

    def prlimit_args(self, timeout_s: float) -> list[str]:
        found = shutil.which("prlimit")
        if not found:
            raise SandboxUnavailable("prlimit (util-linux) is missing, and the sandbox needs "
                                     "it to limit programs: sudo apt install util-linux")
        cpu = self.cpu_s or int(timeout_s) + 1
        return [found, f"--nproc={_user_processes() + self.processes}",
                f"--as={self.memory_bytes}", f"--fsize={self.file_bytes}", f"--cpu={cpu}",
                "--core=0", "--"]


def _user_processes() -> int:
    """How many processes this user runs now (RLIMIT_NPROC counts all of them)."""
    uid = os.getuid()
    count = 0
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                count += 1
        except OSError:
            continue
    return count


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
        max_output: int = 1 << 20, limits: Limits | None = None) -> SandboxResult:
    """Run `argv` in a fresh sandbox; ToolTimeout/Cancelled kill it."""
    box = bwrap_args(scratch, read_paths, write_paths, network)
    command = [*(limits or Limits()).prlimit_args(timeout_s), *box, "--", *argv]
    # one thread for the numeric libraries: each thread's buffers count against the
    # address-space limit
    env = {"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, start_new_session=True)
    out: dict[str, str] = {}
    waiter = threading.Thread(target=lambda: _communicate(proc, stdin, out, max_output),
                              daemon=True)
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
    return SandboxResult(proc.returncode, out.get("stdout", ""), stderr)


def _communicate(proc: subprocess.Popen[bytes], stdin: str, out: dict[str, str],
                 limit: int) -> None:
    """Feed stdin, and read stdout and stderr keeping at most `limit` bytes of each (the
    rest is read and dropped, so the program is never blocked on a full pipe)."""
    readers = [threading.Thread(target=_read_bounded, args=(stream, limit, out, name),
                                daemon=True)
               for name, stream in (("stdout", proc.stdout), ("stderr", proc.stderr))]
    for reader in readers:
        reader.start()
    assert proc.stdin is not None
    try:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    except BrokenPipeError:
        pass  # it did not read its input: fine
    for reader in readers:
        reader.join()
    proc.wait()


def _read_bounded(stream: Any, limit: int, out: dict[str, str], name: str) -> None:
    kept = bytearray()
    while chunk := stream.read(65536):
        if len(kept) < limit:
            kept += chunk[:limit - len(kept)]
    stream.close()
    out[name] = kept.decode("utf-8", errors="replace")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, 9)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()
