"""Where the review queue, the audit log, undo records and held mail are kept.

Tools see only this protocol. The app wires in the encrypted action database that lives
beside the memory (memory.actions.ActionDatabase); tests may use VolatileStore.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any, Protocol

Doc = dict[str, Any]


class ActionStore(Protocol):
    """Documents by kind and id, numbered ids, and one append-only chained log."""

    def put(self, kind: str, ident: str, doc: Doc) -> None: ...
    def swap(self, kind: str, ident: str, expected: Doc, doc: Doc) -> bool: ...
    def get(self, kind: str, ident: str) -> Doc | None: ...
    def items(self, kind: str) -> list[Doc]: ...
    def next_number(self, kind: str) -> int: ...
    def put_blob(self, ident: str, blob: bytes) -> None: ...
    def blob(self, ident: str) -> bytes | None: ...
    def append_log(self, build: Callable[[Doc | None], Doc]) -> Doc: ...
    def log(self, after: int = 0, limit: int | None = None) -> list[Doc]: ...


class VolatileStore:
    """An ActionStore in RAM: for tests and for tools used without a memory."""

    def __init__(self) -> None:
        self._docs: dict[tuple[str, str], Doc] = {}
        self._blobs: dict[str, bytes] = {}
        self._numbers: dict[str, int] = {}
        self._log: list[Doc] = []
        self._lock = threading.Lock()

    def put(self, kind: str, ident: str, doc: Doc) -> None:
        with self._lock:
            self._docs[(kind, ident)] = copy.deepcopy(doc)

    def swap(self, kind: str, ident: str, expected: Doc, doc: Doc) -> bool:
        """Replace the document only if it still is `expected` (compare and set)."""
        with self._lock:
            if self._docs.get((kind, ident)) != expected:
                return False
            self._docs[(kind, ident)] = copy.deepcopy(doc)
            return True

    def get(self, kind: str, ident: str) -> Doc | None:
        doc = self._docs.get((kind, ident))
        return copy.deepcopy(doc) if doc is not None else None

    def items(self, kind: str) -> list[Doc]:
        return [copy.deepcopy(d) for (k, _), d in self._docs.items() if k == kind]

    def next_number(self, kind: str) -> int:
        with self._lock:
            self._numbers[kind] = self._numbers.get(kind, 0) + 1
            return self._numbers[kind]

    def put_blob(self, ident: str, blob: bytes) -> None:
        self._blobs[ident] = blob

    def blob(self, ident: str) -> bytes | None:
        return self._blobs.get(ident)

    def append_log(self, build: Callable[[Doc | None], Doc]) -> Doc:
        with self._lock:
            doc = build(copy.deepcopy(self._log[-1]) if self._log else None)
            self._log.append(copy.deepcopy(doc))
            return doc

    def log(self, after: int = 0, limit: int | None = None) -> list[Doc]:
        docs = [copy.deepcopy(d) for d in self._log if d["seq"] > after]
        return docs[:limit] if limit is not None else docs
