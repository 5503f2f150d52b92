"""E-mail against real servers: aiosmtpd with STARTTLS, pymap for IMAP; held mail and undo."""

from __future__ import annotations

import imaplib
import time
from pathlib import Path

import pytest

from tests.integration.tools.servers import SmtpSink, free_port
from tests.tool_helpers import make_service
from tools.communication.mail_services import ImapService, SmtpService
from tools.communication.outbox import Outbox
from tools.gate import ToolCall
from tools.store import VolatileStore

pytestmark = pytest.mark.slow
MAIL = {"to": ["bob@example.com"], "subject": "Lunch", "body": "Friday at one?"}


def mail_service(tmp_path: Path, smtp: SmtpSink, level: int, hold: float = 30.0,
                 **kwargs: object):
    sender = SmtpService("127.0.0.1", smtp.port, "starttls", sender="me@example.com",
                         ca_file=str(smtp.cert))
    store = VolatileStore()
    return make_service(tmp_path, level, store=store, recipients=("bob@example.com",),
                        services={"smtp": sender, "outbox": Outbox(store, sender)},
                        mail_hold_s=hold, **kwargs)


def test_mail_is_held_then_leaves_over_starttls(tmp_path: Path, smtp: SmtpSink) -> None:
    service = mail_service(tmp_path, smtp, level=2, hold=0.3)
    result = service.call(ToolCall("email_send", MAIL))
    assert result.status == "done" and result.result["status"] == "held"
    assert service.dispatch_due() == [] and smtp.messages == []
    time.sleep(0.35)
    assert service.dispatch_due() == [result.action_id]
    assert len(smtp.messages) == 1
    envelope = smtp.messages[0]
    assert envelope.rcpt_tos == ["bob@example.com"]
    assert b"Friday at one?" in envelope.content
    events = [e["event"] for e in service.audit.entries(result.action_id)]
    assert events == ["decided", "done", "sent"]
    with pytest.raises(Exception, match="sent mail cannot be recalled"):
        service.undo(result.action_id)


def test_undo_inside_the_window_cancels_the_mail(tmp_path: Path, smtp: SmtpSink) -> None:
    service = mail_service(tmp_path, smtp, level=2, hold=0.2)
    result = service.call(ToolCall("email_send", MAIL))
    assert "cancelled" in service.undo(result.action_id)
    time.sleep(0.3)
    assert service.dispatch_due() == []
    assert smtp.messages == []


def test_level_1_asks_first_and_level_3_sends_at_once(tmp_path: Path, smtp: SmtpSink) -> None:
    asking = mail_service(tmp_path, smtp, level=1)
    waiting = asking.call(ToolCall("email_send", MAIL))
    assert waiting.status == "review" and "level 1" in waiting.decision["reason"]
    assert smtp.messages == []
    direct = mail_service(tmp_path, smtp, level=3)
    sent = direct.call(ToolCall("email_send", MAIL))
    assert sent.result["status"] == "sent" and not sent.undoable
    assert len(smtp.messages) == 1


def test_smtp_failures_are_clear(tmp_path: Path, smtp: SmtpSink) -> None:
    nobody = SmtpService("127.0.0.1", free_port(), "starttls", sender="me@example.com",
                         timeout_s=2)
    service = make_service(tmp_path, 3, recipients=("bob@example.com",),
                           services={"smtp": nobody})
    result = service.call(ToolCall("email_send", MAIL))
    assert result.status == "failed" and "sending mail through 127.0.0.1" in result.error
    untrusted_tls = SmtpService("127.0.0.1", smtp.port, "starttls", sender="me@example.com")
    service = make_service(tmp_path, 3, services={"smtp": untrusted_tls})
    assert "CERTIFICATE_VERIFY_FAILED" in service.call(ToolCall("email_send", MAIL)).error
    bad = service.call(ToolCall("email_send", {**MAIL, "to": ["not-an-address"]}))
    assert "not a plain e-mail address" in bad.error


def test_reading_mail_over_imap(tmp_path: Path, imap: int) -> None:
    client = imaplib.IMAP4("127.0.0.1", imap)
    client.login("me", "imap-pass")
    client.append("INBOX", None, imaplib.Time2Internaldate(time.time()),
                  b"From: ann@example.com\r\nTo: me@example.com\r\nSubject: Minutes\r\n\r\n"
                  b"The minutes of Monday.\r\n")
    client.logout()
    reader = ImapService("127.0.0.1", imap, "none", "me", "imap-pass")
    service = make_service(tmp_path, services={"imap": reader})
    result = service.call(ToolCall("email_read", {"limit": 5}))
    assert result.status == "done", result.error
    assert any(m["subject"] == "Minutes" and "minutes of Monday" in m["text"]
               for m in result.result)
    wrong = make_service(tmp_path, services={"imap": ImapService("127.0.0.1", imap, "none",
                                                                 "me", "wrong")})
    assert "reading mail from" in wrong.call(ToolCall("email_read", {})).error
