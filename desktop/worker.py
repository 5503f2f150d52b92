"""The model's side of the window: prepares the model and answers, off the GUI thread."""

from __future__ import annotations

from agent.conversation import Conversation
from agent.events import Fallback, Finished, InferenceError, TextDelta
from agent.runtime import Profile, build_router, generation_options
from desktop.qt import QObject, Signal, Slot


class ChatWorker(QObject):
    """Lives in a QThread; every result comes back as a signal."""

    progress = Signal(int, int)  # bytes joined, bytes in all
    ready = Signal(str)  # where the model runs
    token = Signal(str)
    fallback = Signal(str)
    finished = Signal(str)  # a one-line summary with timings
    failed = Signal(str)

    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self.profile = profile
        self.chat: Conversation | None = None

    @Slot()
    def prepare(self) -> None:
        """Join the model if needed (with progress) and load it."""
        try:
            router = build_router(self.profile, progress=self.progress.emit)
            self.chat = Conversation(router, generation_options(self.profile),
                                     context_tokens=self.profile.settings["models.context_length"])
            local = next((b for b in router.backends if hasattr(b, "load")), None)
            where = local.load().describe() if local is not None else "cloud"
            self.ready.emit(where)
        except InferenceError as exc:
            self.failed.emit(str(exc))

    @Slot(str)
    def ask(self, text: str) -> None:
        if self.chat is None:
            self.failed.emit("the model is not ready yet")
            return
        try:
            for event in self.chat.send(text):
                if isinstance(event, TextDelta):
                    self.token.emit(event.text)
                elif isinstance(event, Fallback):
                    self.fallback.emit(f"{event.failed} failed ({event.reason}); "
                                       f"{event.next} answers")
                elif isinstance(event, Finished):
                    stats = event.stats
                    speed = f", {stats.tokens_per_s:.1f} tok/s" if stats.tokens_per_s else ""
                    self.finished.emit(f"{stats.backend}: {stats.total_s:.1f} s{speed}")
        except InferenceError as exc:
            self.failed.emit(str(exc))
