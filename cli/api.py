"""The local HTTP API that `famulus serve` starts: the app's facade over HTTP.

OpenAI-compatible `/v1/chat/completions` (streaming too) and `/v1/models`, plus memory
search, the review queue, status and notifications. It listens on 127.0.0.1 and every
request needs `Authorization: Bearer <token>`: the token is made on first start and kept
in `<data>/serve-token` (mode 0600), or set with FAMULUS_SERVE_TOKEN.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

# FastAPI reads the handlers' annotations at run time: its names must be module globals.
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from agent.events import AnswerReset, ErrorEvent, Token, TurnFinished
from app.famulus import Famulus
from app.profile import Profile
from cli.api_input import ApproveBody, ChatBody, check_origin, parse, read_json
from tools.errors import ToolError

MODEL_ID = "famulus"
log = logging.getLogger(__name__)


def token(profile: Profile) -> str:
    """The API token: FAMULUS_SERVE_TOKEN, else the one kept in the data folder."""
    if os.environ.get("FAMULUS_SERVE_TOKEN"):
        return os.environ["FAMULUS_SERVE_TOKEN"]
    path = profile.paths.data_dir / "serve-token"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _chunk(ident: str, delta: dict[str, Any], finish: str | None = None) -> str:
    data = {"id": ident, "object": "chat.completion.chunk", "created": int(time.time()),
            "model": MODEL_ID, "choices": [{"index": 0, "delta": delta,
                                            "finish_reason": finish}]}
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


def build_app(famulus: Famulus, api_token: str, notes: deque[dict[str, Any]],
              hosts: tuple[str, ...] = ()) -> Any:
    """The FastAPI app over Famulus; `notes` holds the latest notifications. With `hosts`,
    only requests addressed to one of them are answered."""
    def authorised(request: Request) -> None:
        check_origin(request, hosts)
        given = request.headers.get("authorization", "")
        if not secrets.compare_digest(given.encode(), f"Bearer {api_token}".encode()):
            raise HTTPException(401, "a bearer token is required (see `famulus serve`)")

    app = FastAPI(title="Famulus", dependencies=[Depends(authorised)])
    app.include_router(_chat_routes(famulus))
    app.include_router(_review_routes(famulus))
    app.include_router(_state_routes(famulus, notes))

    @app.exception_handler(ToolError)
    async def tool_errors(request: Request, exc: ToolError) -> JSONResponse:
        return JSONResponse({"error": {"message": str(exc), "type": type(exc).__name__}}, 400)

    @app.exception_handler(StarletteHTTPException)
    async def refusals(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": {"message": exc.detail, "type": f"http_{exc.status_code}"},
                             "detail": exc.detail}, exc.status_code, headers=exc.headers)

    @app.middleware("http")
    async def bugs(request: Request, call_next: Any) -> Any:
        try:
            return await call_next(request)
        except Exception:  # a bug: the traceback goes to the log, never to the client
            log.exception("the API failed on %s %s", request.method, request.url.path)
            return JSONResponse({"error": {"message": "Famulus failed on this request; "
                                           "its log says why", "type": "internal"}}, 500)

    return app


def _chat_routes(famulus: Famulus) -> APIRouter:
    """The OpenAI-compatible part: the model list and chat completions."""
    routes = APIRouter()

    @routes.get("/v1/models")
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": MODEL_ID, "object": "model",
                                            "created": 0, "owned_by": "famulus"}]}

    @routes.post("/v1/chat/completions")
    async def completions(request: Request) -> Any:
        body = parse(ChatBody, await read_json(request))
        text, thread = body.question()
        ident = "chatcmpl-" + uuid.uuid4().hex[:24]
        if body.stream:
            return StreamingResponse(_stream(famulus, text, thread, ident),
                                     media_type="text/event-stream")
        return await _answer(famulus, text, thread, ident)

    return routes


async def _answer(famulus: Famulus, text: str, thread: str, ident: str) -> Any:
    """One chat completion, whole."""
    answer, finished, error = "", None, None
    async for event in famulus.stream(text, thread):
        if isinstance(event, Token):
            answer += event.text
        elif isinstance(event, AnswerReset):  # what came before is void
            answer = ""
        elif isinstance(event, ErrorEvent):
            error = event.message
        elif isinstance(event, TurnFinished):
            finished = event
    if error is not None:
        return JSONResponse({"error": {"message": error, "type": "model_error"}}, 503)
    usage = finished.generation if finished else {}
    prompt, completion = usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
    return {"id": ident, "object": "chat.completion", "created": int(time.time()),
            "model": MODEL_ID,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                      "total_tokens": prompt + completion},
            "famulus": finished.to_dict() if finished else None}


def _review_routes(famulus: Famulus) -> APIRouter:
    """The review queue: the same approve path as the window and the terminal."""
    routes = APIRouter()

    @routes.get("/v1/review")
    async def review() -> dict[str, Any]:
        _tools_on(famulus)
        return {"items": [i.to_dict() for i in famulus.pending()]}

    @routes.post("/v1/review/{item}/approve")
    async def approve(item: str, request: Request) -> dict[str, Any]:
        _tools_on(famulus)
        edited = parse(ApproveBody, await read_json(request) or {}).arguments
        return (await asyncio.to_thread(famulus.approve, item, edited)).to_dict()

    @routes.post("/v1/review/{item}/deny")
    async def deny(item: str) -> dict[str, Any]:
        _tools_on(famulus)
        return (await asyncio.to_thread(famulus.deny, item)).to_dict()

    return routes


def _state_routes(famulus: Famulus, notes: deque[dict[str, Any]]) -> APIRouter:
    """Memory search, the figures and the notifications."""
    routes = APIRouter()

    @routes.get("/v1/memory/search")
    async def memory_search(q: str, k: int = 5) -> dict[str, Any]:
        if famulus.memory is None:
            raise HTTPException(409, "memory is not set up or not unlocked")
        hits = await asyncio.to_thread(famulus.search_memory, q, max(1, min(k, 50)))
        return {"hits": [h.to_dict() for h in hits]}

    @routes.get("/v1/status")
    async def status() -> dict[str, Any]:
        metrics = famulus.metrics
        summary = metrics.summary() if metrics else {}
        return {**summary, "alerts": metrics.alerts(summary) if metrics else [],
                "memory": famulus.memory is not None, "autonomy_level": famulus.autonomy}

    @routes.get("/v1/notifications")
    async def notifications() -> dict[str, Any]:
        return {"notifications": list(notes)}

    return routes


def _tools_on(famulus: Famulus) -> None:
    if famulus.actions is None:
        raise HTTPException(409, "tools need memory: it is not set up or not unlocked")


async def _stream(famulus: Famulus, text: str, thread: str, ident: str
                  ) -> AsyncIterator[str]:
    yield _chunk(ident, {"role": "assistant", "content": ""})
    async for event in famulus.stream(text, thread):
        if isinstance(event, Token):
            yield _chunk(ident, {"content": event.text})
        elif isinstance(event, ErrorEvent):
            yield f"data: {json.dumps({'error': {'message': event.message}})}\n\n"
    yield _chunk(ident, {}, "stop")
    yield "data: [DONE]\n\n"
