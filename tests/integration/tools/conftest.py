"""Servers for the tool integration tests, started once per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.tools.servers import SmtpSink, WebServer, start_pymap, start_radicale


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    proc, url = start_radicale(tmp_path_factory.mktemp("radicale"))
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[SmtpSink]:
    with SmtpSink(tmp_path) as sink:
        yield sink


@pytest.fixture(scope="module")
def imap() -> Iterator[int]:
    proc, port = start_pymap("me", "imap-pass")
    yield port
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def web() -> Iterator[WebServer]:
    server = WebServer()
    yield server
    server.close()
