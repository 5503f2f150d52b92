"""The person's decisions about actions, from any front end: approve, deny, undo, and the
autonomy level. The one approve path: an action approved outside a turn counts in the tool
success figure exactly as one run inside a turn does."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from agent.events import ToolUndone, action_event
from agent.metrics import Metrics
from app import build_tools
from app.profile import Profile
from tools.review import ReviewItem
from tools.service import ActionResult, ToolService


class Actions:
    """Decisions about the actions of one ToolService, counted in `metrics`."""

    def __init__(self, tools: ToolService, metrics: Metrics | None = None) -> None:
        self.tools, self.metrics = tools, metrics

    @property
    def autonomy_level(self) -> int:
        return self.tools.autonomy_level

    def set_autonomy(self, level: int) -> None:
        """The autonomy level from now on, for this session (the gate and the tools)."""
        self.tools.autonomy_level = level

    def pending(self) -> list[ReviewItem]:
        """The actions waiting for the person, oldest first."""
        return self.tools.pending()

    def approve(self, review_id: str, arguments: dict[str, Any] | None = None,
                note: str = "") -> ActionResult:
        """Run a waiting action (with the person's edited `arguments`, if any)."""
        result = self.tools.approve(review_id, arguments, note)
        if self.metrics is not None and result.status != "review":
            self.metrics.observe(action_event(result))
        return result

    def deny(self, review_id: str, note: str = "") -> ReviewItem:
        return self.tools.deny(review_id, note)

    def undo_needs_memory(self, action_id: str) -> bool:
        """Whether undoing the action changes the memory (a remembered thing)."""
        record = self.tools.store.get("undo", action_id.upper()) or {}
        return str(record.get("kind", "")).startswith("memory.")

    def undo(self, action_id: str) -> ToolUndone:
        """Take an action back; NotUndoable says why when it cannot be."""
        message = self.tools.undo(action_id)
        return ToolUndone(action_id.upper(), message)


@contextlib.contextmanager
def open_actions(profile: Profile, with_mcp: bool = False,
                 ask_passphrase: Callable[[], str] | None = None) -> Iterator[Actions]:
    """Actions over the profile's action store and metrics, without the model or the
    memory's stores (for `famulus review`, `undo` and the like)."""
    metrics = Metrics(profile.paths.data_dir / "metrics.db")
    try:
        with build_tools.tool_service(profile, with_mcp, ask_passphrase) as service:
            yield Actions(service, metrics)
    finally:
        metrics.close()
