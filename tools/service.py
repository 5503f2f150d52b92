"""ToolService: the one way tools are called. Gate, then run or queue, then audit.

Every call gets an action id (A1, A2, …) and every step of its life is an audit entry:
the gate's decision and reason, the person's approval or denial, the result, the undo.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tools.audit import AuditLog, redact
from tools.context import Outcome, ToolContext
from tools.errors import NotSetUp, NotUndoable, ReviewError, ToolError
from tools.executor import execute
from tools.gate import Decision, Gate, Origin, ToolCall, Verdict, confidence_of
from tools.previews import preview
from tools.registry import Registry
from tools.review import ReviewItem, ReviewQueue, Status
from tools.store import ActionStore
from tools.undo import run_undo

RESULT_CHARS = 2000
log = logging.getLogger(__name__)


@dataclass
class ActionResult:
    """What became of one call: done, failed, refused, or waiting in review."""

    action_id: str
    tool: str
    status: str  # done | failed | refused | review
    decision: dict[str, Any]
    result: Any = None
    error: str = ""
    review_id: str = ""
    undoable: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    summary: str = ""  # what it did, in a few words (the tool's own)

    def to_dict(self) -> dict[str, Any]:
        return {"action_id": self.action_id, "tool": self.tool, "status": self.status,
                "decision": self.decision, "result": self.result, "error": self.error,
                "review_id": self.review_id, "undoable": self.undoable,
                "summary": self.summary, **self.extra}

    def for_model(self) -> str:
        """The tool message the model reads back."""
        if self.status == "done":
            body: dict[str, Any] = {"status": "done", "result": self.result}
        elif self.status == "review":
            body = {"status": "waiting for the person's approval", "review": self.review_id,
                    "reason": self.decision.get("reason", "")}
        else:
            body = {"status": "error", "error": self.error}
        return json.dumps(body, ensure_ascii=False, default=str)[:RESULT_CHARS * 4]


class ToolService:
    """Calls tools through the gate; keeps the review queue, the audit log and undo."""

    def __init__(self, registry: Registry, gate: Gate, store: ActionStore,
                 services: dict[str, Any] | None = None, mail_hold_s: float = 30.0,
                 review_expiry_s: float = 86_400.0) -> None:
        self.registry, self.gate, self.store = registry, gate, store
        self.services = services if services is not None else {}
        self.mail_hold_s = mail_hold_s
        self.queue = ReviewQueue(store, review_expiry_s)
        self.audit = AuditLog(store)
        self._running: dict[str, ToolContext] = {}
        self._lock = threading.Lock()

    @property
    def autonomy_level(self) -> int:
        """The autonomy level (0-3) the gate and the tools apply now."""
        return self.gate.level

    @autonomy_level.setter
    def autonomy_level(self, level: int) -> None:
        if level not in (0, 1, 2, 3):
            raise ValueError(f"the autonomy level is 0, 1, 2 or 3, not {level!r}")
        self.gate.level = level

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders file and data tools may use (a hard limit at every level)."""
        return self.gate.boundaries.roots

    @folders.setter
    def folders(self, roots: Sequence[Path]) -> None:
        self.gate.boundaries = replace(self.gate.boundaries, roots=tuple(roots))

    def preview(self, tool: str, arguments: Any) -> str:
        """What a call would change, as text (a diff, the e-mail), before it runs."""
        notes = self.services.get("notes_dir")
        return preview(tool, arguments, self.gate.boundaries,
                       Path(notes) if notes else None)

    # --- calling -------------------------------------------------------------------
    def call(self, call: ToolCall) -> ActionResult:
        """Decide about `call`, then run it, queue it for review, or refuse it."""
        action_id = f"A{self.store.next_number('action')}"
        decision = self.gate.decide(call)
        tool = str(call.tool)[:200]
        self.audit.record(action_id, "decided", tool=tool, arguments=self._redacted(call),
                          origin=str(call.origin), confidence=confidence_of(call.confidence),
                          source=call.source, decision=decision.to_dict())
        if decision.verdict == Verdict.REFUSE:
            return ActionResult(action_id, tool, "refused", decision.to_dict(),
                                error=decision.reason)
        if decision.verdict == Verdict.REVIEW:
            item = self.queue.add(action_id, call, decision.reason, decision.risk)
            return ActionResult(action_id, tool, "review", decision.to_dict(),
                                review_id=item.id)
        return self._run(action_id, call, decision)

    def _redacted(self, call: ToolCall) -> Any:
        names = self.registry.get(call.tool).manifest.redact if call.tool in self.registry \
            else ()
        return redact(call.arguments, names)

    def context(self, action_id: str) -> ToolContext:
        """A fresh context: a private scratch folder, the services, this level's mail hold."""
        scratch = Path(tempfile.mkdtemp(prefix=f"famulus-{action_id}-"))
        hold = self.mail_hold_s if self.gate.level < 3 else 0.0
        return ToolContext(self.gate.boundaries, scratch, self.services, mail_hold_s=hold,
                           action_id=action_id, autonomy_level=self.gate.level)

    def _run(self, action_id: str, call: ToolCall, decision: Decision) -> ActionResult:
        t = self.registry.get(call.tool)
        ctx = replace(self.context(action_id), untrusted=call.origin == Origin.UNTRUSTED)
        with self._lock:
            self._running[action_id] = ctx
        try:
            outcome = execute(t, call.arguments, ctx)
        except ToolError as exc:
            self.audit.record(action_id, "failed", tool=t.name, error=str(exc))
            set_up = {"set_up": exc.settings} if isinstance(exc, NotSetUp) else {}
            return ActionResult(action_id, t.name, "failed", decision.to_dict(),
                                error=str(exc), extra=set_up)
        except Exception as exc:  # a bug in the tool: said in words, logged in full
            log.exception("tool %s failed unexpectedly", t.name)
            error = f"{t.name} failed unexpectedly ({type(exc).__name__}: {exc})"[:500]
            self.audit.record(action_id, "failed", tool=t.name, error=f"bug: {exc!r}"[:500])
            return ActionResult(action_id, t.name, "failed", decision.to_dict(), error=error)
        finally:
            with self._lock:
                self._running.pop(action_id, None)
            shutil.rmtree(ctx.scratch, ignore_errors=True)
        return self._finish(action_id, t.name, outcome, decision)

    def _finish(self, action_id: str, tool: str, outcome: Outcome,
                decision: Decision) -> ActionResult:
        undo = None
        if outcome.undo is not None:
            undo = {"kind": outcome.undo.kind, "data": outcome.undo.data, "tool": tool,
                    "status": "available"}
            if outcome.undo.blob is not None:
                self.store.put_blob(action_id, outcome.undo.blob)
            self.store.put("undo", action_id, undo)
        self.audit.record(action_id, "done", tool=tool,
                          result=outcome.summary or _short(redact(outcome.result)),
                          undo=({"kind": undo["kind"], "data": redact(undo["data"])}
                                if undo else None))
        return ActionResult(action_id, tool, "done", decision.to_dict(), outcome.result,
                            undoable=undo is not None, summary=outcome.summary)

    def cancel(self, action_id: str) -> bool:
        """Stop a running action; False if it is not running."""
        with self._lock:
            ctx = self._running.get(action_id)
        if ctx is None:
            return False
        ctx.cancel.set()
        return True

    # --- review --------------------------------------------------------------------
    def pending(self) -> list[ReviewItem]:
        return self.queue.items(Status.PENDING)

    def approve(self, review_id: str, arguments: dict[str, Any] | None = None,
                note: str = "") -> ActionResult:
        """Run a waiting call (with `arguments` if the person edited them)."""
        self.queue.expire()
        item = self.queue.get(review_id)
        if item.status != Status.PENDING:
            raise ReviewError(f"review item {item.id} is already {item.status}")
        call = item.tool_call
        if arguments is not None:
            call = replace(call, arguments=arguments)
        decision = self.gate.decide(call, approved=True)
        if decision.verdict == Verdict.REFUSE:  # stays pending: fix the arguments
            self.audit.record(item.action_id, "approval refused", review=item.id,
                              arguments=self._redacted(call), reason=decision.reason)
            return ActionResult(item.action_id, str(call.tool), "refused",
                                decision.to_dict(), error=decision.reason,
                                review_id=item.id)
        item = self.queue.decide(review_id, Status.APPROVED, note, arguments)
        self.audit.record(item.action_id, "approved", review=item.id,
                          arguments=self._redacted(call) if arguments is not None else None,
                          note=note)
        return self._run(item.action_id, call, decision)

    def deny(self, review_id: str, note: str = "") -> ReviewItem:
        item = self.queue.decide(review_id, Status.DENIED, note)
        self.audit.record(item.action_id, "denied", review=item.id, note=note)
        return item

    # --- undo ----------------------------------------------------------------------
    def undo(self, action_id: str) -> str:
        """Take an action back; NotUndoable says why when it cannot be."""
        action_id = action_id.upper()
        doc = self.store.get("undo", action_id)
        if doc is None:
            raise NotUndoable(self._why_no_undo(action_id))
        if doc["status"] == "undone":
            raise NotUndoable(f"{action_id} was undone already")
        ctx = self.context(action_id)
        try:
            message = run_undo(ctx, doc["kind"], doc["data"], self.store.blob(action_id))
        except ToolError as exc:
            self.audit.record(action_id, "undo failed", error=str(exc))
            raise
        finally:
            shutil.rmtree(ctx.scratch, ignore_errors=True)
        doc["status"] = "undone"
        self.store.put("undo", action_id, doc)
        self.audit.record(action_id, "undone", result=message)
        return message

    def _why_no_undo(self, action_id: str) -> str:
        entries = self.audit.entries(action_id)
        if not entries:
            return f"there is no action {action_id}: see `famulus audit list`"
        if not any(e["event"] == "done" for e in entries):
            return f"{action_id} did not run, so there is nothing to undo"
        tool = entries[0].get("tool", "")
        how = self.registry.get(tool).manifest.undo if tool in self.registry else ""
        return f"{action_id} ({tool}) cannot be undone" + (f": {how}" if how else "")

    # --- held mail -----------------------------------------------------------------
    def dispatch_due(self) -> list[str]:
        """Send held mail whose undo window has passed; returns the actions sent."""
        outbox = self.services.get("outbox")
        if outbox is None:
            return []
        sent = []
        for action_id, error in outbox.send_due():
            self.audit.record(action_id, "sent" if not error else "send failed",
                              error=error)
            sent.append(action_id)
        return sent

    def session(self, origin: Origin = Origin.AGENT) -> ToolSession:
        return ToolSession(self, origin)


class ToolSession:
    """Calls within one conversation turn: once a tool has brought in untrusted text (a
    page, a mail, a file), later calls are marked as following it, so the gate escalates
    them."""

    def __init__(self, service: ToolService, origin: Origin = Origin.AGENT) -> None:
        self.service, self.origin = service, origin
        self.tainted_by: list[str] = []

    def taint(self, *sources: str) -> None:
        """Mark the turn as having read untrusted content (e.g. remembered outside text
        placed into its prompt): the gate escalates what follows."""
        self.tainted_by.extend(s for s in sources if s not in self.tainted_by)

    def call(self, tool: str, arguments: Any, confidence: float = 1.0) -> ActionResult:
        origin = Origin.UNTRUSTED if self.tainted_by else self.origin
        source = "after " + ", ".join(self.tainted_by[-3:]) if self.tainted_by else ""
        return self._note(self.service.call(ToolCall(tool, arguments, origin, confidence,
                                                     source)))

    def approve(self, review_id: str, arguments: dict[str, Any] | None = None) -> ActionResult:
        """Approve a waiting call of this turn; its result taints the turn like any other."""
        return self._note(self.service.approve(review_id, arguments))

    def _note(self, result: ActionResult) -> ActionResult:
        registry = self.service.registry
        if result.status == "done" and result.tool in registry and \
                registry.get(result.tool).manifest.untrusted_output:
            self.tainted_by.append(f"{result.tool} ({result.action_id})")
        return result


def _short(value: Any) -> Any:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return value if len(text) <= RESULT_CHARS else text[:RESULT_CHARS] + "…"
