import pytest

from inference.errors import AllBackendsFailed, InvalidRequest
from inference.messages import ChatMessage, ChatRequest, Fallback, Finished, StreamEvent, TextDelta
from inference.router import Router
from tests.fakes import ScriptedBackend as Scripted

REQUEST = ChatRequest((ChatMessage("user", "hello"),))


def _run(router: Router) -> list[StreamEvent]:
    return list(router.stream(REQUEST))


def test_first_backend_answers() -> None:
    events = _run(Router([Scripted("local", ["hi"]), Scripted("cloud", ["no"])]))
    assert [e.text for e in events if isinstance(e, TextDelta)] == ["hi"]


def test_failure_mid_stream_falls_back_and_says_so() -> None:
    router = Router([Scripted("cloud", ["par", "tial"], fail_after=1), Scripted("local", ["ok"])],
                    allow_cloud=True, remote=["cloud"])
    events = _run(router)
    fallback = next(e for e in events if isinstance(e, Fallback))
    assert (fallback.failed, fallback.next) == ("cloud", "local")
    assert "within 1 s" in fallback.reason
    assert isinstance(events[-1], Finished) and events[-1].stats.backend == "local"
    record = router.last_record
    assert record.answered_by == "local" and record.fell_back
    assert [a.outcome for a in record.attempts] == ["failed", "answered"]


def test_privacy_switch_skips_remote_backends() -> None:
    cloud = Scripted("cloud", ["leak"])
    router = Router([cloud, Scripted("local", ["ok"])], allow_cloud=False, remote=["cloud"])
    _run(router)
    assert cloud.calls == 0
    assert router.last_record.attempts[0].outcome == "skipped"


def test_all_failing_lists_every_reason() -> None:
    router = Router([Scripted("local", ["x"], fail_after=0)], remote=["cloud"])
    with pytest.raises(AllBackendsFailed, match="local failed: local did not answer"):
        _run(router)


def test_empty_prompt_is_refused_before_any_backend() -> None:
    local = Scripted("local", ["x"])
    with pytest.raises(InvalidRequest, match="empty"):
        list(Router([local]).stream(ChatRequest((ChatMessage("user", "  "),))))
    assert local.calls == 0
