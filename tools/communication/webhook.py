"""Posting to a Slack- or Discord-style incoming webhook."""

from __future__ import annotations

from typing import Literal

import httpx

from tools.context import ToolContext
from tools.declare import tool
from tools.errors import ToolFailed
from tools.manifest import Permissions, RateLimit, RetryPolicy, Risk


@tool("communication", Risk.IRREVERSIBLE, permissions=Permissions(urls=("url",), network=True),
      retry=RetryPolicy(attempts=3), rate_limit=RateLimit(30, 3600), redact=("url",))
def webhook_post(ctx: ToolContext, url: str, text: str,
                 style: Literal["slack", "discord"] = "slack") -> dict[str, object]:
    """Post a message to a chat channel's incoming webhook (it cannot be taken back).

    Args:
        url: the webhook URL.
        text: the message.
        style: 'slack' sends {"text": …}, 'discord' sends {"content": …}.
    """
    body = {"text": text} if style == "slack" else {"content": text}
    try:
        response = httpx.post(url, json=body, timeout=15.0, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise ToolFailed(f"posting to the webhook failed: {exc}",
                         retryable=isinstance(exc, httpx.TransportError)) from None
    if response.status_code >= 300:
        raise ToolFailed(f"the webhook answered {response.status_code}: "
                         f"{response.text[:200]}", retryable=response.status_code >= 500)
    return {"posted": True, "status": response.status_code}


TOOLS = [webhook_post]
