"""Logging: JSON lines in the data dir, readable lines on the console, secrets redacted.

Redaction covers every value a line carries (the message with its arguments, an
exception's text, each `extra` field, a secret-named key's value), so a secret cannot slip
through; it never touches the line's structure (its time, level and logger), and personal
data means e-mail addresses and phone numbers, not timestamps or IP addresses.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

REDACTED = "[REDACTED]"

# Shapes of secrets we recognise without being told: API keys, bearer tokens, and
# key=value pairs whose key names a secret.
_PATTERNS = (
    re.compile(r"\bsk-[A-Za-z0-9_\-]{12,}"),
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._\-~+/]{8,}=*"),
    re.compile(
        r"(?i)\b(api[_-]?key|x-api-key|authorization|passphrase|password|secret|token)"
        r"(\"?\s*[:=]\s*\"?)([^\s\"',;]+)"
    ),
)

# Personal data, redacted when logging.redact_personal is on (the default).
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w.:])\+?\d[\d\s().-]{7,}\d(?![\w.:])")
# What the phone pattern also matches but is not a phone number: dates and times, IPv4
# addresses, version-like dotted numbers.
_NOT_PHONE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|^\d{1,3}(?:\.\d{1,3}){2,}$")
_SECRET_KEY = re.compile(r"(?i)api[_-]?key|authorization|passphrase|password|secret|token")
_personal = True

_known: set[str] = set()
_known_lock = threading.Lock()


def redact_personal(enabled: bool) -> None:
    """Whether e-mail addresses and phone numbers are replaced in log lines."""
    global _personal
    _personal = enabled


def register_secret(value: str | None) -> None:
    """Redact this exact value from every log line from now on (e.g. a loaded API key)."""
    if value and len(value) >= 4:
        with _known_lock:
            _known.add(value)
            _known.add(json.dumps(value)[1:-1])


def redact(text: str) -> str:
    """`text` with every known secret and every secret-shaped string replaced."""
    with _known_lock:
        known = sorted(_known, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, REDACTED)
    text = _PATTERNS[0].sub(REDACTED, text)
    text = _PATTERNS[1].sub("Bearer " + REDACTED, text)
    text = _PATTERNS[2].sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)
    if _personal:
        text = _PHONE.sub(_phone, _EMAIL.sub("[EMAIL]", text))
    return text


def _phone(match: re.Match[str]) -> str:
    found = match.group()
    digits = sum(c.isdigit() for c in found)
    return found if digits < 8 or _NOT_PHONE.search(found) else "[PHONE]"


def redact_value(value: object, key: str = "") -> object:
    """`value` (a string, or lists and dicts of them) with secrets and personal data
    redacted; a secret-named key's value entirely."""
    if key and _SECRET_KEY.search(key) and value not in (None, "", True, False):
        return REDACTED
    if isinstance(value, dict):
        return {k: redact_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, int | float | bool) or value is None:
        return value
    return redact(str(value))


_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLineFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = redact_value(value, key)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class ConsoleFormatter(logging.Formatter):
    """Short readable lines for the terminal."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def _private_file_handler(path: Path) -> logging.Handler:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(JsonLineFormatter())
    return handler


def configure(log_file: Path | None, level: str = "INFO", console_level: str = "WARNING",
              personal: bool = True) -> None:
    """Send Famulus's logs to `log_file` (JSON lines) and the console (readable)."""
    redact_personal(personal)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_famulus", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(min(logging.getLevelName(level), logging.getLevelName(console_level)))
    console = logging.StreamHandler()
    console.setFormatter(ConsoleFormatter())
    console.setLevel(console_level)
    handlers: list[logging.Handler] = [console]
    if log_file is not None:
        file_handler = _private_file_handler(log_file)
        file_handler.setLevel(level)
        handlers.append(file_handler)
    for handler in handlers:
        handler._famulus = True  # type: ignore[attr-defined]
        root.addHandler(handler)
