"""One turn's state and the agent's settings: what the loop (agent/loop.py) gathers while
it answers one message, and the limits and manner it answers within."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agent.events import AgentEvent
from agent.message import Message
from agent.prompt import Personality
from agent.withhold import Withheld
from inference.messages import GenerationOptions, GenerationStats

REMEMBER = re.compile(r"^\s*(?:please\s+)?(?:remember|don'?t forget|do not forget|note)"
                      r"(?:\s+that)?\s*[:,]?\s+(?P<what>\S.*)$", re.I | re.S)
SPOKEN = ("This reply will be spoken: begin with one short sentence that answers, then add "
          "anything more.")
# What an interface answers when a call waits: True runs it, a dict runs it with edited
# arguments, False denies it, None leaves it in the queue.
Approver = Callable[[Any], bool | dict[str, Any] | None]
Observer = Callable[[AgentEvent], None]


@dataclass
class AgentConfig:
    """The agent's limits and manner (from the agent.* settings)."""

    personality: Personality = field(default_factory=Personality)
    options: GenerationOptions = field(default_factory=GenerationOptions)
    max_steps: int = 5
    max_tools: int = 6
    context_tokens: int = 4096
    token_budget: int = 2048  # completion tokens one turn may spend across its steps
    # a change its tool tells in a sentence is the answer, without another model call
    # (False: the model writes the confirmation, as before; bench/tool_turn.py compares)
    tools_tell_changes: bool = True


@dataclass
class Turn:
    """What one turn has gathered so far."""

    message: Message
    started: float = field(default_factory=time.perf_counter)
    answer: str = ""
    timings: dict[str, float | None] = field(default_factory=lambda: {
        "retrieve_s": 0.0, "model_s": 0.0, "first_token_s": None, "tools_s": 0.0,
        "store_s": 0.0, "total_s": 0.0})
    stats: GenerationStats | None = None
    steps: int = 0
    memories: list[str] = field(default_factory=list)
    untrusted: list[str] = field(default_factory=list)  # what brought outside text in
    held: Withheld = field(default_factory=Withheld)  # the last step's text held back
    checked: bool = False  # the answer's numbers were questioned once already

    def since_start(self) -> float:
        return time.perf_counter() - self.started
