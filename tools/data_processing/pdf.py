"""PDF text: read pages and search, through pypdf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tools.context import ToolContext
from tools.data_processing.limits import data_file
from tools.declare import tool
from tools.errors import ToolFailed, ToolInputError
from tools.manifest import Permissions, Risk


def _pages(file: Path) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(file)
        if reader.is_encrypted:
            raise ToolFailed(f"{file.name} is encrypted")
        return [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ToolFailed(f"{file.name} is not a readable PDF: {exc}") from None


def _range(spec: str, count: int) -> list[int]:
    if not spec.strip():
        return list(range(count))
    chosen: list[int] = []
    try:
        for part in spec.split(","):
            first, _, last = part.strip().partition("-")
            chosen += range(int(first) - 1, int(last or first))
    except ValueError:
        raise ToolInputError(f"pages {spec!r}: write e.g. '1-3,7'") from None
    return [p for p in chosen if 0 <= p < count]


@tool("data_processing", Risk.READ, permissions=Permissions(paths=("path",)),
      untrusted_output=True, timeout_s=60.0)
def pdf_read(ctx: ToolContext, path: str, pages: str = "", max_chars: int = 20_000
             ) -> dict[str, Any]:
    """Read the text of a PDF, or of some of its pages.

    Args:
        path: the PDF, inside a granted folder.
        pages: which pages, e.g. '1-3,7'; empty for all.
        max_chars: cut the text to this many characters.
    """
    texts = _pages(data_file(ctx, path, (".pdf",)))
    chosen = _range(pages, len(texts))
    text = "\n\n".join(f"[page {p + 1}]\n{texts[p]}" for p in chosen)
    return {"pages": len(texts), "text": text[:max_chars], "truncated": len(text) > max_chars}


@tool("data_processing", Risk.READ, permissions=Permissions(paths=("path",)),
      untrusted_output=True, timeout_s=60.0)
def pdf_search(ctx: ToolContext, path: str, query: str, max_results: int = 20
               ) -> list[dict[str, Any]]:
    """Find the pages of a PDF that mention some text, with the lines around it.

    Args:
        path: the PDF, inside a granted folder.
        query: the text to look for (case-insensitive).
        max_results: at most this many hits.
    """
    hits = []
    for number, text in enumerate(_pages(data_file(ctx, path, (".pdf",))), 1):
        for line in text.splitlines():
            if query.lower() in line.lower():
                hits.append({"page": number, "text": line.strip()[:300]})
                if len(hits) >= max_results:
                    return hits
    return hits


TOOLS = [pdf_read, pdf_search]
