"""The agent's side of the window, on its own thread: it unlocks the memory, loads the
models, runs turns, approves and undoes actions. Every result comes back as a signal, so
widgets are touched only on the GUI thread and the model only on this one."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from typing import Any

from agent.events import Token, action_event
from agent.message import Message, MessageContext
from agent.runtime import Profile, memory_root
from desktop.memory_requests import MemoryRequests
from desktop.qt import QObject, Signal, Slot


class AgentSession(MemoryRequests, QObject):
    """One agent for the app's lifetime (see agent.assembly.assembled)."""

    needs = Signal(str)  # "setup" or "passphrase": the window asks the person
    created = Signal(str)  # the recovery key of a new memory, shown once
    unlock_failed = Signal(str)
    progress = Signal(int, int)  # model bytes prepared, bytes in all
    ready = Signal(object)  # {"where", "notes", "autonomy", "memory"}
    voice_ready = Signal(object)  # a desktop.voice.PushToTalk, or the reason there is none
    event = Signal(object)  # an agent event as a dict (agent/events.py), plus "heard"
    turn_done = Signal()
    failed = Signal(str)
    reviews = Signal(list)  # the review items waiting, as dicts
    memories = Signal(list)  # episodes found: id, text, when, speaker, thread
    figures = Signal(object)  # {"summary": Metrics.summary(), "daily": Metrics.daily()}
    known = Signal(object)  # {"entity", "entities", "facts": [{..., "sources": [text]}]}
    notified = Signal(object)  # a notification as a dict: title, text, kind
    result = Signal(str)  # the outcome of approve / deny / undo / feedback, in words

    def __init__(self, profile: Profile, model: str | None = None) -> None:
        super().__init__()
        self.profile, self.model = profile, model
        self._stack = contextlib.ExitStack()
        self.parts: Any = None
        self.push_to_talk: Any = None
        self._stop = threading.Event()

    # Opening ------------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """Open at once when no passphrase is needed; otherwise ask for one."""
        from agent.assembly import memory_needs

        need = memory_needs(self.profile)
        if need == "nothing":
            self._load(None)
        else:
            self.needs.emit(need)

    @Slot(str, int)
    def create(self, passphrase: str, autonomy: int) -> None:
        """First run: set the memory up and keep the chosen autonomy level; the recovery
        key is shown once."""
        from agent.settings import Value, write_value
        from memory import store

        try:
            write_value(self.profile.paths.config_file, "tools.autonomy_level",
                        str(autonomy))
            if not self.profile.settings.source("tools.autonomy_level").startswith("env"):
                self.profile.settings.values["tools.autonomy_level"] = Value(
                    autonomy, f"file {self.profile.paths.config_file}")
            recovery = store.init(memory_root(self.profile), passphrase)
        except Exception as exc:  # shown, not raised: the window stays usable
            self.unlock_failed.emit(str(exc))
            return
        self.created.emit(recovery)
        self._load(passphrase)

    @Slot(str)
    def unlock(self, passphrase: str) -> None:
        from memory.errors import WrongPassphrase

        try:
            self._load(passphrase, raise_wrong=True)
        except WrongPassphrase as exc:
            self.unlock_failed.emit(str(exc))

    @Slot()
    def without_memory(self) -> None:
        self._load(None, use_memory=False)

    def _load(self, passphrase: str | None, use_memory: bool = True,
              raise_wrong: bool = False) -> None:
        from agent.assembly import assembled
        from inference.errors import InferenceError
        from memory.errors import MemoryStoreError, WrongPassphrase

        try:
            self.parts = self._stack.enter_context(assembled(
                self.profile, self.model, use_memory=use_memory, passphrase=passphrase,
                progress=self.progress.emit))
            where = self._warm_up()
        except WrongPassphrase:
            if raise_wrong:
                raise
            self.failed.emit("wrong passphrase")
            return
        except (InferenceError, MemoryStoreError, OSError) as exc:
            self.shutdown()  # whatever did open is closed (and the memory sealed)
            self.failed.emit(str(exc))
            return
        tools = self.parts.tools
        self.parts.start_background(lambda n: self.notified.emit(n.to_dict()))
        self.ready.emit({"where": where, "notes": self.parts.notes,
                         "memory": self.parts.memory is not None,
                         "autonomy": tools.gate.level if tools else None})
        self.refresh_reviews()

    def _warm_up(self) -> str:
        """Load the local model now, so the first question does not wait for it."""
        local = next((b for b in self.parts.agent.router.backends if hasattr(b, "load")), None)
        return local.load().describe() if local is not None else "cloud"

    @Slot()
    def load_voice(self) -> None:
        """The push-to-talk machinery (models and microphone), or why there is none."""
        from desktop.voice import open_push_to_talk

        opened = open_push_to_talk(self.profile, self._spoken_turn)
        self.push_to_talk = None if isinstance(opened, str) else opened
        self.voice_ready.emit(opened)

    # Turns --------------------------------------------------------------------------------
    def _turn(self, text: str, thread: str, channel: str) -> Iterator[str]:
        message = Message(text, channel, context=MessageContext(thread))
        self._stop.clear()
        events = self.parts.agent.run(message)
        try:
            for event in events:
                if self._stop.is_set():
                    events.close()  # the model stops generating; the turn is not kept
                    self.event.emit({"type": "cancelled"})
                    break
                self.event.emit(event.to_dict())
                if isinstance(event, Token):
                    yield event.text
        finally:
            if self.parts.memory is not None:
                self.parts.memory.seal_if_due()
            self.refresh_reviews()
            self.turn_done.emit()

    @Slot(str, str)
    def ask(self, text: str, thread: str) -> None:
        """A typed message: the answer streams back as events."""
        if self.parts is None:
            self.failed.emit("Famulus is not ready yet")
            return
        if self.push_to_talk is not None and \
                self.profile.settings["desktop.speak_typed_replies"]:
            self.push_to_talk.pipeline.reply(text, lambda t: self._turn(t, thread, "desktop"))
            return
        for _ in self._turn(text, thread, "desktop"):
            pass

    def _spoken_turn(self, text: str) -> Iterator[str]:
        """What a spoken question runs: shown as heard, answered in the voice thread."""
        self.event.emit({"type": "heard", "text": text})
        yield from self._turn(text, "voice", "voice")

    def cancel(self) -> None:
        """Stop the turn in progress at its next step. Called on the GUI thread: it only
        raises a flag, which the session's thread reads."""
        self._stop.set()
        if self.push_to_talk is not None:
            self.push_to_talk.stop_speaking()

    @Slot(object)
    def hear(self, utterance: Any) -> None:
        """A released push-to-talk: transcribe the tail, answer, speak."""
        if self.push_to_talk is None or self.parts is None:
            return
        turn = self.push_to_talk.answer(utterance)
        if turn is None:
            self.event.emit({"type": "heard", "text": ""})
            self.turn_done.emit()

    # Actions ------------------------------------------------------------------------------
    @Slot()
    def refresh_reviews(self) -> None:
        tools = self.parts.tools if self.parts else None
        self.reviews.emit([i.to_dict() for i in tools.pending()] if tools else [])

    @Slot(str, str)
    def approve(self, review_id: str, arguments: str) -> None:
        """Approve a waiting action; `arguments` is edited JSON, or empty to keep them."""
        def work() -> str:
            edited = json.loads(arguments) if arguments.strip() else None
            done = self.parts.approve(review_id, edited)  # counted in the metrics
            self.event.emit({**done.to_dict(), **action_event(done).to_dict()})
            return f"{done.tool}: {done.status}" + (f" ({done.error})" if done.error else "")

        self._act(work)

    @Slot(str)
    def deny(self, review_id: str) -> None:
        self._act(lambda: f"{self.parts.tools.deny(review_id).id} denied")

    @Slot(str)
    def undo(self, action_id: str) -> None:
        def work() -> str:
            message = self.parts.tools.undo(action_id)
            self.event.emit({"type": "tool_undone", "action_id": action_id,
                             "message": message})
            return message

        self._act(work)

    @Slot(int)
    def set_autonomy(self, level: int) -> None:
        """A new autonomy level, from now on (the settings file keeps it)."""
        tools = self.parts.tools if self.parts else None
        if tools is not None:
            tools.gate.level = level
            tools.services["strict_hosts"] = level < 3
            self.result.emit(f"Autonomy level {level} from now on.")

    @Slot()
    def metrics(self) -> None:
        metrics = self.parts.metrics if self.parts else None
        if metrics is not None:
            self.figures.emit({"summary": metrics.summary(), "daily": metrics.daily()})

    @Slot(bool)
    def feedback(self, up: bool) -> None:
        if self.parts is None or self.parts.metrics is None:
            return
        self.parts.metrics.feedback("answer", up)
        self.result.emit("Thank you: noted that the answer was " + ("good" if up
                                                                    else "not good"))

    def _act(self, work: Any) -> None:
        from tools.errors import ToolError

        if self.parts is None or self.parts.tools is None:
            self.result.emit("tools are off: memory is not set up or not unlocked")
            return
        try:
            with self.parts.agent.turn_lock:
                self.result.emit(work())
        except (ToolError, json.JSONDecodeError) as exc:
            self.result.emit(str(exc))
        self.refresh_reviews()

    @Slot()
    def lock(self) -> None:
        """Close everything and wipe the memory's unlocked copy; the passphrase opens it
        again."""
        self.close_all()
        self.needs.emit("passphrase")

    def close_all(self) -> None:
        """Stop the background jobs, lock the memory and close the rest."""
        memory = self.parts.memory if self.parts else None
        if self.parts is not None and self.parts.background is not None:
            self.parts.background.stop()  # its jobs use the memory: stop them first
        if memory is not None:
            memory.close(lock=True)
        self.shutdown()

    @Slot()
    def shutdown(self) -> None:
        """Close the voice, the agent and the memory (sealed) before the app quits."""
        if self.push_to_talk is not None:
            self.push_to_talk.close()
            self.push_to_talk = None
        self._stack.close()
        self._stack = contextlib.ExitStack()
        self.parts = None
