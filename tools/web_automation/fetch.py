"""HTTP fetch with a host allowlist, size and time limits, and readable-text extraction.

Redirects are followed by hand so that every hop is checked: an allowed host cannot
bounce the request to one the person never allowed.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import urljoin

import httpx

from tools.boundaries import host_of
from tools.context import ToolContext
from tools.declare import tool
from tools.errors import PermissionDenied, ToolFailed
from tools.manifest import Permissions, RetryPolicy, Risk

MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 2 << 20
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/xhtml")


def readable_text(html: str, url: str = "") -> str:
    """The main text of a page (trafilatura), or all visible text when it finds none."""
    try:
        import trafilatura

        text = trafilatura.extract(html, url=url or None, include_comments=False,
                                   include_tables=True)
    except Exception:  # a parser failure on odd HTML falls back to plain stripping
        text = None
    if text:
        return text
    html = re.sub(r"(?is)<(script|style|noscript|template)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"(?s)<[^>]+>", " ", html))).strip()


def _allowed(ctx: ToolContext, url: str, first: str) -> None:
    # At level 3 ("everything runs, audited") a redirect may lead anywhere; below it, only
    # to the host asked for or an allowed one.
    if host_of(url) == host_of(first) or ctx.boundaries.host_allowed(url) or \
            ctx.autonomy_level >= 3:
        return
    raise PermissionDenied(f"the page redirected to {host_of(url)}, which is not in "
                           "tools.allowed_hosts")


@tool("web_automation", Risk.READ, permissions=Permissions(urls=("url",), network=True),
      retry=RetryPolicy(attempts=3), timeout_s=30.0, untrusted_output=True)
def web_fetch(ctx: ToolContext, url: str, raw: bool = False, max_chars: int = 20_000
              ) -> dict[str, Any]:
    """Fetch a web page from an allowed host and return its readable text.

    Args:
        url: the http(s) address.
        raw: return the body as it came (HTML, JSON) instead of the extracted text.
        max_chars: cut the text to this many characters.
    """
    limit = int(ctx.services.get("fetch_max_bytes", DEFAULT_MAX_BYTES))
    current = url
    with httpx.Client(timeout=float(ctx.services.get("fetch_timeout_s", 20.0)),
                      follow_redirects=False,
                      headers={"User-Agent": "Famulus/0.1 (personal agent)"}) as client:
        for _ in range(MAX_REDIRECTS + 1):
            _allowed(ctx, current, url)
            status, headers, body = _get(client, current, limit, ctx)
            if status in (301, 302, 303, 307, 308) and "location" in headers:
                current = urljoin(current, headers["location"])
                continue
            break
        else:
            raise ToolFailed(f"{url} redirected more than {MAX_REDIRECTS} times")
    if status >= 400:
        raise ToolFailed(f"{current} answered HTTP {status}", retryable=status >= 500)
    kind = headers.get("content-type", "")
    if kind and not kind.startswith(TEXT_TYPES):
        raise ToolFailed(f"{current} is {kind.split(';')[0]}, not a page or text")
    try:
        text = body.decode(_charset(kind), "replace")
    except LookupError:  # an unknown charset name
        text = body.decode("utf-8", "replace")
    if not raw and "html" in kind:
        text = readable_text(text, current)
    return {"url": current, "status": status, "content_type": kind.split(";")[0],
            "text": text[:max_chars], "truncated": len(text) > max_chars}


def _get(client: httpx.Client, url: str, limit: int, ctx: ToolContext
         ) -> tuple[int, httpx.Headers, bytes]:
    try:
        with client.stream("GET", url) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                ctx.check_cancelled()
                size += len(chunk)
                if size > limit:
                    raise ToolFailed(f"{url} is larger than {limit >> 10} KiB "
                                     "(tools.fetch_max_kb)")
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)
    except httpx.HTTPError as exc:
        raise ToolFailed(f"fetching {url} failed: {type(exc).__name__}: {exc}",
                         retryable=isinstance(exc, httpx.TransportError)) from None


def _charset(content_type: str) -> str:
    match = re.search(r"charset=([\w-]+)", content_type)
    return match.group(1) if match else "utf-8"


TOOLS = [web_fetch]
