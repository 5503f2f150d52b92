"""An OpenAI-compatible chat backend: OpenAI, vLLM, a llama.cpp server, Ollama's /v1.

A small hand-written client rather than the `openai` SDK: the router owns retries,
timeouts and fallback (the SDK retries on its own, which delays the fallback to the local
model), servers that are only nearly compatible (llama.cpp's, Ollama's) need nothing the
SDK checks, and errors must become the inference layer's own. Server-sent events are read
with httpx-sse.
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


def to_openai_message(message: ChatMessage) -> dict[str, Any]:
    data: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.tool_calls:
        data["tool_calls"] = [
            {"id": c.id, "type": "function",
             "function": {"name": c.name, "arguments": json.dumps(c.arguments)}}
            for c in message.tool_calls
        ]
    if message.tool_call_id:
        data["tool_call_id"] = message.tool_call_id
    return data


class _CallAssembler:
    """Joins the fragments of streamed tool calls, which arrive by index."""

    def __init__(self) -> None:
        self.parts: dict[int, dict[str, str]] = {}

    def add(self, fragments: list[dict[str, Any]]) -> None:
        for fragment in fragments:
            part = self.parts.setdefault(fragment.get("index", 0),
                                         {"id": "", "name": "", "arguments": ""})
            function = fragment.get("function") or {}
            part["id"] = fragment.get("id") or part["id"]
            part["name"] += function.get("name") or ""
            part["arguments"] += function.get("arguments") or ""

    def calls(self) -> list[ToolCall]:
        calls = []
        for part in (self.parts[i] for i in sorted(self.parts)):
            try:
                arguments = json.loads(part["arguments"] or "{}")
            except json.JSONDecodeError:
                arguments = {"_unparsed": part["arguments"]}
            kwargs = {"id": part["id"]} if part["id"] else {}
            calls.append(ToolCall(part["name"], arguments, **kwargs))
        return calls


class OpenAIBackend(Backend):
    """Chat completions from any server that speaks OpenAI's /v1/chat/completions."""

    def __init__(self, base_url: str, model: str, api_key: str | None,
                 timeout_s: float = 60.0, name: str = "cloud:openai",
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url, self.model, self.api_key = base_url.rstrip("/"), model, api_key
        self.timeout_s, self.name = timeout_s, name
        self._client = httpx.Client(timeout=http.timeout(timeout_s), transport=transport)

    def status(self) -> dict[str, Any]:
        return {"name": self.name, "base_url": self.base_url, "model": self.model,
                "api_key": "set" if self.api_key else "missing"}

    def _body(self, request: ChatRequest) -> dict[str, Any]:
        options = request.options
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [to_openai_message(m) for m in request.messages],
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": options.max_tokens,
            "temperature": options.temperature,
            "top_p": options.top_p,
        }
        if options.stop:
            body["stop"] = list(options.stop)
        if options.seed is not None:
            body["seed"] = options.seed
        if request.tools:
            body["tools"] = [t.to_openai() for t in request.tools]
            if request.require_tool_call:
                body["tool_choice"] = "required"
        return body

    def stream(self, request: ChatRequest) -> Iterator[StreamEvent]:
        request.validate()
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        stats = GenerationStats(self.name, self.model, device="remote")
        start = time.perf_counter()
        with http.translate_errors(self.name, self.timeout_s), self._client.stream(
            "POST", f"{self.base_url}/chat/completions", json=self._body(request),
            headers=headers,
        ) as response:
            http.check_status(response, self.name)
            yield from self._read(response, stats, start)
        stats.total_s = time.perf_counter() - start
        yield Finished(stats)

    def _read(self, response: httpx.Response, stats: GenerationStats,
              start: float) -> Iterator[StreamEvent]:
        calls, finished = _CallAssembler(), False
        for event in EventSource(response).iter_sse():
            if event.data.strip() == "[DONE]":
                finished = True
                break
            chunk = json.loads(event.data)
            if "error" in chunk:
                raise BackendUnavailable(f"{self.name} reported an error: {chunk['error']}")
            usage = chunk.get("usage") or {}
            stats.prompt_tokens = usage.get("prompt_tokens", stats.prompt_tokens)
            stats.completion_tokens = usage.get("completion_tokens", stats.completion_tokens)
            for choice in chunk.get("choices") or ():
                delta = choice.get("delta") or {}
                if delta.get("content"):
                    if stats.time_to_first_token_s is None:
                        stats.time_to_first_token_s = time.perf_counter() - start
                    yield TextDelta(delta["content"])
                calls.add(delta.get("tool_calls") or [])
                if choice.get("finish_reason"):
                    stats.finish_reason = choice["finish_reason"]
                    finished = True
        if not finished:
            raise BackendUnavailable(f"{self.name} closed the stream before the answer ended")
        for call in calls.calls():
            yield ToolCallReady(call)

    def close(self) -> None:
        self._client.close()
