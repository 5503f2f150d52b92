import pytest

from inference import toolcalls
from inference.messages import ToolSpec

WEATHER = ToolSpec("get_weather", "Weather for a city", {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]})
NOTE = ToolSpec("add_note", "Save a note", {
    "type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]})


def test_parse_native_call() -> None:
    text = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>'
    plain, calls, errors = toolcalls.parse(text, [WEATHER])
    assert plain == "" and errors == []
    assert (calls[0].name, calls[0].arguments) == ("get_weather", {"city": "Oslo"})


def test_parse_reports_invalid_and_unknown_calls() -> None:
    text = ('Sure.<tool_call>{"name": "launch", "arguments": {}}</tool_call>'
            '<tool_call>{"name": "get_weather", "arguments": </tool_call>')
    plain, calls, errors = toolcalls.parse(text, [WEATHER])
    assert plain == "Sure." and calls == []
    assert "unknown tool 'launch'" in errors[0] and "not valid JSON" in errors[1]


def test_grammar_compiles_in_llama_cpp() -> None:
    from llama_cpp import LlamaGrammar

    source = toolcalls.grammar([WEATHER, NOTE])
    assert source.startswith("root ::=") and "call ::=" in source
    LlamaGrammar.from_string(source, verbose=False)


@pytest.mark.parametrize(("pieces", "verdict"), [
    (["Hello"], "text"),
    (["```", "json\n", "{", '"na', 'me"'], "call"),
    (["{", ' "name"'], "call"),
    (["```python\n"], "text"),
    (["{", '"city"'], "text"),
    (["   "], None),
    (["```"], None),
])
def test_call_intent(pieces: list[str], verdict: str | None) -> None:
    intent = toolcalls.CallIntent()
    result = None
    for piece in pieces:
        result = intent.feed(piece)
    assert result == verdict


def test_parse_calls_reads_fenced_and_bare_json() -> None:
    fenced = '```json\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n```'
    calls, errors = toolcalls.parse_calls(fenced, [WEATHER])
    assert errors == [] and calls[0].arguments == {"city": "Oslo"}
    calls, errors = toolcalls.parse_calls('{"name": "add_note", "arguments": {"text": "x"}} ok',
                                          [WEATHER, NOTE])
    assert calls[0].name == "add_note"


def test_repeated_calls_are_noticed_and_dropped() -> None:
    block = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>'
    other = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Rome"}}\n</tool_call>'
    assert not toolcalls.repeats_itself(block + "\n" + other)
    assert toolcalls.repeats_itself(block + "\n" + other + "\n" + block)
    calls, _ = toolcalls.parse_calls(block + "\n" + block, [WEATHER])
    assert len(calls) == 1


def test_calls_written_the_ways_small_models_write_them_are_read() -> None:
    note = '{"name": "add_note", "arguments": {"text": "milk"}}'
    for written in ("{" + note + "}",  # double braces
                    f"<tool_call>\n{note}",  # no closing tag
                    f"To add it, call the tool like this:\n```json\n{note}\n```\nThen done.",
                    f"Use {{text}} as the field. {note}"):
        calls, errors = toolcalls.parse_calls(written, [NOTE])
        assert [(c.name, c.arguments) for c in calls] == [("add_note", {"text": "milk"})], \
            (written, errors)


def test_a_call_in_double_braces_is_seen_as_a_call_from_its_start() -> None:
    intent = toolcalls.CallIntent()
    assert intent.feed("{{") is None
    assert intent.feed('"name": "add_note"') == "call"


def test_optional_arguments_the_model_left_empty_are_left_out() -> None:
    spec = ToolSpec("find", "Find", {"type": "object", "properties": {
        "q": {"type": "string"}, "near": {"type": "string"}, "limit": {"type": "integer"}},
        "required": ["q"]})
    call = toolcalls.parse_call('{"name": "find", "arguments": {"q": "null", '
                                '"near": "null", "limit": 0}}', [spec])
    assert call.arguments == {"q": "null", "limit": 0}  # what is required stays as written
