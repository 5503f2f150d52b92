"""SMTP out and IMAP in, as plain services with clear errors."""

from __future__ import annotations

import email
import email.policy
import imaplib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from tools.errors import ToolFailed


def _tls(ca_file: str) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=ca_file or None)


@dataclass(frozen=True)
class SmtpService:
    """An SMTP server: implicit TLS (port 465), STARTTLS, or plain for a local relay."""

    host: str
    port: int = 587
    security: str = "starttls"  # starttls | tls | none
    username: str = ""
    password: str = ""
    sender: str = ""
    ca_file: str = ""
    timeout_s: float = 20.0

    def send(self, message: EmailMessage) -> None:
        try:
            if self.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout_s, context=_tls(self.ca_file))
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
            with client:
                if self.security == "starttls":
                    client.starttls(context=_tls(self.ca_file))
                if self.username:
                    client.login(self.username, self.password)
                client.send_message(message)
        except smtplib.SMTPNotSupportedError:
            raise ToolFailed(f"{self.host} does not offer STARTTLS; set tools.smtp.security "
                             "to 'tls' or 'none' (local relays only)") from None
        except smtplib.SMTPAuthenticationError:
            raise ToolFailed(f"{self.host} refused the SMTP login: check tools.smtp.username "
                             "and `famulus keys set smtp`") from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise ToolFailed(f"the server refused the recipients "
                             f"{', '.join(exc.recipients)}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise ToolFailed(f"sending mail through {self.host}:{self.port} failed: {exc}",
                             retryable=isinstance(exc, OSError | smtplib.SMTPServerDisconnected)
                             ) from None


@dataclass(frozen=True)
class ImapService:
    """An IMAP mailbox, read without marking anything as seen."""

    host: str
    port: int = 993
    security: str = "tls"  # tls | starttls | none
    username: str = ""
    password: str = ""
    ca_file: str = ""
    timeout_s: float = 20.0

    def fetch(self, folder: str, limit: int, unread_only: bool) -> list[dict[str, Any]]:
        try:
            with self._connect() as client:
                status, _ = client.select(_quoted(folder), readonly=True)
                if status != "OK":
                    raise ToolFailed(f"there is no mail folder {folder!r}")
                _, data = client.search(None, "UNSEEN" if unread_only else "ALL")
                numbers = data[0].split()[-limit:] if data and data[0] else []
                return [self._message(client, n) for n in reversed(numbers)]
        except (OSError, imaplib.IMAP4.error) as exc:
            raise ToolFailed(f"reading mail from {self.host}:{self.port} failed: {exc}",
                             retryable=isinstance(exc, OSError)) from None

    def _connect(self) -> imaplib.IMAP4:
        if self.security == "tls":
            client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                self.host, self.port, ssl_context=_tls(self.ca_file), timeout=self.timeout_s)
        else:
            client = imaplib.IMAP4(self.host, self.port, timeout=self.timeout_s)
            if self.security == "starttls":
                client.starttls(ssl_context=_tls(self.ca_file))
        client.login(self.username, self.password)
        return client

    @staticmethod
    def _message(client: imaplib.IMAP4, number: bytes) -> dict[str, Any]:
        _, parts = client.fetch(number.decode(), "(BODY.PEEK[])")
        raw = next(p[1] for p in parts if isinstance(p, tuple))
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if body is not None else ""
        return {"from": str(msg["from"] or ""), "to": str(msg["to"] or ""),
                "subject": str(msg["subject"] or ""), "date": str(msg["date"] or ""),
                "text": text[:4000]}


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'

