"""Logging: JSON lines in the data dir, readable lines on the console, secrets redacted.

Redaction happens on the final formatted line of every handler, so a secret cannot slip
through a message argument, an exception's text or an `extra` field.
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
_PHONE = re.compile(r"(?<![\w.])\+?\d[\d\s().-]{7,}\d(?![\w.])")
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
        text = _PHONE.sub("[PHONE]", _EMAIL.sub("[EMAIL]", text))
    return text


_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLineFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, extra fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, default=str, ensure_ascii=False))


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
