"""Every schema a tool may bring decodes: the grammar is built without an exception, and
llama.cpp accepts it; what normalising changes never narrows what the schema allows."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inference import schemas, toolcalls
from inference.messages import ToolSpec

TYPE_NAMES = ["string", "integer", "number", "boolean", "object", "array", "null", "float",
              "dict", "tuple", "any", "int", "list", "str", "mystery"]
leaf = st.one_of(
    st.booleans(),
    st.fixed_dictionaries({}, optional={"type": st.sampled_from(TYPE_NAMES) |
                                        st.lists(st.sampled_from(TYPE_NAMES), max_size=3),
                                        "description": st.text(max_size=20),
                                        "enum": st.lists(st.integers() | st.text(max_size=5),
                                                         max_size=4),
                                        "minimum": st.integers(-5, 5),
                                        "default": st.integers()}))
schema_strategy = st.recursive(leaf, lambda inner: st.one_of(
    st.fixed_dictionaries({"type": st.just("object")},
                          optional={"properties": st.dictionaries(st.text(min_size=1,
                                                                          max_size=6),
                                                                  inner, max_size=4),
                                    "required": st.lists(st.text(max_size=6), max_size=3)}),
    st.fixed_dictionaries({"type": st.just("array")}, optional={"items": inner,
                                                                "enum": st.lists(
                                                                    st.text(max_size=4),
                                                                    max_size=3)}),
    st.fixed_dictionaries({"anyOf": st.lists(inner, max_size=3)}),
    st.fixed_dictionaries({"$ref": st.just("#/$defs/A")},
                          optional={"$defs": st.fixed_dictionaries({"A": inner})})),
    max_leaves=10)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(parameters=schema_strategy)
def test_any_schema_gives_a_grammar_llama_cpp_accepts(parameters: object) -> None:
    from llama_cpp import LlamaGrammar

    tools = [ToolSpec("odd_tool", "a tool with any schema", parameters),  # type: ignore
             ToolSpec("add_note", "Save a note", {"type": "object", "properties": {
                 "text": {"type": "string"}}, "required": ["text"]})]
    source = toolcalls.grammar(tools)
    assert LlamaGrammar.from_string(source, verbose=False) is not None


def test_the_schemas_small_models_stumbled_on() -> None:
    described = {"type": "object", "properties": {"city": {"description": "a city"}}}
    assert schemas.parameters(described)["properties"]["city"] == {}
    enum_array = {"type": "object", "properties": {"days": {"type": "array",
                                                            "enum": ["mon", "tue"]}}}
    days = schemas.parameters(enum_array)["properties"]["days"]
    assert days == {"type": "array", "items": {"enum": ["mon", "tue"]}}
    python_types = {"type": "dict", "properties": {"x": {"type": "float"},
                                                   "y": {"type": "tuple"}}}
    fixed = schemas.parameters(python_types)
    assert fixed["type"] == "object" and fixed["properties"]["x"]["type"] == "number"
    referenced = {"type": "object", "properties": {"a": {"$ref": "#/$defs/A"}},
                  "$defs": {"A": {"type": "string", "enum": ["x"]}}}
    assert schemas.parameters(referenced)["properties"]["a"] == {"type": "string",
                                                                 "enum": ["x"]}
    cycle = {"type": "object", "properties": {"n": {"$ref": "#/$defs/N"}},
             "$defs": {"N": {"type": "object", "properties": {"next": {"$ref": "#/$defs/N"}}}}}
    assert toolcalls.grammar([ToolSpec("chain", "a linked list", cycle)])


def test_java_type_names_and_items_of_any_kind_convert() -> None:
    """BFCL's Java tools: "ArrayList" of "any" (the converter raised KeyError on it)."""
    from inference import toolcalls
    from inference.messages import ToolSpec

    java = {"type": "dict", "properties": {"parts": {"type": "ArrayList",
                                                     "items": {"type": "any"}},
                                           "ch": {"type": "char"}}}
    fixed = schemas.parameters(java)
    assert fixed["properties"] == {"parts": {"type": "array"}, "ch": {"type": "string"}}
    assert toolcalls._gbnf(toolcalls.call_schema([ToolSpec("decode", "", java)])) is not None
