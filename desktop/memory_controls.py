"""The window's memory requests: a thread's history and the list of threads, deleting a
conversation, browsing, correcting and forgetting, and backups; each runs on the session's
thread (mixed into DesktopApp, as TalkControls is)."""

from __future__ import annotations

from typing import Any

from desktop import backup_dialogs
from desktop.qt import QApplication


class MemoryControls:
    """Mixed into DesktopApp, which has the window, the session and its worker."""

    window: Any
    session: Any
    worker: Any
    memory: Any  # the Memory view

    def _wire_memory(self) -> None:
        s, w = self.session, self.window
        s.memories.connect(self.memory.show_episodes)
        s.past.connect(self._past)
        s.known.connect(self.memory.show_known)
        s.threads_listed.connect(w.threads.set_threads)
        s.threads_found.connect(w.threads.show_found)
        self.memory.search.connect(self.search_memory)
        self.memory.about.connect(self.about)
        self.memory.forget.connect(self.forget)
        self.memory.correct.connect(self.correct)
        w.memory_action.connect(self.memory_action)
        w.thread_changed.connect(self.show_thread)
        w.threads.delete_wanted.connect(self.forget_thread)
        w.threads.renamed.connect(
            lambda thread, title: self.worker.submit(self.session.rename_thread, thread, title))
        w.threads.search_wanted.connect(
            lambda words: self.worker.submit(self.session.search_threads, words))

    def show_thread(self, thread: str) -> None:
        """Clear the chat and show what the thread said before (from memory)."""
        self.window.chat.clear()
        self.session.thread = thread
        if self.session.famulus is not None:
            self.worker.submit(self.session.history, thread)

    def search_memory(self, query: str) -> None:
        self.worker.submit(self.session.search_memory, query)

    def about(self, entity: str) -> None:
        self.worker.submit(self.session.about, entity)

    def forget(self, item_id: str, refresh: str) -> None:
        self.worker.submit(self.session.forget, item_id, refresh)

    def correct(self, fact: dict[str, Any], refresh: str) -> None:
        self.worker.submit(self.session.correct, fact, refresh)

    def memory_action(self, name: str) -> None:
        """Back up, restore a backup, go back to a moment, or undo that: ask what is
        needed on the GUI thread, then do it on the session's."""
        parent = QApplication.activeModalWidget() or self.window
        if name == "undo_restore":
            self.worker.submit(self.session.undo_restore)
            return
        asks = {"backup": backup_dialogs.backup_folder,
                "restore": backup_dialogs.restore_source,
                "restore_to": backup_dialogs.earlier_moment}
        answer = asks[name](parent)
        if answer is None:
            return
        call = {"backup": self.session.backup, "restore": self.session.restore_backup,
                "restore_to": self.session.restore_to}[name]
        self.worker.submit(call, *(answer if isinstance(answer, tuple) else (answer,)))

    def list_threads(self) -> None:
        if self.session.famulus is not None:
            self.worker.submit(self.session.list_threads)

    def forget_thread(self, thread: str) -> None:
        """The person confirmed deleting a conversation: memory forgets it."""
        self.worker.submit(self.session.forget_thread, thread)

    def _past(self, thread: str, messages: list[dict[str, Any]]) -> None:
        if thread == self.window.thread:  # not a thread left since it was asked for
            self.window.chat.show_history(messages)
