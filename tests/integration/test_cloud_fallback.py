"""The cloud path against a real OpenAI-compatible server: llama-cpp-python's own server,
started by the test on 127.0.0.1 with the light model, as a user would start it."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from inference.cloud_openai import OpenAIBackend
from inference.errors import AuthenticationFailed, BackendTimeout
from inference.local import LocalBackend
from inference.local_loader import LocalModelConfig
from inference.messages import (
    ChatMessage,
    ChatRequest,
    Fallback,
    Finished,
    GenerationOptions,
    TextDelta,
)
from inference.router import Router

pytestmark = pytest.mark.slow

KEY = "sk-test-fallback-0123456789"
REQUEST = ChatRequest((ChatMessage("user", "Count from one to twenty in words."),),
                      options=GenerationOptions(max_tokens=80, temperature=0.0))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# the server as `python -m llama_cpp.server` starts it, on an AMX CPU without the repack
# that crashes there (inference/amx.py)
SERVE = ("from inference.amx import avoid_amx_repack; avoid_amx_repack(); import runpy; "
         "runpy.run_module('llama_cpp.server', run_name='__main__', alter_sys=True)")


class Server:
    """`python -m llama_cpp.server` serving the light model."""

    def __init__(self, model: Path, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE, "--model", str(model),
             "--model_alias", "light", "--host", "127.0.0.1", "--port", str(self.port),
             "--api_key", KEY, "--n_threads", "1", "--n_ctx", "2048", "--verbose", "False"],
            stdout=self.log, stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited: {self.log.name}")
            try:
                headers = {"Authorization": f"Bearer {KEY}"}
                if httpx.get(f"{self.url}/models", headers=headers, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError("llama_cpp.server did not start in 120 s")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@pytest.fixture
def server(light_model: Path, tmp_path: Path) -> Iterator[Server]:
    running = Server(light_model, tmp_path / "server.log")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def local(light_model: Path) -> Iterator[LocalBackend]:
    backend = LocalBackend(LocalModelConfig(light_model, n_ctx=2048, n_threads=1))
    yield backend
    backend.close()


def test_cloud_path_answers_and_a_wrong_key_is_refused(server: Server) -> None:
    cloud = OpenAIBackend(server.url, "light", KEY, timeout_s=60)
    question = ChatRequest((ChatMessage("user", "What is the capital of France?"),),
                           options=GenerationOptions(max_tokens=30, temperature=0.0))
    events = list(cloud.stream(question))
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert "Paris" in text
    assert isinstance(events[-1], Finished) and events[-1].stats.backend == "cloud:openai"

    wrong = OpenAIBackend(server.url, "light", "sk-wrong-key-000000", timeout_s=30)
    with pytest.raises(AuthenticationFailed, match="HTTP 401"):
        list(wrong.stream(REQUEST))


def test_server_killed_mid_stream_falls_back_to_local(server: Server,
                                                      local: LocalBackend) -> None:
    cloud = OpenAIBackend(server.url, "light", KEY, timeout_s=30)
    router = Router([cloud, local], allow_cloud=True, remote=[cloud.name])
    events, killed = [], False
    for event in router.stream(REQUEST):
        events.append(event)
        if isinstance(event, TextDelta) and not killed:
            server.kill()
            killed = True
    fallback = next(e for e in events if isinstance(e, Fallback))
    assert (fallback.failed, fallback.next) == ("cloud:openai", "local")
    assert isinstance(events[-1], Finished) and events[-1].stats.backend == "local"
    assert router.last_record.answered_by == "local" and router.last_record.fell_back


def _silent_server() -> tuple[int, threading.Event]:
    """A TCP server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    done = threading.Event()

    def hold() -> None:
        held = []
        listener.settimeout(0.2)
        while not done.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
        for conn in held:
            conn.close()
        listener.close()

    threading.Thread(target=hold, daemon=True).start()
    return listener.getsockname()[1], done


def test_a_timeout_is_a_timeout_not_a_hang(local: LocalBackend) -> None:
    port, done = _silent_server()
    try:
        cloud = OpenAIBackend(f"http://127.0.0.1:{port}/v1", "light", KEY, timeout_s=1.5)
        with pytest.raises(BackendTimeout, match=r"within 1\.5 s"):  # not a hang
            list(cloud.stream(REQUEST))
        router = Router([cloud, local], allow_cloud=True, remote=[cloud.name])
        events = list(router.stream(REQUEST))
        assert any(isinstance(e, Fallback) and "within 1.5 s" in e.reason for e in events)
        assert events[-1].stats.backend == "local"
    finally:
        done.set()
