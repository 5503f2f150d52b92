"""API keys: from the OS keyring or the environment, never from the config file."""

from __future__ import annotations

import os

from agent.errors import AgentError, NextStep
from app.logs import register_secret

SERVICE = "famulus"
ENV_VARS = {
    "openai": ("FAMULUS_OPENAI_API_KEY", "OPENAI_API_KEY"),
    "anthropic": ("FAMULUS_ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY"),
    "smtp": ("FAMULUS_SMTP_PASSWORD",),
    "imap": ("FAMULUS_IMAP_PASSWORD",),
    "caldav": ("FAMULUS_CALDAV_PASSWORD",),
}
NAMES = (*ENV_VARS, "connector:NAME")


def check_name(name: str) -> str:
    """`name` if it is a secret Famulus uses; ValueError listing the known ones."""
    if name in ENV_VARS or (name.startswith("connector:") and name[10:].isidentifier()):
        return name
    raise ValueError(f"{name!r} is not a secret Famulus uses: {', '.join(NAMES)}")


def _env_names(provider: str) -> tuple[str, ...]:
    if provider.startswith("connector:"):
        return (f"FAMULUS_CONNECTOR_{provider[10:].upper()}_KEY",)
    return ENV_VARS.get(provider, ())


class KeyringUnavailable(AgentError):
    """No OS keyring can store secrets on this machine (the message says which
    environment variable to set instead)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, NextStep.CONFIGURE)


def api_key(provider: str) -> tuple[str | None, str]:
    """The key for `provider` and where it came from ('env NAME', 'keyring' or 'none')."""
    for name in _env_names(provider):
        if os.environ.get(name):
            register_secret(os.environ[name])
            return os.environ[name], f"env {name}"
    try:
        import keyring

        value = keyring.get_password(SERVICE, provider)
    except Exception:  # any keyring backend failure means "no key there"
        value = None
    if value:
        register_secret(value)
        return value, "keyring"
    return None, "none"


def store_api_key(provider: str, value: str) -> None:
    """Keep `value` in the OS keyring for `provider`."""
    register_secret(value)
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(SERVICE, provider, value)
    except (KeyringError, RuntimeError) as exc:
        names = " or ".join(_env_names(provider))
        raise KeyringUnavailable(
            f"no OS keyring could store the key ({exc}); set {names} in the environment instead"
        ) from None


def delete_api_key(provider: str) -> bool:
    """Remove the stored key for `provider`; False if there was none."""
    try:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        keyring.delete_password(SERVICE, provider)
    except PasswordDeleteError:
        return False
    except (KeyringError, RuntimeError) as exc:
        raise KeyringUnavailable(f"no OS keyring is available ({exc})") from None
    return True
