"""Putting an agent together for one process: the router, the memory (if set up and
unlockable), the tools over the encrypted action store, and the settings' personality."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from agent import tool_wiring
from agent.events import Notification
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
    metrics: Any = None
    profile: Any = None
    background: Any = None
    seen: set[str] = field(default_factory=set)

    def approve(self, review_id: str, arguments: dict[str, Any] | None = None) -> Any:
        """Run an action waiting for review (outside a turn), and count its outcome in the
        tool success figure as a turn would."""
        from agent.events import action_event

        result = self.tools.approve(review_id, arguments)
        if self.metrics is not None and result.status != "review":
            self.metrics.observe(action_event(result))
        return result

    def reflector(self, notify: Any = None) -> Any:
        """The reflection jobs over this process's memory and model (None without memory)."""
        from agent.jobs import Reflector
        from agent.scheduler import Schedule

        if self.memory is None:
            return None
        s = self.profile.settings
        schedule = Schedule(self.profile.paths.data_dir / "schedule.json")
        return Reflector(self.memory, self.agent.router, metrics=self.metrics,
                         tools=self.tools, retention_days=s["memory.retention_days"],
                         last_run=schedule.last, notify=notify or (lambda n: None),
                         weights=goal_weights(s["agent.goal_weights"]))

    def start_background(self, notify: Any, idle_s: float = 300.0) -> None:
        """Reflection when due (and idle), nudges, and the heartbeat, in a thread: for the
        processes that stay up (chat, serve, the app)."""
        from agent.jobs import nudges
        from agent.scheduler import Background, Schedule

        reflector = self.reflector(notify)
        schedule = Schedule(self.profile.paths.data_dir / "schedule.json")

        def run_job(job: str) -> None:
            with self.agent.turn_lock:
                reports = reflector.run(job) if reflector else []
            for report in reports:
                notify_done(report)

        def notify_done(report: Any) -> None:
            text = worth_telling(report)
            if text:
                notify(Notification(f"{report.job.capitalize()} reflection done", text,
                                    "reflection"))

        s = self.profile.settings

        def extra() -> None:
            with self.agent.turn_lock:
                found = nudges(self.memory, self.tools, s["agent.proactivity"], self.seen)
            if self.metrics is not None:
                self.metrics.heartbeat()
                for alert in self.metrics.alerts():  # also logged as warnings
                    key = f"alert:{alert['kind']}"
                    if key not in self.seen:
                        self.seen.add(key)
                        found.append(Notification("Famulus needs attention", alert["text"],
                                                  "alert"))
            for n in found:
                notify(n)

        if self.metrics is not None:
            self.metrics.set_state("running", "yes")
        self.background = Background(schedule, run_job, lambda: self.agent.idle_for() >=
                                     idle_s, extra=extra).start()


def worth_telling(report: Any) -> str:
    """What a finished reflection has to tell, or "" when nothing (a fresh install's
    catch-up runs find no goals and no turns: no notification for that)."""
    if report.facts:
        return f"{len(report.facts)} facts learned"
    first = (report.summary or "").splitlines()[0] if report.summary else ""
    if not first or first.startswith("No open goals") or first.startswith("This month: 0 "):
        return ""
    return first


def goal_weights(values: list[str]) -> tuple[float, float, float]:
    """urgency, importance, preference weights from the agent.goal_weights setting."""
    try:
        u, i, p = (float(v) for v in values)
    except ValueError:
        from agent.settings import SettingError

        raise SettingError("agent.goal_weights: three numbers, e.g. 0.4,0.3,0.3") from None
    return u, i, p


def config(profile: Profile) -> AgentConfig:
    s = profile.settings
    return AgentConfig(Personality(s["agent.tone"], s["agent.verbosity"],
                                   s["agent.proactivity"]),
                       generation_options(profile), s["agent.max_steps"],
                       s["agent.max_tools"], s["models.context_length"],
                       s["agent.token_budget"])


def memory_needs(profile: Profile) -> str:
    """What opening the memory needs: "setup" (no vault yet), "passphrase", or "nothing"
    (a session key in RAM, a remembered device, or FAMULUS_PASSPHRASE)."""
    from memory import ramdir
    from memory.errors import VaultLocked, WrongPassphrase
    from memory.session import obtain_key
    from memory.vault import Vault

    root = memory_root(profile)
    if not (root / "vault.json").exists():
        return "setup"
    vault = Vault.load(root / "vault.json")
    try:
        obtain_key(vault, ramdir.ram_path(vault.vault_id, root), None, None)
    except (VaultLocked, WrongPassphrase):
        return "passphrase"
    return "nothing"


def _open_memory(profile: Profile, notes: list[str], passphrase: str | None = None) -> Any:
    from agent.runtime import open_memory
    from memory.errors import MemoryBusy, VaultLocked, VaultMissing

    if passphrase is not None:  # the window asked for it; a wrong one raises
        return open_memory(profile, passphrase=passphrase)
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
              progress: Progress | None = None, passphrase: str | None = None
              ) -> Iterator[AgentParts]:
    """An agent for this process; memory is sealed and everything closed on the way out."""
    from agent.grounding import Grounding

    notes: list[str] = []
    memory = _open_memory(profile, notes, passphrase) if use_memory else None
    tools = _tools(profile, memory, autonomy) if memory is not None else None
    grounding = Grounding(memory, profile.settings["agent.memory_budget_tokens"]) \
        if memory is not None else None
    from agent.metrics import Metrics

    router = build_router(profile, model, backend, progress)
    metrics = Metrics(profile.paths.data_dir / "metrics.db")
    agent = Agent(router, config(profile), grounding, tools, [metrics.observe])
    parts = AgentParts(agent, memory, tools, notes, metrics, profile)
    try:
        yield parts
    finally:
        if parts.background is not None:
            parts.background.stop()
            metrics.set_state("running", "no")
        metrics.close()
        router.close()
        if tools is not None:
            tools.store.close()
        if memory is not None:
            memory.close(lock=not memory.session_open)
