"""Plans for multi-step requests: the model breaks the request into steps (a call forced
under the JSON grammar), the steps go into the prompt, and the loop carries them out
through the gate one tool round at a time."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from inference.messages import ChatMessage, ChatRequest, GenerationOptions, ToolCallReady, ToolSpec

MAX_STEPS = 6
JOINERS = re.compile(r"\b(?:and then|then|after that|afterwards|and also|finally)\b|;", re.I)
PLAN = ToolSpec("plan_steps", "The steps that carry out the request, in order.",
                {"type": "object", "properties": {"steps": {
                    "type": "array", "items": {"type": "string"}, "maxItems": MAX_STEPS}},
                 "required": ["steps"]})


def looks_multi_step(text: str) -> bool:
    """A request that joins several actions ("… and then …", "…; …")."""
    return len([part for part in JOINERS.split(text) if part.strip(" ,.")]) >= 2


SEVERAL = re.compile(r"\b(?:and|both|each|all|every)\b|,", re.I)


def asks_for_several(text: str) -> bool:
    """Whether a request names several things, so that several calls in one step may be
    right ("weather in Paris and Rome"); otherwise a second call in the same step is the
    model inventing a follow-up whose arguments it has not seen yet."""
    return looks_multi_step(text) or bool(SEVERAL.search(text))


def make_plan(router: Any, text: str, tools: Sequence[ToolSpec]) -> list[str]:
    """Up to MAX_STEPS short steps, each naming the tool it needs where one does."""
    names = "\n".join(f"- {t.name}: {t.description}" for t in tools)
    request = ChatRequest((ChatMessage("system", "Break the user's request into the few "
                                                 "steps that carry it out, in order, each "
                                                 "one short and naming the tool it uses. "
                                                 f"Tools:\n{names}"),
                           ChatMessage("user", text)), (PLAN,),
                          GenerationOptions(max_tokens=200, temperature=0.0),
                          require_tool_call=True)
    for event in router.stream(request):
        if isinstance(event, ToolCallReady) and event.call.name == PLAN.name:
            steps = event.call.arguments.get("steps") or []
            return [str(s).strip() for s in steps if str(s).strip()][:MAX_STEPS]
    return []


def render(steps: Sequence[str]) -> str:
    lines = "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1))
    return f"Plan for this request (carry it out step by step with the tools):\n{lines}"
