"""The local API: OpenAI-compatible chat (with the official client), memory, review,
status, and the bearer token."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openai import AuthenticationError, OpenAI

from agent.loop import Agent
from agent.metrics import Metrics
from app.actions import Actions
from app.famulus import Famulus
from cli.api import build_app
from tests.fakes import ScriptedModel
from tests.tool_helpers import make_service

TOKEN = "t0ken"


@pytest.fixture
def client(tmp_path: Path):
    service = make_service(tmp_path, level=0)
    model = ScriptedModel([])
    metrics = Metrics(tmp_path / "metrics.db")
    famulus = Famulus(Agent(model, tools=service, observers=[metrics.observe]), metrics,
                      actions=Actions(service, metrics))
    with TestClient(build_app(famulus, TOKEN, deque())) as test_client:
        test_client.model = model  # the test scripts its replies
        yield test_client
    metrics.close()


def test_openai_client_chat_and_stream(client: TestClient) -> None:
    client.model.replies = ["Bonjour to you.", "Streamed hello."]
    api = OpenAI(base_url="http://testserver/v1", api_key=TOKEN, http_client=client)
    assert [m.id for m in api.models.list()] == ["famulus"]
    reply = api.chat.completions.create(model="famulus",
                                        messages=[{"role": "user", "content": "Say hello"}])
    assert reply.choices[0].message.content.strip() == "Bonjour to you."
    stream = api.chat.completions.create(model="famulus", stream=True,
                                         messages=[{"role": "user", "content": "again"}])
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text.strip() == "Streamed hello."
    bad = OpenAI(base_url="http://testserver/v1", api_key="wrong", http_client=client)
    with pytest.raises(AuthenticationError):
        bad.models.list()


def test_review_and_status_endpoints(client: TestClient, tmp_path: Path) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    client.model.replies = [[("file_write", {"path": "x.txt", "content": "1"})], "It waits."]
    client.post("/v1/chat/completions", headers=auth,
                json={"messages": [{"role": "user", "content": "write file x.txt"}]})
    items = client.get("/v1/review", headers=auth).json()["items"]
    assert [i["call"]["tool"] for i in items] == ["file_write"]
    done = client.post(f"/v1/review/{items[0]['id']}/approve", headers=auth).json()
    assert done["status"] == "done" and (tmp_path / "x.txt").read_text() == "1"
    again = client.post(f"/v1/review/{items[0]['id']}/deny", headers=auth)
    assert again.status_code == 400 and "already approved" in again.json()["error"]["message"]
    status = client.get("/v1/status", headers=auth).json()
    assert status["turns"] == 1 and status["autonomy_level"] == 0
    assert client.get("/v1/memory/search?q=x", headers=auth).status_code == 409
    assert client.get("/v1/status").status_code == 401
    empty = client.post("/v1/chat/completions", headers=auth, json={"messages": []})
    assert empty.status_code == 400


def test_an_action_approved_through_the_api_counts_in_the_figures(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    client.model.replies = [[("file_write", {"path": "y.txt", "content": "2"})], "It waits."]
    client.post("/v1/chat/completions", headers=auth,
                json={"messages": [{"role": "user", "content": "write file y.txt"}]})
    assert client.get("/v1/status", headers=auth).json()["tool_calls"] == 0
    item = client.get("/v1/review", headers=auth).json()["items"][0]
    assert client.post(f"/v1/review/{item['id']}/approve", headers=auth).json()["status"] \
        == "done"
    status = client.get("/v1/status", headers=auth).json()
    assert status["tool_calls"] == 1 and status["tool_success_rate"] == 1.0


@pytest.mark.parametrize("body", [[1, 2], "hello", 42, {"messages": "hi"},
                                  {"messages": [{"role": "user", "content": 7}]},
                                  {"messages": [{"role": "wizard", "content": "hi"}]},
                                  {"messages": [{"role": "user", "content": [{"type": 5}]}]}])
def test_malformed_chat_bodies_are_400_with_a_plain_message(client: TestClient,
                                                            body: object) -> None:
    reply = client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {TOKEN}"},
                        json=body)
    assert reply.status_code == 400, reply.text
    assert "Traceback" not in reply.text and reply.json()["error"]["message"]


def test_malformed_approvals_and_huge_bodies_are_refused(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    bad = client.post("/v1/review/R1/approve", headers=auth, content=b"{not json")
    assert bad.status_code == 400 and "not JSON" in bad.json()["error"]["message"]
    odd = client.post("/v1/review/R1/approve", headers=auth, json={"arguments": [1]})
    assert odd.status_code == 400
    huge = client.post("/v1/chat/completions", headers=auth,
                       content=b'{"messages": "' + b"x" * (2 << 20) + b'"}')
    assert huge.status_code == 413


def test_foreign_hosts_and_origins_are_refused(tmp_path: Path) -> None:
    service = make_service(tmp_path, level=0)
    famulus = Famulus(Agent(ScriptedModel([]), tools=service), actions=Actions(service))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(build_app(famulus, TOKEN, deque(), ("127.0.0.1", "localhost")),
                    base_url="http://127.0.0.1:8765") as local:
        assert local.get("/v1/models", headers=auth).status_code == 200
        rebound = local.get("/v1/models", headers={**auth, "Host": "evil.example:8765"})
        assert rebound.status_code == 403
        page = local.get("/v1/models", headers={**auth, "Origin": "https://evil.example"})
        assert page.status_code == 403
        framed = local.get("/v1/models", headers={**auth, "Origin": "null"})
        assert framed.status_code == 403
        own = local.get("/v1/models", headers={**auth, "Origin": "http://localhost:8765"})
        assert own.status_code == 200
