"""A memory writer for the crash test: prints each id once `add_episode` has returned."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.memory_helpers import open_memory


def main(root: str, start: int) -> None:
    memory = open_memory(Path(root))
    print("ready", flush=True)
    i = start
    while True:
        episode = memory.add_episode(f"crash test note {i}")
        print(episode.id, flush=True)
        if i % 5 == 0:
            memory.assert_fact(f"item{i % 7}", "has", f"value {i}", provenance=[episode.id])
        if i % 9 == 0:
            memory.seal()
        i += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
