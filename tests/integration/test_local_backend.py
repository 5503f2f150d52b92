"""The local backend on the real light model through llama.cpp, on one thread."""

from pathlib import Path

import pytest

from inference.local import LocalBackend
from inference.local_loader import LocalModelConfig
from inference.messages import (
    ChatMessage,
    ChatRequest,
    Finished,
    GenerationOptions,
    TextDelta,
    ToolCallReady,
    ToolSpec,
)

pytestmark = pytest.mark.slow

GREEDY = GenerationOptions(max_tokens=48, temperature=0.0, seed=1)
WEATHER = ToolSpec("get_weather", "Get the current weather for a city", {
    "type": "object",
    "properties": {"city": {"type": "string"},
                   "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
    "required": ["city"]})


@pytest.fixture(scope="module")
def backend(light_model: Path) -> LocalBackend:
    local = LocalBackend(LocalModelConfig(light_model, n_ctx=2048, n_threads=1))
    yield local
    local.close()


def _ask(backend: LocalBackend, text: str, tools: tuple[ToolSpec, ...] = (),
         history: tuple[ChatMessage, ...] = ()) -> list:
    request = ChatRequest((*history, ChatMessage("user", text)), tools=tools, options=GREEDY)
    return list(backend.stream(request))


def test_loads_on_the_cpu_and_says_why(backend: LocalBackend) -> None:
    report = backend.load()
    assert report.n_threads == 1
    assert report.device in ("cpu", "gpu") and report.reason


def test_streams_a_chat_answer(backend: LocalBackend) -> None:
    events = _ask(backend, "What is the capital of France? Answer in one sentence.")
    deltas = [e.text for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 2, "the answer should arrive in pieces"
    assert "Paris" in "".join(deltas)
    stats = events[-1].stats
    assert isinstance(events[-1], Finished) and stats.completion_tokens >= len(deltas)
    assert stats.time_to_first_token_s is not None and stats.tokens_per_s


def test_tool_call_is_parsed_into_a_tool_call(backend: LocalBackend) -> None:
    events = _ask(backend, "What's the weather in Paris right now?", tools=(WEATHER,))
    calls = [e.call for e in events if isinstance(e, ToolCallReady)]
    assert len(calls) == 1
    assert calls[0].name == "get_weather" and calls[0].arguments["city"] == "Paris"
    assert events[-1].stats.finish_reason == "tool_calls"


def test_plain_answer_when_no_tool_applies(backend: LocalBackend) -> None:
    events = _ask(backend, "Write a two-line poem about autumn leaves.", tools=(WEATHER,))
    assert not [e for e in events if isinstance(e, ToolCallReady)]
    assert "".join(e.text for e in events if isinstance(e, TextDelta)).strip()


def test_next_turn_reuses_the_cached_prompt(backend: LocalBackend) -> None:
    first = ChatMessage("user", "Name a fruit that is yellow.")
    events = _ask(backend, first.content)
    answer = "".join(e.text for e in events if isinstance(e, TextDelta))
    history = (first, ChatMessage("assistant", answer))
    stats = _ask(backend, "And one that is red?", history=history)[-1].stats
    assert stats.reused_prompt_tokens > 0.7 * stats.prompt_tokens


def test_unconstrained_mode_still_parses_calls(backend: LocalBackend) -> None:
    request = ChatRequest((ChatMessage("user", "Weather in Tokyo in fahrenheit?"),),
                          tools=(WEATHER,), options=GREEDY, constrain_tool_calls=False)
    calls = [e.call for e in backend.stream(request) if isinstance(e, ToolCallReady)]
    assert calls and calls[0].arguments.get("city") == "Tokyo"


BMI = ToolSpec("determine_body_mass_index", "Calculate body mass index given weight and height.", {
    "type": "object", "properties": {"weight": {"type": "number"}, "height": {"type": "number"}},
    "required": ["weight", "height"]})
TRIANGLE = "Calculate the area of a triangle with base 10 meters and height 5 meters."


def test_calls_carry_the_model_confidence(backend: LocalBackend) -> None:
    events = _ask(backend, "What's the weather in Paris right now?", tools=(WEATHER,))
    call = next(e.call for e in events if isinstance(e, ToolCallReady))
    assert call.confidence is not None and 0.0 < call.confidence <= 1.0
    assert events[-1].stats.call_confidence == call.confidence


def test_unsure_call_is_declined_and_answered_in_words(backend: LocalBackend) -> None:
    sure = ChatRequest((ChatMessage("user", TRIANGLE),), tools=(BMI,), options=GREEDY)
    unsure = ChatRequest(sure.messages, tools=(BMI,), options=GenerationOptions(
        max_tokens=48, temperature=0.0, min_call_confidence=0.99))
    calls = [e for e in backend.stream(sure) if isinstance(e, ToolCallReady)]
    assert calls, "without a threshold this small model calls the wrong tool"
    events = list(backend.stream(unsure))
    assert not [e for e in events if isinstance(e, ToolCallReady)]
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert text.strip() and not text.lstrip().startswith(("{", "<", "`"))
    assert events[-1].stats.calls_declined == 1
