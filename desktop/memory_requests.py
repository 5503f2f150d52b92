"""The session's memory requests: browse, correct and forget what is remembered; back up,
restore a backup, and bring the memory back to an earlier moment. They run on the
session's thread, like turns, through the app's facade, and answer with the session's
signals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from app.errors import SHOWN

HISTORY_TURNS = 20  # exchanges shown again when a thread opens


class MemoryRequests:
    """Mixed into AgentSession, which has the signals and the open Famulus."""

    profile: Any
    famulus: Any
    close_all: Any  # lock the memory and close the rest
    memories: Any
    past: Any
    threads_listed: Any
    threads_found: Any
    known: Any
    result: Any
    needs: Any

    # Browsing -----------------------------------------------------------------------------
    def search_memory(self, query: str) -> None:
        def work(memory: Any) -> None:
            self.memories.emit([h.to_dict() for h in memory.search(query or "*", k=30)])

        self._use(work)

    def about(self, entity: str) -> None:
        """What is known about `entity`, each fact with the episodes it came from."""
        def work(memory: Any) -> None:
            facts = [{**f.to_dict(), "sources": _sources(memory, f.provenance)}
                     for f in (memory.facts(entity) if entity else [])]
            self.known.emit({"entity": entity, "entities": memory.entity_names(),
                             "facts": facts})

        self._use(work)

    def history(self, thread: str) -> None:
        """The thread's last exchanges, as remembered, for the chat to show again."""
        if self.famulus is None or self.famulus.memory is None:
            self.past.emit(thread, [])
            return

        def work(memory: Any) -> None:
            rows = memory.recent(thread, limit=HISTORY_TURNS * 2)
            self.past.emit(thread, [{"speaker": r["speaker"], "text": r["text"],
                                     "time_ms": r.get("time_ms"), "channel": r.get("channel")}
                                    for r in rows if r["text"].strip()])

        self._use(work)

    def list_threads(self) -> None:
        """The conversations memory knows, for the sidebar (nothing without memory)."""
        if self.famulus is not None and self.famulus.memory is not None:
            self._use(lambda memory: self.threads_listed.emit(memory.threads()))

    def search_threads(self, words: str) -> None:
        """The conversations where something close to `words` was said (the sidebar's
        search, on Enter)."""
        def work(memory: Any) -> None:
            found = list(dict.fromkeys(h.thread for h in memory.search(words, k=50)))
            self.threads_found.emit(found)

        if self.famulus is not None and self.famulus.memory is not None and words.strip():
            self._use(work)

    # Changing what is remembered ------------------------------------------------------------
    def forget(self, item_id: str, refresh: str) -> None:
        """Forget an episode or fact for good; `refresh` is the search or entity shown."""
        self._change(lambda memory: f"Forgot the {memory.forget(item_id)}.", refresh)

    def rename_thread(self, thread: str, title: str) -> None:
        """Keep the title the person gave a conversation (in memory, encrypted)."""
        self._use(lambda memory: memory.set_thread_title(thread, title))

    def forget_thread(self, thread: str) -> None:
        """Forget a whole conversation (the person deleted it and confirmed)."""
        if self.famulus is not None:
            self.famulus.agent.reset(thread)  # and what the agent holds of it in this process

        def work(memory: Any) -> str:
            count = memory.forget_thread(thread)
            return f"Deleted the conversation; Famulus forgot its {count} messages."

        self._change(work, "")
        self.list_threads()

    def correct(self, fact: dict[str, Any], refresh: str) -> None:
        """Replace a fact with the person's correction (subject, relation, object)."""
        def work(memory: Any) -> str:
            new = memory.correct_fact(fact["id"], fact["subject"], fact["relation"],
                                      fact["object"], fact.get("provenance", []))
            return f"Corrected: {new.subject} {new.relation} {new.object}."

        self._change(work, refresh)

    def restore_to(self, at_ms: int) -> None:
        """Bring the memory back to how it was at `at_ms` (undoable)."""
        def work(memory: Any) -> str:
            memory.restore_to(at_ms)
            when = datetime.fromtimestamp(at_ms / 1000).strftime("%d %B %Y %H:%M")
            return (f"Memory is back to {when}: {memory.stats()['episodes']} episodes. "
                    "Undo it from the Memory menu.")

        self._change(work, "")

    def undo_restore(self) -> None:
        def work(memory: Any) -> str:
            memory.undo_restore()
            return f"Undid the last restore: {memory.stats()['episodes']} episodes."

        self._change(work, "")

    def _change(self, work: Callable[[Any], str], refresh: str) -> None:
        self._use(lambda memory: self.result.emit(work(memory)))
        kind, _, value = refresh.partition(":")
        if kind:
            (self.about if kind == "entity" else self.search_memory)(value)

    def _use(self, work: Callable[[Any], Any]) -> None:
        """`work(memory)` between turns; what goes wrong (a full disk, a folder not ours)
        is said in the chat."""
        if self.famulus is None or self.famulus.memory is None:
            self.result.emit("memory is not set up or not unlocked")
            return
        try:
            self.famulus.with_memory(work)
        except (*SHOWN, OSError) as exc:
            self.result.emit(str(exc))

    # Backups ------------------------------------------------------------------------------
    def backup(self, folder: str) -> None:
        """Write an encrypted backup into `folder` (new or empty)."""
        from app.build_memory import backup_to

        def work(memory: Any) -> str:
            manifest = backup_to(memory, Path(folder))
            return f"Backup written to {folder} ({manifest['events']} events)."

        self._change(work, "")

    def restore_backup(self, folder: str, secret: str) -> None:
        """Replace the memory with a backup, opened with its passphrase or recovery key.
        The memory is locked first and the old one kept aside; the backup's passphrase
        unlocks it afterwards. A backup that does not open changes nothing."""
        from app.build_memory import check_backup_secret, restore_backup

        try:
            check_backup_secret(Path(folder), secret)
        except (*SHOWN, OSError, ValueError) as exc:
            self.result.emit(f"Not restored: {exc}")
            return
        self.close_all()
        try:
            report = restore_backup(self.profile, Path(folder), secret)
        except (*SHOWN, OSError) as exc:
            self.result.emit(f"Not restored: {exc}")
        else:
            moved = report["previous_memory_moved_to"]
            self.result.emit(f"Memory restored from {folder}; unlock it with the backup's "
                             "passphrase." + (f" The previous memory was kept in {moved}."
                                              if moved else ""))
        self.needs.emit("passphrase")


def _sources(memory: Any, episode_ids: list[str]) -> list[str]:
    texts = []
    for episode_id in episode_ids[:5]:
        episode = memory.episode(episode_id)
        texts.append(episode.text if episode else f"(forgotten: {episode_id})")
    return texts
