"""Plaintext never outlives the process: `famulus serve` ended by SIGTERM leaves nothing
readable in RAM, and neither does one killed outright once Famulus starts again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.test_cli import famulus
from tests.integration.tools.servers import free_port, wait_for_port

pytestmark = pytest.mark.slow
CANARY = "canary-7f3a-the-locker-code-is-4411"
ENV = {"FAMULUS_PASSPHRASE": "a long passphrase", "FAMULUS_SERVE_TOKEN": "t0ken",
       "FAMULUS_MODELS_CHAT": "light", "FAMULUS_MODELS_THREADS": "1"}


def _readable(folder: Path) -> bool:
    """Whether the canary is anywhere in the files under `folder`."""
    for path in folder.rglob("*"):
        try:
            if path.is_file() and CANARY.encode() in path.read_bytes():
                return True
        except OSError:
            continue
    return False


def _serve(home: Path, ram: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMULUS_")
           or k == "FAMULUS_CACHE_DIR"}
    env.update(ENV, FAMULUS_HOME=str(home), FAMULUS_RAM_DIR=str(ram))
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    wait_for_port(port, server, timeout_s=120)
    return server


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP"])
def test_a_terminated_server_leaves_no_plaintext(tmp_path: Path, light_model: Path,
                                                 how: str) -> None:
    home, ram = tmp_path / "home", tmp_path / "ram"
    ram.mkdir()
    env = {**ENV, "FAMULUS_RAM_DIR": str(ram)}
    assert famulus(home, "memory", "init", env=env).returncode == 0
    assert famulus(home, "memory", "add", CANARY, env=env).returncode == 0
    assert not _readable(ram)  # the command sealed and wiped on its way out
    server = _serve(home, ram)
    assert _readable(ram)  # unlocked while it serves
    server.send_signal(getattr(signal, how))
    _out, err = server.communicate(timeout=60)
    assert "Traceback" not in err, err
    assert not _readable(ram) and not list(ram.iterdir())


def test_a_killed_server_leaves_nothing_once_famulus_starts_again(
        tmp_path: Path, light_model: Path) -> None:
    home, ram = tmp_path / "home", tmp_path / "ram"
    ram.mkdir()
    env = {**ENV, "FAMULUS_RAM_DIR": str(ram)}
    assert famulus(home, "memory", "init", env=env).returncode == 0
    assert famulus(home, "memory", "add", CANARY, env=env).returncode == 0
    server = _serve(home, ram)
    server.kill()
    server.communicate(timeout=60)
    assert _readable(ram)  # SIGKILL cannot be caught: the next start must clean up
    # the next start, whatever it does, wipes what the killed one left first
    assert famulus(home, "status", env=env).returncode == 0
    assert not _readable(ram) and not list(ram.iterdir())
    assert famulus(home, "memory", "stats", env=env).returncode == 0  # memory is intact
    assert not list(ram.iterdir())
