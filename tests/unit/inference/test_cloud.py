"""Protocol handling of the cloud backends, on recorded-shape streams.

The OpenAI-compatible backend is also tested against a real server in
tests/integration/test_cloud_fallback.py.
"""

import json

import httpx
import pytest

from inference.cloud_anthropic import AnthropicBackend, to_anthropic
from inference.cloud_openai import OpenAIBackend
from inference.errors import AuthenticationFailed, BackendUnavailable
from inference.messages import (
    ChatMessage,
    ChatRequest,
    Finished,
    TextDelta,
    ToolCall,
    ToolCallReady,
    ToolSpec,
)

REQUEST = ChatRequest((ChatMessage("system", "Be brief."), ChatMessage("user", "Weather?")),
                      tools=(ToolSpec("get_weather", "w", {"type": "object"}),))


def _sse(chunks: list[dict | str], event_names: list[str] | None = None) -> bytes:
    out = []
    for index, chunk in enumerate(chunks):
        data = chunk if isinstance(chunk, str) else json.dumps(chunk)
        name = f"event: {event_names[index]}\n" if event_names else ""
        out.append(f"{name}data: {data}\n\n")
    return "".join(out).encode()


def _transport(status: int, body: bytes, seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, content=body,
                              headers={"content-type": "text/event-stream"})
    return httpx.MockTransport(handle)


def test_openai_streams_text_and_assembles_tool_call_fragments() -> None:
    chunks = [
        {"choices": [{"delta": {"content": "Checking"}}]},
        {"choices": [{"delta": {"tool_calls": [{"index": 0, "id": "c1", "function": {
            "name": "get_weather", "arguments": '{"ci'}}]}}]},
        {"choices": [{"delta": {"tool_calls": [{"index": 0, "function": {
            "arguments": 'ty": "Oslo"}'}}]}, "finish_reason": "tool_calls"}]},
        {"choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": 7}},
        "[DONE]",
    ]
    seen: list[httpx.Request] = []
    backend = OpenAIBackend("http://x/v1", "m", "k", transport=_transport(200, _sse(chunks), seen))
    events = list(backend.stream(REQUEST))
    assert events[0] == TextDelta("Checking")
    call = next(e.call for e in events if isinstance(e, ToolCallReady))
    assert call == ToolCall("get_weather", {"city": "Oslo"}, "c1")
    stats = events[-1].stats
    assert (stats.prompt_tokens, stats.completion_tokens, stats.finish_reason) == (
        12, 7, "tool_calls")
    body = json.loads(seen[0].content)
    assert body["tools"][0]["function"]["name"] == "get_weather"
    assert seen[0].headers["authorization"] == "Bearer k"


def test_openai_refused_key_is_an_authentication_error() -> None:
    backend = OpenAIBackend("http://x/v1", "m", "bad",
                            transport=_transport(401, b'{"error": "invalid key"}', []))
    with pytest.raises(AuthenticationFailed, match="HTTP 401"):
        list(backend.stream(REQUEST))


def test_openai_stream_cut_short_is_an_error() -> None:
    chunks = [{"choices": [{"delta": {"content": "par"}}]}]
    backend = OpenAIBackend("http://x/v1", "m", "k", transport=_transport(200, _sse(chunks), []))
    with pytest.raises(BackendUnavailable, match="closed the stream"):
        list(backend.stream(REQUEST))


def test_anthropic_streams_text_and_tool_use() -> None:
    events = [
        {"type": "message_start", "message": {"usage": {"input_tokens": 20}}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text"}},
        {"type": "content_block_delta", "index": 0,
         "delta": {"type": "text_delta", "text": "Let me look."}},
        {"type": "content_block_start", "index": 1,
         "content_block": {"type": "tool_use", "id": "tu1", "name": "get_weather", "input": {}}},
        {"type": "content_block_delta", "index": 1,
         "delta": {"type": "input_json_delta", "partial_json": '{"city": '}},
        {"type": "content_block_delta", "index": 1,
         "delta": {"type": "input_json_delta", "partial_json": '"Rome"}'}},
        {"type": "message_delta", "delta": {"stop_reason": "tool_use"},
         "usage": {"output_tokens": 9}},
        {"type": "message_stop"},
    ]
    seen: list[httpx.Request] = []
    backend = AnthropicBackend("claude", "key", transport=_transport(
        200, _sse(events, [e["type"] for e in events]), seen))
    out = list(backend.stream(REQUEST))
    assert out[0] == TextDelta("Let me look.")
    assert out[1] == ToolCallReady(ToolCall("get_weather", {"city": "Rome"}, "tu1"))
    assert isinstance(out[-1], Finished) and out[-1].stats.completion_tokens == 9
    body = json.loads(seen[0].content)
    assert body["system"] == "Be brief." and body["tools"][0]["input_schema"] == {
        "type": "object"}
    assert seen[0].headers["x-api-key"] == "key"


def test_anthropic_message_conversion_groups_tool_results() -> None:
    call = ToolCall("get_weather", {"city": "Rome"}, "tu1")
    system, messages = to_anthropic((
        ChatMessage("system", "S"), ChatMessage("user", "q"),
        ChatMessage("assistant", "", (call,)),
        ChatMessage("tool", "sunny", tool_call_id="tu1"),
    ))
    assert system == "S"
    assert messages[1]["content"][0]["type"] == "tool_use"
    assert messages[2] == {"role": "user", "content": [
        {"type": "tool_result", "tool_use_id": "tu1", "content": "sunny"}]}
