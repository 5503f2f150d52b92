"""How the command line shows things: JSON, progress bars on stderr, errors and the next
step, worded as the command that takes it."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from tqdm import tqdm

from agent.errors import Limitation, NextStep, next_step

# The next steps the core names, as the commands that take them.
COMMANDS = {
    NextStep.SET_UP_MEMORY: "famulus memory init",
    NextStep.UNLOCK_MEMORY: "famulus memory unlock, or FAMULUS_PASSPHRASE",
    NextStep.REVIEW: "famulus review list",
    NextStep.SEE_AUDIT: "famulus audit list",
    NextStep.CHECK_MEMORY: "famulus memory check",
    NextStep.CONFIGURE: "famulus config show",
}


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def hint(step: NextStep | str) -> str:
    """The command that takes a next step, or ""."""
    return COMMANDS.get(NextStep.of(step), "")


def with_hint(text: str, step: NextStep | str) -> str:
    """`text`, with the command for its next step in brackets when there is one (and the
    text does not name a command already)."""
    command = hint(step)
    return f"{text} (`{command}`)" if command and "famulus " not in text else text


def error_text(exc: BaseException) -> str:
    """A shown error (agent.errors.SHOWN) as one line, with its next step."""
    return with_hint(str(exc), next_step(exc))


def limitation_text(limit: Limitation) -> str:
    return with_hint(limit.text, limit.next_step)


@contextmanager
def terminal_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A (done, total) callback that draws a bar on stderr; nothing is drawn if it is
    never called."""
    bar: tqdm | None = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=label, unit="B", unit_scale=True, unit_divisor=1024,
                       leave=False, disable=None, file=sys.stderr)
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()
