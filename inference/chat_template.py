"""Turn a conversation into the prompt text a local model expects.

We render the chat template stored in the GGUF (as llama.cpp's own server does, in a
sandboxed Jinja environment), so any instruction-tuned model gets its own format; a model
without one gets ChatML.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from inference.errors import ModelFileError
from inference.messages import ChatMessage, ToolSpec

CHATML = (
    "{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}"
    "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def _raise(message: str) -> None:
    raise TemplateError(message)


def _template_message(message: ChatMessage) -> dict[str, Any]:
    data: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.tool_calls:
        data["tool_calls"] = [
            {"type": "function", "id": c.id,
             "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls
        ]
    if message.tool_call_id:
        data["tool_call_id"] = message.tool_call_id
    return data


class ChatTemplate:
    """A compiled chat template with the model's special tokens."""

    def __init__(self, source: str | None, bos_token: str = "", eos_token: str = "") -> None:
        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        env.filters["tojson"] = lambda value, **kw: json.dumps(value, ensure_ascii=False, **kw)
        env.globals["raise_exception"] = _raise
        try:
            self._template = env.from_string(source or CHATML)
        except TemplateError as exc:
            raise ModelFileError(f"the model's chat template does not compile: {exc}") from None
        self.bos_token, self.eos_token = bos_token, eos_token
        self.supports_tools = bool(source and "tools" in source)

    def render(self, messages: Sequence[ChatMessage], tools: Sequence[ToolSpec] = ()) -> str:
        """The prompt for `messages`, ending where the assistant's answer begins."""
        try:
            return self._template.render(
                messages=[_template_message(m) for m in messages],
                tools=[t.to_openai() for t in tools] or None,
                add_generation_prompt=True,
                bos_token=self.bos_token,
                eos_token=self.eos_token,
            )
        except TemplateError as exc:
            raise ModelFileError(f"the model's chat template failed: {exc}") from None
