"""The tray's state icons and notification rules, key names, and the session's worker
thread."""

from __future__ import annotations

import threading

from desktop.keys import key_code
from desktop.qt import Qt
from desktop.tray import COLOURS, Tray, state_icon
from desktop.worker import Worker


def test_every_state_has_an_icon_and_words(qtbot) -> None:
    tray = Tray()
    for state in COLOURS:
        assert not state_icon(state).isNull()
        tray.set_state(state)
        assert tray.icon.toolTip().startswith("Famulus: ")


def test_no_notification_while_paused_or_without_a_tray(qtbot) -> None:
    tray = Tray()
    assert not tray.notify("t", "x")  # offscreen: no tray host, so the icon is not shown
    tray.pause_action.setChecked(True)
    assert not tray.notify("t", "x")


def test_key_names() -> None:
    assert key_code("F9") == Qt.Key.Key_F9.value
    assert key_code("Pause") == Qt.Key.Key_Pause.value
    assert key_code("not a key") == Qt.Key.Key_F9.value


def test_the_worker_runs_calls_in_order_on_its_thread_and_closes_up() -> None:
    worker = Worker()
    worker.start()
    seen: list[tuple[str, bool]] = []
    for name in ("a", "b"):
        worker.submit(lambda n=name: seen.append((n, worker.on_thread)))
    worker.submit(lambda: 1 / 0)  # a bug is logged; the worker goes on
    done = threading.Event()
    worker.submit(done.set)
    assert done.wait(5)
    assert worker.stop(finally_run=lambda: seen.append(("closed", worker.on_thread)))
    assert seen == [("a", True), ("b", True), ("closed", True)]
