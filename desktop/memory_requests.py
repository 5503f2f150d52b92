"""The session's memory requests: browse, correct and forget what is remembered; back up,
restore a backup, and bring the memory back to an earlier moment. They run on the
session's thread, like turns, and answer with the session's signals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.runtime import memory_root


class MemoryRequests:
    """Mixed into AgentSession, which has the signals and the opened parts."""

    profile: Any
    parts: Any
    close_all: Any  # lock the memory and close the rest
    memories: Any
    known: Any
    result: Any
    needs: Any

    # Browsing -----------------------------------------------------------------------------
    def search_memory(self, query: str) -> None:
        memory = self._memory()
        if memory is None:
            return
        with self.parts.agent.turn_lock:
            hits = memory.search(query or "*", k=30)
        self.memories.emit([h.to_dict() for h in hits])

    def about(self, entity: str) -> None:
        """What is known about `entity`, each fact with the episodes it came from."""
        memory = self._memory()
        if memory is None:
            return
        with self.parts.agent.turn_lock:
            names = memory.entity_names()
            facts = [{**f.to_dict(), "sources": self._sources(memory, f.provenance)}
                     for f in (memory.facts(entity) if entity else [])]
        self.known.emit({"entity": entity, "entities": names, "facts": facts})

    @staticmethod
    def _sources(memory: Any, episode_ids: list[str]) -> list[str]:
        texts = []
        for episode_id in episode_ids[:5]:
            episode = memory.episode(episode_id)
            texts.append(episode.text if episode else f"(forgotten: {episode_id})")
        return texts

    # Changing what is remembered ------------------------------------------------------------
    def forget(self, item_id: str, refresh: str) -> None:
        """Forget an episode or fact for good; `refresh` is the search or entity shown."""
        def work(memory: Any) -> str:
            return f"Forgot the {memory.forget(item_id)} {item_id}."

        self._change(work, refresh)

    def correct(self, fact: dict[str, Any], refresh: str) -> None:
        """Replace a fact with the person's correction (subject, relation, object)."""
        def work(memory: Any) -> str:
            new = memory.correct_fact(fact["id"], fact["subject"], fact["relation"],
                                      fact["object"], fact.get("provenance", []))
            return f"Corrected: {new.subject} {new.relation} {new.object}."

        self._change(work, refresh)

    def restore_to(self, at_ms: int) -> None:
        """Bring the memory back to how it was at `at_ms` (undoable)."""
        from datetime import datetime

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

    def _change(self, work: Any, refresh: str) -> None:
        from memory.errors import MemoryStoreError

        memory = self._memory()
        if memory is None:
            return
        try:
            with self.parts.agent.turn_lock:
                self.result.emit(work(memory))
        except (MemoryStoreError, OSError) as exc:  # a full disk, a folder not ours
            self.result.emit(str(exc))
        kind, _, value = refresh.partition(":")
        if kind:
            (self.about if kind == "entity" else self.search_memory)(value)

    # Backups ------------------------------------------------------------------------------
    def backup(self, folder: str) -> None:
        """Write an encrypted backup into `folder` (new or empty)."""
        from memory import backup

        def work(memory: Any) -> str:
            manifest = backup.create(memory, Path(folder))
            return f"Backup written to {folder} ({manifest['events']} events)."

        self._change(work, "")

    def restore_backup(self, folder: str, secret: str) -> None:
        """Replace the memory with a backup, opened with its passphrase or recovery key.
        The memory is locked first and the old one kept aside; the backup's passphrase
        unlocks it afterwards. A backup that does not open changes nothing."""
        from memory import backup
        from memory.errors import MemoryStoreError

        try:
            passphrase, recovery = _which_secret(Path(folder), secret)
        except (MemoryStoreError, OSError, ValueError) as exc:
            self.result.emit(f"Not restored: {exc}")
            return
        self.close_all()
        try:
            report = backup.restore(Path(folder), memory_root(self.profile), passphrase,
                                    recovery)
        except (MemoryStoreError, OSError) as exc:
            self.result.emit(f"Not restored: {exc}")
        else:
            moved = report["previous_memory_moved_to"]
            self.result.emit(f"Memory restored from {folder}; unlock it with the backup's "
                             "passphrase." + (f" The previous memory was kept in {moved}."
                                              if moved else ""))
        self.needs.emit("passphrase")

    # Helpers ------------------------------------------------------------------------------
    def _memory(self) -> Any:
        memory = self.parts.memory if self.parts else None
        if memory is None:
            self.result.emit("memory is not set up or not unlocked")
        return memory


def _which_secret(folder: Path, secret: str) -> tuple[str | None, str | None]:
    """(passphrase, None) or (None, recovery key): whichever opens the backup."""
    from memory import backup
    from memory.errors import WrongPassphrase

    try:
        backup.backup_key(folder, secret, None)
        return secret, None
    except WrongPassphrase:
        try:
            backup.backup_key(folder, None, secret)
        except (WrongPassphrase, ValueError):
            raise WrongPassphrase("that is neither the backup's passphrase nor its "
                                  "recovery key") from None
        return None, secret
