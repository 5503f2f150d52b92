"""Size limits for data files, so a huge file gives a clear error instead of eating RAM."""

from __future__ import annotations

from pathlib import Path

from tools.context import ToolContext
from tools.errors import ToolInputError

DEFAULT_MAX_BYTES = 50 << 20


def data_file(ctx: ToolContext, path: str, suffixes: tuple[str, ...]) -> Path:
    """The resolved file, checked for existence, type and size."""
    file = ctx.boundaries.resolve(path)
    if not file.is_file():
        raise ToolInputError(f"{path!r} is not a file")
    if suffixes and file.suffix.lower() not in suffixes:
        raise ToolInputError(f"{path!r} is not a {'/'.join(suffixes)} file")
    limit = int(ctx.services.get("data_max_bytes", DEFAULT_MAX_BYTES))
    size = file.stat().st_size
    if size > limit:
        raise ToolInputError(f"{path!r} is {size >> 20} MiB, over the {limit >> 20} MiB "
                             "limit (tools.data_max_mb)")
    return file
