import json
import logging
from pathlib import Path

import pytest

from app import logs, secrets

FAKE_KEY = "sk-test-PLANTED0123456789abcdefXYZ"


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "logs" / "famulus.jsonl"
    logs.configure(path, "DEBUG", console_level="CRITICAL")
    yield path
    logs.configure(None, "WARNING", console_level="CRITICAL")


def test_planted_api_key_never_reaches_the_log_file(
    log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    key, source = secrets.api_key("openai")
    assert key == FAKE_KEY and source == "env OPENAI_API_KEY"
    log = logging.getLogger("famulus.test")
    log.info("calling with key %s", key)
    log.warning("headers", extra={"headers": {"Authorization": f"Bearer {key}"}})
    try:
        raise RuntimeError(f"server refused {key}")
    except RuntimeError:
        log.exception("request failed")
    text = log_file.read_text()
    assert FAKE_KEY not in text
    assert logs.REDACTED in text
    assert all(json.loads(line)["logger"] == "famulus.test" for line in text.splitlines())


def test_secret_shapes_are_redacted_without_being_registered() -> None:
    line = logs.redact("api_key=abcdef123456 passphrase: hunter2hunter Bearer abc.def.ghijk")
    assert "abcdef123456" not in line and "hunter2hunter" not in line
    assert "abc.def.ghijk" not in line


def test_log_file_is_private(log_file: Path) -> None:
    logging.getLogger("famulus.test").warning("hello")
    assert log_file.stat().st_mode & 0o077 == 0


def test_personal_data_is_redacted_when_the_setting_says_so() -> None:
    line = "mail bob.smith@example.co.uk or call +44 20 7946 0958 about order 12345 at 10:30"
    try:
        logs.redact_personal(True)
        out = logs.redact(line)
        assert "[EMAIL]" in out and "[PHONE]" in out
        assert "example.co.uk" not in out and "7946" not in out
        assert "order 12345 at 10:30" in out  # short numbers and times stay
        logs.redact_personal(False)
        assert logs.redact(line) == line
    finally:
        logs.redact_personal(True)


def test_times_and_addresses_are_not_phone_numbers(log_file: Path) -> None:
    line = ("at 2026-12-02T00:57:12.345678+00:00 from 127.0.0.1:8765 and 192.168.10.200, "
            "version 1.22.333; call +44 20 7946 0958 or 555 123 9876")
    out = logs.redact(line)
    assert "2026-12-02T00:57:12.345678+00:00" in out and "127.0.0.1:8765" in out
    assert "192.168.10.200" in out and "1.22.333" in out
    assert "7946" not in out and "9876" not in out and out.count("[PHONE]") == 2
    logging.getLogger("famulus.test").warning("served", extra={"client": "127.0.0.1",
                                                               "password": "hunter2hunter"})
    entry = json.loads(log_file.read_text().splitlines()[-1])
    assert "[PHONE]" not in entry["time"] and entry["client"] == "127.0.0.1"
    assert entry["password"] == logs.REDACTED
