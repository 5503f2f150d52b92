"""`famulus serve`: the agent over a local HTTP API.

OpenAI-compatible `/v1/chat/completions` (streaming too) and `/v1/models`, plus memory
search, the review queue, status and notifications. It listens on 127.0.0.1 and every
request needs `Authorization: Bearer <token>`: the token is made on first start and kept
in `<data>/serve-token` (mode 0600), or set with FAMULUS_SERVE_TOKEN.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import sys
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

# FastAPI reads the handlers' annotations at run time: its names must be module globals.
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, StreamingResponse

from agent.events import ErrorEvent, Notification, Token, TurnFinished
from agent.message import Message, MessageContext
from agent.runtime import Profile
from tools.errors import ToolError

MODEL_ID = "famulus"


def token(profile: Profile) -> str:
    """The API token: FAMULUS_SERVE_TOKEN, else the one kept in the data folder."""
    if os.environ.get("FAMULUS_SERVE_TOKEN"):
        return os.environ["FAMULUS_SERVE_TOKEN"]
    path = profile.paths.data_dir / "serve-token"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _message(body: dict[str, Any]) -> Message:
    turns = [m for m in body.get("messages") or [] if isinstance(m, dict)]
    users = [m for m in turns if m.get("role") == "user"]
    if not users:
        raise HTTPException(400, "messages must contain a user message")
    content = users[-1].get("content")
    if isinstance(content, list):  # the parts form: keep the text parts
        content = " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    thread = str(body.get("user") or "api")
    return Message(str(content or ""), "api", "user", MessageContext(thread))


def _chunk(ident: str, delta: dict[str, Any], finish: str | None = None) -> str:
    data = {"id": ident, "object": "chat.completion.chunk", "created": int(time.time()),
            "model": MODEL_ID, "choices": [{"index": 0, "delta": delta,
                                            "finish_reason": finish}]}
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def build_app(parts: Any, api_token: str, notes: deque[dict[str, Any]]) -> Any:
    """The FastAPI app over an assembled agent (agent.assembly.AgentParts)."""
    def authorised(request: Request) -> None:
        given = request.headers.get("authorization", "")
        if not secrets.compare_digest(given, f"Bearer {api_token}"):
            raise HTTPException(401, "a bearer token is required (see `famulus serve`)")

    app = FastAPI(title="Famulus", dependencies=[Depends(authorised)])

    @app.get("/v1/models")
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": MODEL_ID, "object": "model",
                                            "created": 0, "owned_by": "famulus"}]}

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> Any:
        try:
            body = await request.json()
        except ValueError:
            raise HTTPException(400, "the body is not JSON") from None
        message = _message(body)
        ident = "chatcmpl-" + uuid.uuid4().hex[:24]
        if body.get("stream"):
            return StreamingResponse(_stream(parts.agent, message, ident),
                                     media_type="text/event-stream")
        answer, finished, error = "", None, None
        async for event in parts.agent.stream(message):
            if isinstance(event, Token):
                answer += event.text
            elif isinstance(event, ErrorEvent):
                error = event.message
            elif isinstance(event, TurnFinished):
                finished = event
        if error is not None:
            return JSONResponse({"error": {"message": error, "type": "model_error"}}, 503)
        usage = finished.generation if finished else {}
        return {"id": ident, "object": "chat.completion", "created": int(time.time()),
                "model": MODEL_ID,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": answer},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": usage.get("prompt_tokens", 0),
                          "completion_tokens": usage.get("completion_tokens", 0),
                          "total_tokens": usage.get("prompt_tokens", 0) +
                          usage.get("completion_tokens", 0)},
                "famulus": finished.to_dict() if finished else None}

    @app.get("/v1/memory/search")
    async def memory_search(q: str, k: int = 5) -> dict[str, Any]:
        if parts.memory is None:
            raise HTTPException(409, "memory is not set up or not unlocked")
        hits = await _locked(parts, parts.memory.search, q, k=max(1, min(k, 50)))
        return {"hits": [h.to_dict() for h in hits]}

    @app.get("/v1/review")
    async def review() -> dict[str, Any]:
        return {"items": [i.to_dict() for i in _tools(parts).pending()]}

    @app.post("/v1/review/{item}/approve")
    async def approve(item: str, request: Request) -> dict[str, Any]:
        raw = await request.body()
        edited = json.loads(raw).get("arguments") if raw.strip() else None
        return (await _locked(parts, _tools(parts).approve, item, edited)).to_dict()

    @app.post("/v1/review/{item}/deny")
    async def deny(item: str) -> dict[str, Any]:
        return (await _locked(parts, _tools(parts).deny, item)).to_dict()

    @app.get("/v1/status")
    async def status() -> dict[str, Any]:
        summary = parts.metrics.summary()
        return {**summary, "alerts": parts.metrics.alerts(summary),
                "memory": parts.memory is not None,
                "autonomy_level": parts.tools.gate.level if parts.tools else None}

    @app.get("/v1/notifications")
    async def notifications() -> dict[str, Any]:
        return {"notifications": list(notes)}

    @app.exception_handler(ToolError)
    async def tool_errors(request: Request, exc: ToolError) -> JSONResponse:
        return JSONResponse({"error": {"message": str(exc), "type": type(exc).__name__}}, 400)

    return app


async def _locked(parts: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """`fn` under the agent's turn lock, in a worker thread: a turn may hold the lock for
    seconds, and the event loop must keep serving meanwhile."""

    def work() -> Any:
        with parts.agent.turn_lock:
            return fn(*args, **kwargs)

    return await asyncio.to_thread(work)


def _tools(parts: Any) -> Any:
    if parts.tools is None:
        raise HTTPException(409, "tools need memory: it is not set up or not unlocked")
    return parts.tools


async def _stream(agent: Any, message: Message, ident: str) -> AsyncIterator[str]:
    yield _chunk(ident, {"role": "assistant", "content": ""})
    async for event in agent.stream(message):
        if isinstance(event, Token):
            yield _chunk(ident, {"content": event.text})
        elif isinstance(event, ErrorEvent):
            yield f"data: {json.dumps({'error': {'message': event.message}})}\n\n"
    yield _chunk(ident, {}, "stop")
    yield "data: [DONE]\n\n"


def serve(args: argparse.Namespace, profile: Profile) -> int:
    import uvicorn

    from agent.assembly import assembled
    from agent.progress import terminal_bar

    notes: deque[dict[str, Any]] = deque(maxlen=100)

    def notify(n: Notification) -> None:
        notes.append({**n.to_dict(), "time": time.time()})

    api_token = token(profile)
    with terminal_bar("Preparing the model") as bar, \
            assembled(profile, args.model, autonomy=args.autonomy, progress=bar) as parts:
        for line in parts.notes:
            print(f"famulus: {line}", file=sys.stderr)
        parts.start_background(notify)
        app = build_app(parts, api_token, notes)
        where = Path(profile.paths.data_dir / "serve-token")
        print(f"Famulus API on http://{args.host}:{args.port}/v1 (bearer token in {where})",
              file=sys.stderr, flush=True)
        # no lifespan: nothing starts with the app, and Ctrl-C then stops it quietly
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", lifespan="off")
    return 0
