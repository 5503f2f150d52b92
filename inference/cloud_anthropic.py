"""Anthropic's Messages API as a chat backend, with its native tool use.

A small hand-written client rather than the `anthropic` SDK, like cloud_openai.py: the
router owns retries, timeouts and fallback (the SDK's own retries would delay a fallback
to the local model), errors must become the inference layer's own, and the packaged app
stays free of two more dependency trees for a backend that is off by default.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
from httpx_sse import EventSource

from inference import http
from inference.backend import Backend
from inference.errors import BackendUnavailable
from inference.messages import (
    ChatMessage,
    ChatRequest,
    Finished,
    GenerationStats,
    StreamEvent,
    TextDelta,
    ToolCall,
    ToolCallReady,
)

API_VERSION = "2023-06-01"


def to_anthropic(messages: tuple[ChatMessage, ...]) -> tuple[str, list[dict[str, Any]]]:
    """The system prompt and Anthropic's messages (tool results go in a user turn)."""
    system = "\n\n".join(m.content for m in messages if m.role == "system")
    out: list[dict[str, Any]] = []
    for message in messages:
        if message.role == "system":
            continue
        if message.role == "tool":
            block = {"type": "tool_result", "tool_use_id": message.tool_call_id,
                     "content": message.content}
            if out and out[-1]["role"] == "user" and isinstance(out[-1]["content"], list):
                out[-1]["content"].append(block)
            else:
                out.append({"role": "user", "content": [block]})
        elif message.tool_calls:
            blocks: list[dict[str, Any]] = [{"type": "text", "text": message.content}] \
                if message.content else []
            blocks += [{"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments}
                       for c in message.tool_calls]
            out.append({"role": "assistant", "content": blocks})
        else:
            out.append({"role": message.role, "content": message.content})
    return system, out


class AnthropicBackend(Backend):
    """Chat completions from Anthropic's Messages API (streaming)."""

    def __init__(self, model: str, api_key: str | None, timeout_s: float = 60.0,
                 base_url: str = "https://api.anthropic.com", name: str = "cloud:anthropic",
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url, self.model, self.api_key = base_url.rstrip("/"), model, api_key
        self.timeout_s, self.name = timeout_s, name
        self._client = httpx.Client(timeout=http.timeout(timeout_s), transport=transport)

    def status(self) -> dict[str, Any]:
        return {"name": self.name, "base_url": self.base_url, "model": self.model,
                "api_key": "set" if self.api_key else "missing"}

    def _body(self, request: ChatRequest) -> dict[str, Any]:
        system, messages = to_anthropic(request.messages)
        body: dict[str, Any] = {
            "model": self.model, "messages": messages, "stream": True,
            "max_tokens": request.options.max_tokens,
            "temperature": request.options.temperature,
        }
        if system:
            body["system"] = system
        if request.options.stop:
            body["stop_sequences"] = list(request.options.stop)
        if request.tools:
            body["tools"] = [t.to_anthropic() for t in request.tools]
            if request.require_tool_call:
                body["tool_choice"] = {"type": "any"}
        return body

    def stream(self, request: ChatRequest) -> Iterator[StreamEvent]:
        request.validate()
        headers = {"x-api-key": self.api_key or "", "anthropic-version": API_VERSION}
        stats = GenerationStats(self.name, self.model, device="remote")
        start = time.perf_counter()
        with http.translate_errors(self.name, self.timeout_s), self._client.stream(
            "POST", f"{self.base_url}/v1/messages", json=self._body(request), headers=headers
        ) as response:
            http.check_status(response, self.name)
            yield from self._read(response, stats, start)
        stats.total_s = time.perf_counter() - start
        yield Finished(stats)

    def _read(self, response: httpx.Response, stats: GenerationStats,
              start: float) -> Iterator[StreamEvent]:
        reading = _Reading(self.name, stats, start)
        for event in EventSource(response).iter_sse():
            data = json.loads(event.data)
            yield from reading.event(data.get("type", event.event), data)
            if reading.stopped:
                break
        if not reading.stopped:
            raise BackendUnavailable(f"{self.name} closed the stream before the answer ended")
        yield from reading.calls()

    def close(self) -> None:
        self._client.close()


class _Reading:
    """One streamed answer: text as it comes, tool-use blocks joined from their pieces."""

    def __init__(self, name: str, stats: GenerationStats, start: float) -> None:
        self.name, self.stats, self.start = name, stats, start
        self.blocks: dict[int, dict[str, Any]] = {}
        self.stopped = False

    def event(self, kind: str, data: dict[str, Any]) -> Iterator[StreamEvent]:
        stats = self.stats
        if kind == "error":
            raise BackendUnavailable(f"{self.name} reported an error: {data.get('error')}")
        if kind == "message_start":
            stats.prompt_tokens = data.get("message", {}).get("usage", {}).get(
                "input_tokens", 0)
        elif kind == "content_block_start":
            self.blocks[data.get("index", 0)] = {**(data.get("content_block") or {}),
                                                 "partial_json": ""}
        elif kind == "content_block_delta":
            yield from self._delta(data.get("index", 0), data.get("delta") or {})
        elif kind == "message_delta":
            stats.finish_reason = (data.get("delta") or {}).get("stop_reason") or "stop"
            stats.completion_tokens = (data.get("usage") or {}).get("output_tokens", 0)
        elif kind == "message_stop":
            self.stopped = True

    def _delta(self, index: int, delta: dict[str, Any]) -> Iterator[StreamEvent]:
        if delta.get("type") == "text_delta" and delta.get("text"):
            if self.stats.time_to_first_token_s is None:
                self.stats.time_to_first_token_s = time.perf_counter() - self.start
            yield TextDelta(delta["text"])
        elif delta.get("type") == "input_json_delta":
            self.blocks[index]["partial_json"] += delta.get("partial_json", "")

    def calls(self) -> Iterator[StreamEvent]:
        for index in sorted(self.blocks):
            block = self.blocks[index]
            if block.get("type") == "tool_use":
                raw = block["partial_json"] or json.dumps(block.get("input") or {})
                yield ToolCallReady(ToolCall(block["name"], json.loads(raw), block["id"]))
