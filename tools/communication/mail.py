"""E-mail tools: send (held for the undo window first) and read."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from tools.context import Outcome, ToolContext, UndoRecord
from tools.declare import tool
from tools.errors import ToolInputError
from tools.manifest import Permissions, RateLimit, RetryPolicy, Risk
from tools.undo import undoes


def _message(ctx: ToolContext, to: list[str], subject: str, body: str,
             cc: list[str]) -> EmailMessage:
    smtp = ctx.service("smtp")
    if not to:
        raise ToolInputError("'to' needs at least one address")
    for address in [*to, *cc]:
        if "@" not in address or any(c in address for c in "\r\n<>,;"):
            raise ToolInputError(f"{address!r} is not a plain e-mail address")
    msg = EmailMessage()
    msg["From"] = smtp.sender or smtp.username
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = subject.replace("\r", " ").replace("\n", " ")
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="famulus.local")
    msg.set_content(body)
    return msg


@tool("communication", Risk.EXTERNAL, permissions=Permissions(
    recipients=("to", "cc"), network=True), rate_limit=RateLimit(20, 3600),
    undo="cancels the mail while it is held for the undo window (tools.mail_undo_s); "
         "sent mail cannot be recalled")
def email_send(ctx: ToolContext, to: list[str], subject: str, body: str,
               cc: list[str] | None = None) -> Outcome:
    """Send an e-mail. Below autonomy level 3 it is held for the undo window first.

    Args:
        to: recipient addresses.
        subject: the subject line.
        body: the plain-text message.
        cc: copy recipients.
    """
    msg = _message(ctx, to, subject, body, cc or [])
    if ctx.mail_hold_s > 0:
        release = ctx.service("outbox").hold(ctx.action_id, msg, ctx.mail_hold_s)
        when = datetime.fromtimestamp(release).astimezone().isoformat(timespec="seconds")
        return Outcome({"status": "held", "sends_at": when, "to": to},
                       UndoRecord("mail.cancel", {"action": ctx.action_id}),
                       f"mail to {', '.join(to)} held until {when}")
    ctx.service("smtp").send(msg)
    return Outcome({"status": "sent", "to": to}, None, f"mail sent to {', '.join(to)}")


@tool("communication", Risk.READ, permissions=Permissions(network=True),
      retry=RetryPolicy(attempts=3), untrusted_output=True)
def email_read(ctx: ToolContext, folder: str = "INBOX", limit: int = 10,
               unread_only: bool = False) -> list[dict[str, Any]]:
    """Read the newest messages in a mail folder (nothing is marked as read).

    Args:
        folder: the IMAP folder.
        limit: at most this many messages, newest first (up to 50).
        unread_only: only messages not yet seen.
    """
    return ctx.service("imap").fetch(folder, max(1, min(limit, 50)), unread_only)


@undoes("mail.cancel")
def cancel_mail(ctx: ToolContext, data: dict[str, Any], blob: bytes | None) -> str:
    ctx.service("outbox").cancel(data["action"])
    return "the held mail was cancelled before it left"


TOOLS = [email_send, email_read]
