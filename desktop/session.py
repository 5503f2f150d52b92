"""The agent's side of the window, on its own thread: it unlocks the memory, loads the
models, runs turns, approves and undoes actions, all through the app's facade (Famulus).
Every result comes back as a signal carrying a typed event (agent.events), so widgets are
touched only on the GUI thread and the model only on this one."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from agent.events import Cancelled, Heard, Token, action_event
from agent.telling import in_words
from app.errors import SHOWN, Limitation
from app.famulus import Famulus
from app.profile import Profile
from desktop.memory_requests import MemoryRequests
from desktop.qt import QObject, Signal, Slot


@dataclass(frozen=True)
class Ready:
    """The session is open: where the model runs, what it runs without, the level."""

    where: str
    limitations: list[Limitation] = field(default_factory=list)
    memory: bool = False
    autonomy: int | None = None


class AgentSession(MemoryRequests, QObject):
    """One Famulus for the app's lifetime (see app.famulus.open_famulus)."""

    needs = Signal(str)  # "setup" or "passphrase": the window asks the person
    created = Signal(str)  # the recovery key of a new memory, shown once
    unlock_failed = Signal(str)
    progress = Signal(int, int)  # model bytes prepared, bytes in all
    ready = Signal(object)  # Ready
    voice_ready = Signal(object)  # a voice.push_to_talk.PushToTalk, or why there is none
    event = Signal(object)  # an agent.events.AgentEvent
    turn_done = Signal()
    failed = Signal(str)
    reviews = Signal(list)  # the review items waiting, as dicts
    memories = Signal(list)  # episodes found: id, text, when, speaker, thread
    past = Signal(str, list)  # a thread's remembered messages: speaker, text, time, channel
    threads_listed = Signal(list)  # the threads memory knows: thread, title, last_ms
    threads_found = Signal(list)  # the threads where what was searched for was said
    figures = Signal(object)  # {"summary": Metrics.summary(), "daily": Metrics.daily()}
    known = Signal(object)  # {"entity", "entities", "facts": [{..., "sources": [text]}]}
    notified = Signal(object)  # an agent.events.Notification
    result = Signal(str)  # the outcome of approve / deny / undo / feedback, in words

    def __init__(self, profile: Profile, model: str | None = None) -> None:
        super().__init__()
        self.profile, self.model = profile, model
        self._stack = contextlib.ExitStack()
        self.famulus: Famulus | None = None
        self.push_to_talk: Any = None
        self.thread = "default"  # the conversation open in the window (spoken turns go there)
        self._stop = threading.Event()

    # Opening ------------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """Open at once when no passphrase is needed; otherwise ask for one."""
        from app.build_memory import memory_needs

        need = memory_needs(self.profile)
        if need == "nothing":
            self._load(None)
        else:
            self.needs.emit(need)

    @Slot(str, int)
    def create(self, passphrase: str, autonomy: int) -> None:
        """First run: set the memory up and keep the chosen autonomy level; the recovery
        key is shown once."""
        from app.build_memory import create_memory
        from app.settings import Value, write_value

        settings = self.profile.settings
        try:
            write_value(self.profile.paths.config_file, "tools.autonomy_level",
                        str(autonomy))
            if not settings.source("tools.autonomy_level").startswith("env"):
                settings.values["tools.autonomy_level"] = Value(
                    autonomy, f"file {self.profile.paths.config_file}")
            recovery = create_memory(self.profile, passphrase)
        except (*SHOWN, OSError) as exc:  # shown, not raised: the window stays usable
            self.unlock_failed.emit(str(exc))
            return
        self.created.emit(recovery)
        self._load(passphrase)

    @Slot(str)
    def unlock(self, passphrase: str) -> None:
        from app.errors import WrongPassphrase

        try:
            self._load(passphrase, raise_wrong=True)
        except WrongPassphrase as exc:
            self.unlock_failed.emit(str(exc))

    @Slot()
    def without_memory(self) -> None:
        self._load(None, use_memory=False)

    def _load(self, passphrase: str | None, use_memory: bool = True,
              raise_wrong: bool = False) -> None:
        from app.errors import WrongPassphrase
        from app.famulus import open_famulus

        try:
            self.famulus = self._stack.enter_context(open_famulus(
                self.profile, self.model, use_memory=use_memory, passphrase=passphrase,
                progress=self.progress.emit))
            where = self.famulus.warm_up()
        except WrongPassphrase:
            self.shutdown()
            if raise_wrong:
                raise
            self.failed.emit("wrong passphrase")
            return
        except (*SHOWN, OSError) as exc:
            self.shutdown()  # whatever did open is closed (and the memory sealed)
            self.failed.emit(str(exc))
            return
        self.famulus.start_background(self.notified.emit)
        self.ready.emit(Ready(where, list(self.famulus.limitations),
                              self.famulus.memory is not None, self.famulus.autonomy))
        self.refresh_reviews()

    @Slot()
    def load_voice(self) -> None:
        """The push-to-talk machinery (models and microphone), or why there is none."""
        from app.build_voice import open_push_to_talk

        try:
            self.push_to_talk = open_push_to_talk(self.profile, self._spoken_turn)
        except SHOWN as exc:
            self.push_to_talk = None
            self.voice_ready.emit(str(exc))
            return
        self.voice_ready.emit(self.push_to_talk)

    # Turns --------------------------------------------------------------------------------
    def _turn(self, text: str, thread: str, channel: str) -> Iterator[str]:
        self._stop.clear()
        assert self.famulus is not None
        events = self.famulus.turn(text, thread, channel)
        try:
            for event in events:
                if self._stop.is_set():
                    events.close()  # the model stops generating; the turn is not kept
                    self.event.emit(Cancelled())
                    break
                self.event.emit(event)
                if isinstance(event, Token):
                    yield event.text
        finally:
            self.refresh_reviews()
            self.turn_done.emit()

    @Slot(str, str)
    def ask(self, text: str, thread: str) -> None:
        """A typed message: the answer streams back as events."""
        if self.famulus is None:
            self.failed.emit("Famulus is not ready yet")
            return
        if self.push_to_talk is not None and \
                self.profile.settings.desktop.speak_typed_replies:
            self.push_to_talk.pipeline.reply(text, lambda t: self._turn(t, thread, "desktop"))
            return
        for _ in self._turn(text, thread, "desktop"):
            pass

    def _spoken_turn(self, text: str) -> Iterator[str]:
        """What a spoken question runs: shown as heard, answered in the conversation open
        in the window."""
        self.event.emit(Heard(text))
        yield from self._turn(text, self.thread, "voice")

    def cancel(self) -> None:
        """Stop the turn in progress at its next step. Called on the GUI thread: it only
        raises a flag, which the session's thread reads."""
        self._stop.set()
        if self.push_to_talk is not None:
            self.push_to_talk.stop_speaking()

    @Slot(object)
    def hear(self, utterance: Any) -> None:
        """A released push-to-talk: transcribe the tail, answer, speak."""
        if self.push_to_talk is None or self.famulus is None:
            return
        turn = self.push_to_talk.answer(utterance)
        if turn is None:
            self.event.emit(Heard(""))
            self.turn_done.emit()

    # Actions ------------------------------------------------------------------------------
    @Slot()
    def refresh_reviews(self) -> None:
        famulus = self.famulus
        self.reviews.emit(famulus.waiting() if famulus else [])

    @Slot(str, str)
    def approve(self, review_id: str, arguments: str) -> None:
        """Approve a waiting action; `arguments` is edited JSON, or empty to keep them."""
        def work(famulus: Famulus) -> str:
            edited = json.loads(arguments) if arguments.strip() else None
            done = famulus.approve(review_id, edited)  # counted in the metrics
            self.event.emit(action_event(done))  # its card says what came of it
            return "" if done.status == "done" else in_words(done)

        self._act(work)

    @Slot(str)
    def deny(self, review_id: str) -> None:
        def work(famulus: Famulus) -> str:
            famulus.deny(review_id)
            return "Denied: it will not run."

        self._act(work)

    @Slot(str)
    def undo(self, action_id: str) -> None:
        def work(famulus: Famulus) -> str:
            self.event.emit(famulus.undo(action_id))  # its card says it is undone
            return ""

        self._act(work)

    @Slot(int)
    def set_autonomy(self, level: int) -> None:
        """A new autonomy level, from now on (the settings file keeps it)."""
        if self.famulus is not None and self.famulus.actions is not None:
            self.famulus.set_autonomy(level)
            self.result.emit(f"Autonomy level {level} from now on.")

    @Slot(list)
    def set_folders(self, folders: list[str]) -> None:
        """The folders tools may use, from now on (the settings file keeps them)."""
        if self.famulus is not None and self.famulus.actions is not None:
            self.famulus.set_folders(folders)

    @Slot()
    def metrics(self) -> None:
        metrics = self.famulus.metrics if self.famulus else None
        if metrics is not None:
            self.figures.emit({"summary": metrics.summary(), "daily": metrics.daily()})

    @Slot(bool)
    def feedback(self, up: bool) -> None:
        if self.famulus is None or self.famulus.metrics is None:
            return
        self.famulus.metrics.feedback("answer", up)
        self.result.emit("Thank you: noted that the answer was " + ("good" if up
                                                                    else "not good"))

    def _act(self, work: Callable[[Famulus], str]) -> None:
        if self.famulus is None or self.famulus.actions is None:
            self.result.emit("tools are off: memory is not set up or not unlocked")
            return
        try:
            said = work(self.famulus)
            if said:
                self.result.emit(said)
        except (*SHOWN, json.JSONDecodeError) as exc:
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
        if self.famulus is not None:
            self.famulus.close_memory(lock=True)
        self.shutdown()

    @Slot()
    def shutdown(self) -> None:
        """Close the voice, the agent and the memory (sealed) before the app quits."""
        if self.push_to_talk is not None:
            self.push_to_talk.close()
            self.push_to_talk = None
        self._stack.close()
        self._stack = contextlib.ExitStack()
        self.famulus = None
