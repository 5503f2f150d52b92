"""The app's facade: one typed object every front end uses (the terminal, the window, the
API, voice) to run turns, decide about actions, set the autonomy level, use the memory and
lock it. `open_famulus` puts it together for one process from the profile's settings: the
router, the memory (if set up and unlockable), the tools over the encrypted action store,
the metrics; and closes (and seals) it all on the way out."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.errors import AgentError, Limitation, NextStep
from agent.events import AgentEvent, Notification, ToolUndone
from agent.loop import Agent, AgentConfig, Approver
from agent.message import Message, MessageContext
from agent.metrics import Metrics
from agent.prompt import Personality
from agent.tool_choice import ToolChooser
from app.actions import Actions
from app.aio import astream
from app.build_inference import build_router, generation_options
from app.build_memory import open_for_session
from app.profile import Profile
from inference.embedded import Progress

if TYPE_CHECKING:
    from agent.reflection.jobs import Reflector
    from agent.reflection.routine import Routine
    from memory.episodic import Hit
    from memory.store import Memory
    from tools.review import ReviewItem
    from tools.service import ActionResult

AskPassphrase = Callable[[], str]


@dataclass
class Famulus:
    """An agent with its memory, actions and metrics, for the lifetime of one front end."""

    agent: Agent
    metrics: Metrics | None = None
    memory: Memory | None = None
    actions: Actions | None = None
    limitations: list[Limitation] = field(default_factory=list)
    profile: Profile | None = None  # what reflection and the routine read their settings from
    routine: Routine | None = None

    # State -------------------------------------------------------------------------------
    @property
    def autonomy(self) -> int | None:
        """The autonomy level now, or None when tools are off (no memory)."""
        return self.actions.autonomy_level if self.actions else None

    @property
    def turn_lock(self) -> Any:
        """Held by a turn (or a reflection): one model, one memory handle."""
        return self.agent.turn_lock

    def warm_up(self) -> str:
        """Load the local model (and embed the tools' examples) now, so the first question
        does not wait for them; where the model runs, in words (or "cloud")."""
        if self.agent.chooser is not None and self.actions is not None:
            self.agent.chooser.prepare([t.manifest for t in self.actions.tools.registry])
        local = next((b for b in self.agent.router.backends if hasattr(b, "load")), None)
        return local.load().describe() if local is not None else "cloud"

    @property
    def last_route(self) -> dict[str, Any]:
        """Which backends the last request tried, and why (the router's record)."""
        return self.agent.router.last_record.to_dict()

    # Turns -------------------------------------------------------------------------------
    def turn(self, text: str, thread: str = "default", channel: str = "cli",
             approve: Approver | None = None, sender: str = "user") -> Iterator[AgentEvent]:
        """Answer one message, streaming typed events; the last is TurnFinished. Closing
        the iterator early stops the model at its next token; the turn is not kept."""
        message = Message(text, channel, sender, MessageContext(thread))
        try:
            yield from self.agent.run(message, approve)
        finally:
            if self.memory is not None:
                self.memory.seal_if_due()

    async def stream(self, text: str, thread: str = "default", channel: str = "api",
                     sender: str = "user") -> AsyncIterator[AgentEvent]:
        """`turn` for an event loop: the turn works in a thread, events arrive here."""
        async for event in astream(lambda: self.turn(text, thread, channel, None, sender)):
            yield event

    def new_thread(self, thread: str) -> None:
        """Forget this process's history of `thread` (memory keeps what was said)."""
        self.agent.reset(thread)

    # Actions -----------------------------------------------------------------------------
    def _actions(self) -> Actions:
        if self.actions is None:
            raise AgentError("tools are off: memory is not set up or not unlocked",
                             NextStep.UNLOCK_MEMORY)
        return self.actions

    def pending(self) -> list[ReviewItem]:
        return self.actions.pending() if self.actions else []

    def waiting(self) -> list[dict[str, Any]]:
        """The review items waiting, as dicts, each with `intent`: what it would do, in a
        sentence (tools.intents)."""
        from tools.intents import intent

        registry = self.actions.tools.registry if self.actions else None
        items = []
        for item in self.pending():
            tool, arguments = item.call["tool"], item.call["arguments"]
            described = registry.get(tool).manifest.description \
                if registry is not None and tool in registry else ""
            items.append({**item.to_dict(), "intent": intent(tool, arguments, described)})
        return items

    def approve(self, review_id: str, arguments: dict[str, Any] | None = None,
                note: str = "") -> ActionResult:
        """Run a waiting action between turns; counted in the metrics like any call."""
        with self.turn_lock:
            return self._actions().approve(review_id, arguments, note)

    def deny(self, review_id: str, note: str = "") -> ReviewItem:
        with self.turn_lock:
            return self._actions().deny(review_id, note)

    def undo(self, action_id: str) -> ToolUndone:
        with self.turn_lock:
            return self._actions().undo(action_id)

    def set_autonomy(self, level: int) -> None:
        """The autonomy level from now on, for this session."""
        self._actions().set_autonomy(level)

    def set_folders(self, folders: list[str]) -> None:
        """The folders file and data tools may use, from now on, for this session (the
        settings file keeps them for the next)."""
        self._actions().tools.folders = [Path(f).expanduser() for f in folders]

    # Memory ------------------------------------------------------------------------------
    def _memory(self) -> Memory:
        if self.memory is None:
            raise AgentError("memory is not set up or not unlocked", NextStep.UNLOCK_MEMORY)
        return self.memory

    def search_memory(self, query: str, k: int = 5) -> list[Hit]:
        """Episodes found by meaning and by words (everything for an empty query)."""
        with self.turn_lock:
            return self._memory().search(query or "*", k=k)

    def with_memory(self, work: Callable[[Memory], Any]) -> Any:
        """`work(memory)` between turns (browsing, correcting, backing up)."""
        with self.turn_lock:
            return work(self._memory())

    # Background --------------------------------------------------------------------------
    def reflector(self, notify: Callable[[Notification], None] | None = None
                  ) -> Reflector | None:
        """The reflection jobs over this memory and model (None without memory)."""
        from agent.reflection.jobs import Reflector
        from agent.reflection.scheduler import Schedule
        from app.settings import goal_weights

        if self.memory is None or self.profile is None:
            return None
        s = self.profile.settings
        schedule = Schedule(self.profile.paths.data_dir / "schedule.json")
        return Reflector(self.memory, self.agent.router, metrics=self.metrics,
                         tools=self.actions.tools if self.actions else None,
                         retention_days=s.memory.retention_days, last_run=schedule.last,
                         notify=notify or (lambda n: None),
                         weights=goal_weights(s.agent.goal_weights))

    def start_background(self, notify: Callable[[Notification], None],
                         idle_s: float = 300.0) -> None:
        """Reflection when due (and idle), nudges and the heartbeat, in a thread: for the
        front ends that stay up."""
        from agent.reflection.routine import Routine
        from agent.reflection.scheduler import Schedule

        if self.profile is None:
            raise AgentError("the background routine needs a profile")
        self.routine = Routine(
            self.agent, self.reflector(notify),
            Schedule(self.profile.paths.data_dir / "schedule.json"), notify,
            memory=self.memory, tools=self.actions.tools if self.actions else None,
            metrics=self.metrics, proactivity=self.profile.settings.agent.proactivity,
            idle_s=idle_s).start()

    # Closing -----------------------------------------------------------------------------
    def close(self, lock: bool = False) -> None:
        """Stop the routine, seal (and maybe lock) the memory, close the rest."""
        self.close_memory(lock)
        if self.metrics is not None:
            self.metrics.close()
        self.agent.router.close()

    def stop_routine(self) -> None:
        """Stop the background thread (its jobs use the memory: before it closes)."""
        if self.routine is not None:
            self.routine.stop()
            self.routine = None

    def close_memory(self, lock: bool = False) -> None:
        """Seal the memory and close it (locking it too when `lock`, or when no `famulus
        memory unlock` session keeps it open); tools are off from then on."""
        self.stop_routine()
        if self.actions is not None:
            self.actions.tools.store.close()
            self.actions = None
        if self.memory is not None:
            self.memory.close(lock=lock or not self.memory.session_open)
            self.memory = None


def agent_config(profile: Profile) -> AgentConfig:
    """The agent's manner and limits from the agent.* settings."""
    s = profile.settings
    return AgentConfig(Personality(s.agent.tone, s.agent.verbosity, s.agent.proactivity),
                       generation_options(profile), s.agent.max_steps, s.agent.max_tools,
                       s.models.context_length, s.agent.token_budget)


@contextlib.contextmanager
def open_famulus(profile: Profile, model: str | None = None, backend: str | None = None,
                 use_memory: bool = True, autonomy: int | None = None,
                 progress: Progress | None = None, passphrase: str | None = None,
                 ask_passphrase: AskPassphrase | None = None) -> Iterator[Famulus]:
    """Famulus for this process. A locked memory opens with `passphrase` (a wrong one
    raises WrongPassphrase), else by asking `ask_passphrase`, else the session runs
    without memory and tools and says so in `limitations`."""
    from agent.grounding import Grounding
    from app import build_tools

    limits: list[Limitation] = []
    with contextlib.ExitStack() as stack:
        memory = open_for_session(profile, limits, passphrase, ask_passphrase) \
            if use_memory else None
        if memory is not None:
            stack.callback(memory.close, lock=not memory.session_open)
        tools = build_tools.with_memory(profile, memory, autonomy) if memory else None
        if tools is not None:
            stack.callback(tools.store.close)
        grounding = Grounding(memory, profile.settings.agent.memory_budget_tokens) \
            if memory is not None else None
        metrics = stack.enter_context(contextlib.closing(
            Metrics(profile.paths.data_dir / "metrics.db")))
        router = stack.enter_context(contextlib.closing(
            build_router(profile, model, backend, progress)))
        # tool choice by meaning, with the embedding model memory already loaded
        chooser = ToolChooser(memory.embed) if memory is not None and memory.embed else None
        agent = Agent(router, agent_config(profile), grounding, tools, [metrics.observe],
                      chooser)
        famulus = Famulus(agent, metrics, memory, Actions(tools, metrics) if tools else None,
                          limits, profile)
        stack.pop_all()  # from here on, famulus.close closes all
        try:
            yield famulus
        finally:
            famulus.close()
