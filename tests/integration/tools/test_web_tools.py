"""web_fetch, webhooks and REST connectors against a real local HTTP server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.tools.servers import WebServer
from tests.tool_helpers import make_service
from tools.api_integrations.connectors import connector_tools
from tools.catalog import builtin_tools
from tools.gate import ToolCall

pytestmark = pytest.mark.slow
ARTICLE = """<html><head><title>Tides</title><script>var tracking = 1;</script></head>
<body><nav>Home | About</nav><article><h1>How tides work</h1>
<p>The moon's gravity pulls the oceans, and the water piles up on the side facing it.</p>
<p>Twice a day the sea rises and falls as the Earth turns beneath these bulges of water.</p>
<p>Spring tides come at full and new moon, when the sun and moon pull together.</p>
</article><footer>Copyright</footer></body></html>"""


def fetch(service, url: str, **extra: object):
    return service.call(ToolCall("web_fetch", {"url": url, **extra}))


def test_fetch_extracts_readable_text_from_allowed_hosts(tmp_path: Path, web: WebServer) -> None:
    web.page("/tides", ARTICLE)
    service = make_service(tmp_path, hosts=("127.0.0.1",))
    result = fetch(service, f"{web.url}/tides")
    assert result.status == "done", result.error
    text = result.result["text"]
    assert "moon's gravity pulls the oceans" in text
    assert "tracking" not in text
    raw = fetch(service, f"{web.url}/tides", raw=True).result["text"]
    assert "<script>" in raw


def test_hosts_outside_the_allowlist_wait_and_redirects_are_checked(
        tmp_path: Path, web: WebServer) -> None:
    service = make_service(tmp_path, hosts=())
    waiting = fetch(service, f"{web.url}/tides")
    assert waiting.status == "review" and "127.0.0.1 is not in" in waiting.decision["reason"]
    assert web.requests == []
    web.page("/jump", "", status=302, headers={"Location": "http://localhost:1/secret"})
    allowed = make_service(tmp_path, hosts=("127.0.0.1",))
    bounced = fetch(allowed, f"{web.url}/jump")
    assert bounced.status == "failed" and "redirected to localhost" in bounced.error


def test_size_and_type_limits(tmp_path: Path, web: WebServer) -> None:
    web.page("/big", "x" * 5000, kind="text/plain")
    web.page("/zip", b"PK\x03\x04", kind="application/zip")
    web.page("/gone", "", status=404)
    service = make_service(tmp_path, hosts=("127.0.0.1",), services={"fetch_max_bytes": 1000})
    assert "larger than" in fetch(service, f"{web.url}/big").error
    assert "application/zip, not a page" in fetch(service, f"{web.url}/zip").error
    assert "HTTP 404" in fetch(service, f"{web.url}/gone").error
    assert "not an http(s) URL" in fetch(service, "file:///etc/passwd").error


def test_webhook_posts_slack_and_discord_shapes(tmp_path: Path, web: WebServer) -> None:
    web.json_route("POST", "/hook", lambda h, body: (200, {"ok": True}))
    service = make_service(tmp_path, level=2, hosts=("127.0.0.1",))
    slack = service.call(ToolCall("webhook_post", {"url": f"{web.url}/hook", "text": "hi"}))
    discord = service.call(ToolCall("webhook_post", {"url": f"{web.url}/hook", "text": "yo",
                                                     "style": "discord"}))
    assert slack.status == discord.status == "done"
    assert [json.loads(r["body"]) for r in web.requests] == [{"text": "hi"}, {"content": "yo"}]
    entry = service.audit.entries(slack.action_id)[0]
    assert entry["arguments"]["url"] == "[redacted]"  # webhook URLs carry their secret


def test_connector_endpoints_become_tools(tmp_path: Path, web: WebServer) -> None:
    def forecast(handler, body):
        if handler.headers.get("Authorization") != "Bearer s3cret":
            return 401, {"error": "unauthorised"}
        return 200, {"city": handler.path.split("/")[-1].split("?")[0], "days": 2}

    web.json_route("GET", "/v1/forecast/Paris", forecast)
    web.json_route("POST", "/v1/alerts", lambda h, body: (201, {"created": body}))
    spec = {"name": "weather", "base_url": f"{web.url}/v1",
            "auth": {"type": "bearer", "secret": "weather"},
            "endpoints": [
                {"name": "forecast", "method": "GET", "path": "/forecast/{city}",
                 "description": "Forecast", "parameters": {
                     "type": "object", "properties": {"city": {"type": "string"},
                                                      "days": {"type": "integer"}},
                     "required": ["city"]}},
                {"name": "alert", "method": "POST", "path": "/alerts",
                 "parameters": {"type": "object", "properties": {"text": {"type": "string"}}}}]}
    secrets = {"connector:weather": "s3cret"}
    tools = [*builtin_tools(), *connector_tools(spec, secrets.get)]
    service = make_service(tmp_path, level=1, tools=tools)
    result = service.call(ToolCall("weather_forecast", {"city": "Paris", "days": 2}))
    assert result.status == "done", result.error
    assert result.result == {"city": "Paris", "days": 2}
    assert web.requests[-1]["path"] == "/v1/forecast/Paris?days=2"
    posting = service.call(ToolCall("weather_alert", {"text": "storm"}))
    assert posting.status == "review"  # POST endpoints are external: level 1 asks
    assert service.approve(posting.review_id).result == {"created": {"text": "storm"}}
    no_key = make_service(tmp_path, tools=connector_tools(spec, {}.get))
    assert "famulus keys set connector:weather" in no_key.call(
        ToolCall("weather_forecast", {"city": "Paris"})).error
