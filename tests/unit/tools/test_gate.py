"""The gate: decisions by autonomy level and risk, escalation, rate limits, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.boundaries import Boundaries
from tools.catalog import builtin_tools
from tools.gate import Gate, Origin, ToolCall, Verdict
from tools.manifest import RateLimit
from tools.ratelimit import RateLimiter
from tools.registry import Registry

READ = ToolCall("file_read", {"path": "a.txt"})
WRITE = ToolCall("file_write", {"path": "a.txt", "content": "x"})
MAIL_OK = ToolCall("email_send", {"to": ["bob@example.com"], "subject": "s", "body": "b"})
MAIL_OUT = ToolCall("email_send", {"to": ["eve@evil.example"], "subject": "s", "body": "b"})
HOOK = ToolCall("webhook_post", {"url": "https://hooks.example.com/x", "text": "hi"})
FETCH_OUT = ToolCall("web_fetch", {"url": "https://elsewhere.net/"})


def gate(tmp_path: Path, level: int) -> Gate:
    return Gate(Registry(builtin_tools()),
                Boundaries((tmp_path,), ("*.example.com",), ("bob@example.com",)), level)


@pytest.mark.parametrize("level, call, verdict", [
    (0, READ, Verdict.REVIEW), (0, WRITE, Verdict.REVIEW), (0, MAIL_OK, Verdict.REVIEW),
    (1, READ, Verdict.RUN), (1, WRITE, Verdict.RUN), (1, MAIL_OK, Verdict.REVIEW),
    (1, HOOK, Verdict.REVIEW), (1, FETCH_OUT, Verdict.REVIEW),
    (2, MAIL_OK, Verdict.RUN), (2, HOOK, Verdict.RUN), (2, MAIL_OUT, Verdict.REVIEW),
    (2, FETCH_OUT, Verdict.REVIEW),
    (3, MAIL_OUT, Verdict.RUN), (3, FETCH_OUT, Verdict.RUN), (3, WRITE, Verdict.RUN),
])
def test_levels_and_risks(tmp_path: Path, level: int, call: ToolCall, verdict: Verdict) -> None:
    decision = gate(tmp_path, level).decide(call)
    assert decision.verdict == verdict, decision.reason
    assert decision.reason


@pytest.mark.parametrize("level", [1, 2])
def test_untrusted_origin_and_low_confidence_escalate(tmp_path: Path, level: int) -> None:
    g = gate(tmp_path, level)
    tainted = ToolCall(WRITE.tool, WRITE.arguments, Origin.UNTRUSTED, source="web_fetch")
    unsure = ToolCall(WRITE.tool, WRITE.arguments, confidence=0.05)
    assert "after Famulus read a web page" in g.decide(tainted).reason
    assert g.decide(tainted).verdict == Verdict.REVIEW
    assert g.decide(unsure).verdict == Verdict.REVIEW
    reading = ToolCall(READ.tool, READ.arguments, Origin.UNTRUSTED)
    assert g.decide(reading).verdict == Verdict.RUN  # reading changes nothing


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_hard_boundaries_hold_at_every_level(tmp_path: Path, level: int) -> None:
    g = gate(tmp_path, level)
    for path in ("../escape.txt", "/etc/passwd"):
        decision = g.decide(ToolCall("file_write", {"path": path, "content": "x"}))
        assert decision.verdict == Verdict.REFUSE
        assert decision.error is not None
    # an approval does not lift them either
    assert g.decide(ToolCall("file_read", {"path": "/etc/passwd"}),
                    approved=True).verdict == Verdict.REFUSE


def test_invalid_arguments_are_refused_with_model_readable_errors(tmp_path: Path) -> None:
    g = gate(tmp_path, 3)
    decision = g.decide(ToolCall("file_write", {"path": 3, "extra": True}))
    assert decision.verdict == Verdict.REFUSE
    assert "'content' is required" in decision.reason
    assert "unknown argument" in decision.reason
    assert "path: 3 is not of type 'string'" in decision.reason
    assert g.decide(ToolCall("file_write", "not an object")).verdict == Verdict.REFUSE
    assert "no tool called" in g.decide(ToolCall("rm_rf", {})).reason


def test_rate_limits(tmp_path: Path) -> None:
    now = [0.0]
    limiter = RateLimiter(lambda: now[0])
    g = gate(tmp_path, 1)
    g.limiter = limiter
    limit = RateLimit(calls=2, per_s=10)
    assert limiter.take("t", limit) is None
    assert limiter.take("t", limit) is None
    assert limiter.take("t", limit) == pytest.approx(10)
    now[0] = 10.5
    assert limiter.take("t", limit) is None
    # through the gate: email_send allows 20 an hour
    g2 = gate(tmp_path, 3)
    verdicts = [g2.decide(MAIL_OK).verdict for _ in range(21)]
    assert verdicts[:20] == [Verdict.RUN] * 20
    last = g2.decide(MAIL_OK)
    assert last.verdict == Verdict.REFUSE and "try again in" in last.reason


def test_level_out_of_range(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        gate(tmp_path, 4)


@pytest.mark.parametrize("level", [1, 2])
def test_after_untrusted_content_nothing_reaches_the_network_unreviewed(
        tmp_path: Path, level: int) -> None:
    """A GET to an allowed host with secrets in its query leaks as well as mail does."""
    g = gate(tmp_path, level)
    allowed = ToolCall("web_fetch", {"url": "https://news.example.com/?d=PIN-1234"},
                       Origin.UNTRUSTED, source="web_fetch (A1)")
    decision = g.decide(allowed)
    assert decision.verdict == Verdict.REVIEW and "beyond this computer" in decision.reason
    assert g.decide(ToolCall(allowed.tool, allowed.arguments)).verdict == Verdict.RUN
    for call in (MAIL_OK, HOOK):
        tainted = ToolCall(call.tool, call.arguments, Origin.UNTRUSTED)
        assert g.decide(tainted).verdict == Verdict.REVIEW
    assert gate(tmp_path, 3).decide(allowed).verdict == Verdict.RUN  # level 3: audited


def test_oversized_arguments_and_paths_are_refused_with_a_reason(tmp_path: Path) -> None:
    g = Gate(Registry(builtin_tools()), Boundaries((tmp_path,)), 2, max_argument_bytes=1000)
    big = g.decide(ToolCall("file_write", {"path": "a.txt", "content": "x" * 2000}))
    assert big.verdict == Verdict.REFUSE and "at most 1.0 KiB" in big.reason
    g = Gate(Registry(builtin_tools()), Boundaries((tmp_path,)), 2)
    long = g.decide(ToolCall("file_write", {"path": "a" * 5000, "content": "x"}))
    assert long.verdict == Verdict.REFUSE and "at most 4096 characters" in long.reason
    name = g.decide(ToolCall("file_write", {"path": "d/" + "b" * 300, "content": "x"}))
    assert name.verdict == Verdict.REFUSE and "255 bytes" in name.reason
