"""Property-based fuzzing of the gate and the service: for any call whatsoever, no
unhandled exception, and nothing that fails validation ever executes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tool_helpers import make_service
from tools.catalog import builtin_tools
from tools.context import Outcome, ToolContext
from tools.declare import Tool
from tools.gate import Origin, ToolCall
from tools.validation import validate

ROOT = Path(tempfile.mkdtemp(prefix="famulus-fuzz-"))
executed: list[tuple[str, Any]] = []


def spy(t: Tool) -> Tool:
    """The tool with its manifest, but recording instead of acting."""

    def run(ctx: ToolContext, arguments: dict[str, Any]) -> Outcome:
        executed.append((t.name, arguments))
        return Outcome("ok")

    return Tool(t.manifest, run)


SPIES = [spy(t) for t in builtin_tools()]
NAMES = [t.name for t in SPIES]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) |
    st.text(max_size=30) | st.sampled_from(["../x", "/etc/passwd", "a.txt", "https://x.org",
                                            "bob@example.com", "create", "slack"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=12)


def arguments_for(name: str) -> st.SearchStrategy[Any]:
    props = next(t for t in SPIES if t.name == name).manifest.parameters["properties"]
    keys = st.sampled_from([*props, "bogus"]) if props else st.just("bogus")
    return st.dictionaries(keys, json_values, max_size=len(props) + 1) | json_values


calls = st.one_of(
    st.sampled_from(NAMES).flatmap(lambda n: st.tuples(st.just(n), arguments_for(n))),
    st.tuples(st.text(max_size=20) | st.integers() | st.none() | st.lists(st.text()),
              json_values))


@settings(max_examples=1200, deadline=None, suppress_health_check=list(HealthCheck))
@given(call=calls, level=st.integers(0, 3), origin=st.sampled_from(list(Origin)),
       confidence=st.floats(0, 1) | json_values)
def test_any_call_is_handled_and_invalid_ones_never_run(call: tuple[Any, Any], level: int,
                                                        origin: Origin,
                                                        confidence: Any) -> None:
    service = make_service(ROOT, level, tools=SPIES, hosts=("x.org",))
    executed.clear()
    name, arguments = call
    result = service.call(ToolCall(name, arguments, origin, confidence))
    assert result.status in ("done", "refused", "review")
    if result.status == "review":  # the person approving does not bypass validation
        result = service.approve(result.review_id)
    for ran_name, ran_args in executed:
        validate(next(t for t in SPIES if t.name == ran_name).manifest, ran_args)
    if result.status == "done":
        assert executed == [(name, arguments)]
    else:
        assert executed == []
    assert service.audit.verify() >= 1


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(first=st.sampled_from([t.name for t in SPIES if t.manifest.untrusted_output]),
       then=st.lists(st.sampled_from(NAMES).flatmap(
           lambda n: st.tuples(st.just(n), arguments_for(n))), min_size=1, max_size=6),
       level=st.integers(1, 2))
def test_after_untrusted_content_nothing_leaves_and_nothing_changes_unreviewed(
        first: str, then: list[tuple[str, Any]], level: int) -> None:
    """Whatever a hijacked model calls after reading outside text, at levels 1 and 2 no
    call that can reach the network and no call that changes anything runs without the
    person's decision: only local reads run."""
    from tools.gate import sends_out
    from tools.manifest import Risk

    service = make_service(ROOT, level, tools=SPIES, hosts=("x.org",),
                           recipients=("bob@example.com",))
    session = service.session()
    session.tainted_by.append(f"{first} (A0)")  # as if its result had just come in
    executed.clear()
    for name, arguments in then:
        result = session.call(name, arguments)
        assert result.status in ("done", "refused", "review", "failed")
    for name, _arguments in executed:
        manifest = next(t for t in SPIES if t.name == name).manifest
        assert manifest.risk == Risk.READ and not sends_out(manifest), name
