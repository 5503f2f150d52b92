"""Key names in settings (F9, Pause, ScrollLock) as Qt key codes."""

from __future__ import annotations

from desktop.qt import QKeySequence, Qt


def key_code(name: str) -> int:
    """The Qt key for `name`; F9 when the name is not a single key Qt knows."""
    sequence = QKeySequence(name.strip())
    if sequence.count() != 1 or sequence[0].key() == Qt.Key.Key_unknown:
        return int(Qt.Key.Key_F9.value)
    return int(sequence[0].key().value)
