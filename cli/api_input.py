"""What the local API accepts, checked before any work is done: the body read in bounded
chunks (413 past the limit, never buffered whole), parsed into pydantic models (400 with
a plain message for every malformed shape), and requests from a foreign Host or Origin
refused (a web page in the person's browser must not drive the API: DNS rebinding, CSRF).
"""

from __future__ import annotations

import json
from typing import Any, Literal, TypeVar

from fastapi import HTTPException, Request
from pydantic import BaseModel, ConfigDict, ValidationError

MAX_BODY_BYTES = 1 << 20  # 1 MiB: a chat message or a review decision, with room to spare
LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")

Body = TypeVar("Body", bound=BaseModel)


class ContentPart(BaseModel):
    """One part of a message in OpenAI's parts form; only text parts carry words."""

    model_config = ConfigDict(extra="allow")
    type: str = "text"
    text: str = ""


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(p.text for p in self.content if p.type == "text" and p.text)
        return self.content or ""


class ChatBody(BaseModel):
    """A chat completion request (the fields Famulus reads; others are accepted)."""

    model_config = ConfigDict(extra="allow")
    messages: list[ChatMessageIn]
    stream: bool = False
    user: str | None = None

    def question(self) -> tuple[str, str]:
        """The last user message's text, and the thread (the `user` field)."""
        users = [m for m in self.messages if m.role == "user"]
        if not users or not users[-1].text().strip():
            raise HTTPException(400, "messages must contain a user message with text")
        return users[-1].text(), self.user or "api"


class ApproveBody(BaseModel):
    """An approval, optionally with the person's edited arguments."""

    model_config = ConfigDict(extra="forbid")
    arguments: dict[str, Any] | None = None


async def read_json(request: Request, limit: int = MAX_BODY_BYTES) -> Any:
    """The request's JSON body (None when empty), read in chunks up to `limit`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"the body is larger than {limit >> 10} KiB")
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise HTTPException(413, f"the body is larger than {limit >> 10} KiB")
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        raise HTTPException(400, "the body is not JSON") from None


def parse(model: type[Body], data: Any) -> Body:
    """`data` as `model`, or 400 saying what is wrong, in a line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the body"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise HTTPException(400, f"{where}: {first['msg']}{more}") from None


def check_origin(request: Request, hosts: tuple[str, ...]) -> None:
    """Refuse a request whose Host is not one of `hosts` (DNS rebinding), or that a web
    page of another origin sends (a browser adds Origin: the person's own pages on this
    machine may call, others may not)."""
    host = request.headers.get("host", "")
    if hosts and _hostname(host) not in hosts:
        raise HTTPException(403, "this API answers only requests addressed to "
                            f"{' or '.join(hosts)}")
    origin = request.headers.get("origin")
    # "null" too: a sandboxed frame of any page sends it
    if origin and (origin == "null" or _hostname(origin.split("://", 1)[-1]) not in
                   (hosts or LOOPBACK)):
        raise HTTPException(403, "requests from web pages of other origins are refused")


def _hostname(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
