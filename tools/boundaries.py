"""The person's boundaries: granted folders, allowed hosts, allowed recipients.

Folders are a hard limit: a path with `..`, an absolute path outside every granted folder,
or a symlink that leads out is refused at every autonomy level. Hosts and recipients are
soft: one outside the lists goes to review instead of running.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from tools.errors import PermissionDenied, ToolInputError

# Linux's limits (PATH_MAX, NAME_MAX): longer paths fail in the file system itself.
MAX_PATH, MAX_NAME = 4096, 255


@dataclass(frozen=True)
class Boundaries:
    """Where tools may act without asking."""

    roots: tuple[Path, ...] = ()
    hosts: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()

    def resolve(self, text: str) -> Path:
        """The real path of `text` inside a granted folder, or PermissionDenied."""
        if not isinstance(text, str) or not text.strip() or "\x00" in text:
            raise ToolInputError("a path must be a non-empty string")
        if len(text) > MAX_PATH or any(len(part.encode()) > MAX_NAME
                                       for part in PurePosixPath(text).parts):
            raise ToolInputError(f"a path may have at most {MAX_PATH} characters and each "
                                 f"name in it at most {MAX_NAME} bytes")
        if not self.roots:
            raise PermissionDenied("no folders are granted to tools: add one to "
                                   "tools.allowed_paths")
        if ".." in PurePosixPath(text).parts:
            raise PermissionDenied(f"{text!r}: paths with '..' are refused; name the file "
                                   "inside a granted folder")
        # "Documents\\plan.txt": models write Windows paths too; no one means a file name
        # with a backslash in it
        candidate = Path(os.path.expanduser(text.replace("\\", "/")))
        if not candidate.is_absolute():
            candidate = self.roots[0] / candidate
        if not candidate.exists():
            candidate = self._named_root(candidate) or candidate
        real = Path(os.path.realpath(candidate))
        for root in self.roots:
            root_real = Path(os.path.realpath(root))
            if real == root_real or root_real in real.parents:
                return real
        where = "leads out of" if Path(os.path.abspath(candidate)) != real else "is outside"
        raise PermissionDenied(f"{text!r} {where} the granted folders "
                               f"({', '.join(str(r) for r in self.roots)})")

    def _named_root(self, missing: Path) -> Path | None:
        """Where a path that is not there means a granted folder by its name ("Documents",
        "~/Documents/todo.txt"): people (and models) call a folder by its name. The rest
        of the path is taken inside that folder, where its parent folder exists."""
        for root in self.roots:
            names = [part.casefold() for part in missing.parts]
            if root.name.casefold() not in names:
                continue
            at = len(names) - 1 - names[::-1].index(root.name.casefold())
            inside = root.joinpath(*missing.parts[at + 1:])
            if inside.parent.exists():
                return inside
        return None

    def host_allowed(self, url: str) -> bool:
        """Whether `url`'s host is on the allowlist ('example.com' or '*.example.com')."""
        host = host_of(url)
        for entry in self.hosts:
            entry = entry.lower().strip()
            if entry == "*" or host == entry:
                return True
            if entry.startswith("*.") and host.endswith(entry[1:]):
                return True
        return False

    def recipient_allowed(self, address: str) -> bool:
        """Whether `address` is on the allowlist (an address, or '@domain' for a domain)."""
        address = address.strip().lower()
        for entry in self.recipients:
            entry = entry.strip().lower()
            if entry == address or (entry.startswith("@") and address.endswith(entry)):
                return True
        return False


def host_of(url: str) -> str:
    """The host of an http(s) URL, or ToolInputError."""
    if not isinstance(url, str):
        raise ToolInputError("a URL must be a string")
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        raise ToolInputError(f"{url!r} is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ToolInputError(f"{url!r} is not an http(s) URL with a host")
    return host
