"""`famulus serve` as a client meets it: the official OpenAI client against the real server
process and the light model."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openai import OpenAI

from tests.e2e.test_cli import famulus
from tests.integration.tools.servers import free_port, wait_for_port

pytestmark = pytest.mark.slow
ENV = {"FAMULUS_PASSPHRASE": "a long passphrase", "FAMULUS_SERVE_TOKEN": "s3cret-token",
       "FAMULUS_MODELS_CHAT": "light", "FAMULUS_MODELS_THREADS": "1",
       "FAMULUS_INFERENCE_MAX_TOKENS": "48", "FAMULUS_INFERENCE_TEMPERATURE": "0"}


def test_openai_client_against_famulus_serve(tmp_path: Path, light_model: Path) -> None:
    home = tmp_path / "home"
    assert famulus(home, "memory", "init", env=ENV).returncode == 0
    assert famulus(home, "memory", "add", "The wifi password is on the fridge.",
                   env=ENV).returncode == 0
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAMULUS_")
           or k in ("FAMULUS_CACHE_DIR", "FAMULUS_RAM_DIR")}
    env.update(ENV, FAMULUS_HOME=str(home))
    server = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, server, timeout_s=120)
        api = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="s3cret-token",
                     timeout=120)
        assert [m.id for m in api.models.list()] == ["famulus"]
        reply = api.chat.completions.create(
            model="famulus", messages=[{"role": "user", "content": "What is 2 + 3?"}])
        assert "5" in reply.choices[0].message.content
        chunks = api.chat.completions.create(
            model="famulus", stream=True,
            messages=[{"role": "user", "content": "Where is the wifi password?"}])
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert "fridge" in text.lower(), text
        auth = {"Authorization": "Bearer s3cret-token"}
        hits = httpx.get(f"http://127.0.0.1:{port}/v1/memory/search",
                         params={"q": "wifi password"}, headers=auth).json()["hits"]
        assert any(h["text"] == "The wifi password is on the fridge." for h in hits)
        assert httpx.get(f"http://127.0.0.1:{port}/v1/status", headers=auth).json()["turns"] == 2
        assert httpx.get(f"http://127.0.0.1:{port}/v1/models").status_code == 401
    finally:
        server.send_signal(signal.SIGINT)
        _out, err = server.communicate(timeout=60)
    assert "Traceback" not in err, err
    assert "Famulus API on http://127.0.0.1" in err
