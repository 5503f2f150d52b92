"""Progress on the terminal (a tqdm bar on stderr) for long one-off work like joining models."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def terminal_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A (done, total) callback that draws a bar; nothing is drawn if never called."""
    bar: tqdm | None = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=label, unit="B", unit_scale=True, unit_divisor=1024,
                       leave=False, disable=None)
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()
