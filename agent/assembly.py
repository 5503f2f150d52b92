"""Putting an agent together for one process: the router, the memory (if set up and
unlockable), the tools over the encrypted action store, and the settings' personality."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from agent import tool_wiring
from agent.loop import Agent, AgentConfig
from agent.prompt import Personality
from agent.runtime import Profile, build_router, generation_options, memory_root
from inference.embedded import Progress


@dataclass
class AgentParts:
    """An agent and what it holds open; `notes` says what it runs without, and why."""

    agent: Agent
    memory: Any = None
    tools: Any = None
    notes: list[str] = field(default_factory=list)


def config(profile: Profile) -> AgentConfig:
    s = profile.settings
    return AgentConfig(Personality(s["agent.tone"], s["agent.verbosity"],
                                   s["agent.proactivity"]),
                       generation_options(profile), s["agent.max_steps"],
                       s["agent.max_tools"], s["models.context_length"])


def _open_memory(profile: Profile, notes: list[str]) -> Any:
    from agent.runtime import open_memory
    from memory.errors import MemoryBusy, VaultLocked, VaultMissing

    if not (memory_root(profile) / "vault.json").exists():
        notes.append("memory is not set up (`famulus memory init`): answering without it")
        return None
    try:
        return open_memory(profile)
    except VaultLocked:
        if not sys.stdin.isatty():
            notes.append("memory is locked (`famulus memory unlock`, or FAMULUS_PASSPHRASE): "
                         "answering without memory and tools")
            return None
        import getpass

        return open_memory(profile, passphrase=getpass.getpass("Memory passphrase: "))
    except (MemoryBusy, VaultMissing) as exc:
        notes.append(f"{exc}: answering without memory and tools")
        return None


def _tools(profile: Profile, memory: Any, autonomy: int | None) -> Any:
    from agent.memory_tools import TOOLS as MEMORY_TOOLS
    from memory.actions import FILE, ActionDatabase

    store = ActionDatabase(memory.paths.root / FILE, memory.key)
    registry, _ = tool_wiring.registry(profile)
    for t in MEMORY_TOOLS:
        registry.add(t)
    service = tool_wiring.build_service(profile, store, registry, autonomy)
    service.services["memory"] = memory
    service.dispatch_due()
    return service


@contextlib.contextmanager
def assembled(profile: Profile, model: str | None = None, backend: str | None = None,
              use_memory: bool = True, autonomy: int | None = None,
              progress: Progress | None = None) -> Iterator[AgentParts]:
    """An agent for this process; memory is sealed and everything closed on the way out."""
    from agent.grounding import Grounding

    notes: list[str] = []
    memory = _open_memory(profile, notes) if use_memory else None
    tools = _tools(profile, memory, autonomy) if memory is not None else None
    grounding = Grounding(memory, profile.settings["agent.memory_budget_tokens"]) \
        if memory is not None else None
    router = build_router(profile, model, backend, progress)
    parts = AgentParts(Agent(router, config(profile), grounding, tools), memory, tools, notes)
    try:
        yield parts
    finally:
        router.close()
        if tools is not None:
            tools.store.close()
        if memory is not None:
            memory.close(lock=not memory.session_open)
