"""What the cloud backends share: timeouts, and turning HTTP failures into clear errors."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import httpx

from inference.errors import AuthenticationFailed, BackendTimeout, BackendUnavailable


def timeout(seconds: float) -> httpx.Timeout:
    """Connect within 10 s (or `seconds`), and never wait longer than `seconds` for data."""
    return httpx.Timeout(seconds, connect=min(10.0, seconds))


def check_status(response: httpx.Response, who: str) -> None:
    """Raise a clear error for an HTTP error status, quoting the server's reason."""
    if response.status_code < 400:
        return
    detail = response.read().decode("utf-8", errors="replace")[:300].strip()
    if response.status_code in (401, 403):
        raise AuthenticationFailed(
            f"{who} refused the API key (HTTP {response.status_code}); check the key "
            f"(famulus doctor shows where it is read from). Server said: {detail}"
        )
    raise BackendUnavailable(f"{who} answered HTTP {response.status_code}: {detail}")


@contextlib.contextmanager
def translate_errors(who: str, seconds: float) -> Iterator[None]:
    """Turn httpx's timeouts and broken connections into inference errors."""
    try:
        yield
    except httpx.TimeoutException:
        raise BackendTimeout(f"{who} did not answer within {seconds:g} s") from None
    except httpx.HTTPError as exc:
        raise BackendUnavailable(f"{who} connection failed: {exc or type(exc).__name__}") from None
