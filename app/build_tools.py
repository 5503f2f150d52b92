"""Building the tools from the person's settings: the registry, the boundaries, the
services and the encrypted action store. The only place that reads tools.* settings."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from app import secrets
from app.build_memory import memory_root
from app.profile import Profile
from tools.boundaries import Boundaries
from tools.catalog import Sources, build_registry
from tools.gate import Gate
from tools.registry import Registry
from tools.service import ToolService


def _folder(setting: str, default: Path) -> Path:
    return Path(setting).expanduser() if setting else default


def sources(profile: Profile) -> Sources:
    s, config = profile.settings, profile.paths.config_dir
    return Sources(user_dir=_folder(s.tools.user_dir, config / "tools"),
                   connectors_dir=_folder(s.tools.connectors_dir, config / "connectors"),
                   mcp_file=_folder(s.tools.mcp_file, config / "mcp.json"),
                   secret=lambda name: secrets.api_key(name)[0])


def registry(profile: Profile, with_mcp: bool = True) -> tuple[Registry, list[str]]:
    """Every tool, and a line per source that could not be used."""
    return build_registry(sources(profile), with_mcp)


def add_mcp_tools(profile: Profile, service: ToolService) -> list[str]:
    """Start the MCP servers and add their tools to a service built without them."""
    from tools.catalog import mcp_tools

    problems: list[str] = []
    mcp_file = sources(profile).mcp_file
    for t in mcp_tools(mcp_file, problems) if mcp_file else []:
        if t.name not in service.registry:
            service.registry.add(t)
    return problems


def boundaries(profile: Profile) -> Boundaries:
    s = profile.settings
    return Boundaries(tuple(Path(p).expanduser() for p in s.tools.allowed_paths),
                      tuple(s.tools.allowed_hosts), tuple(s.tools.allowed_recipients))


def services(profile: Profile, store: Any) -> dict[str, Any]:
    """The services tools may use, built from the settings that are filled in."""
    from tools.communication.mail_services import ImapService, SmtpService
    from tools.communication.outbox import Outbox
    from tools.productivity.caldav_service import CalendarService
    from tools.productivity.local_calendar import LocalCalendarService

    s = profile.settings
    found: dict[str, Any] = {
        "notes_dir": _folder(s.tools.notes_dir, profile.paths.data_dir / "notes"),
        "fetch_max_bytes": s.tools.fetch_max_kb << 10,
        "fetch_timeout_s": s.tools.fetch_timeout_s,
        "data_max_bytes": s.tools.data_max_mb << 20,
    }
    smtp = None
    if s.tools.smtp.host:
        smtp = SmtpService(s.tools.smtp.host, s.tools.smtp.port,
                           s.tools.smtp.security, s.tools.smtp.username,
                           secrets.api_key("smtp")[0] or "", s.tools.smtp.sender,
                           s.tools.smtp.ca_file)
        found["smtp"] = smtp
    found["outbox"] = Outbox(store, smtp)
    if s.tools.imap.host:
        found["imap"] = ImapService(s.tools.imap.host, s.tools.imap.port,
                                    s.tools.imap.security, s.tools.imap.username,
                                    secrets.api_key("imap")[0] or "", s.tools.imap.ca_file)
    if s.tools.caldav.url:
        found["caldav"] = CalendarService(s.tools.caldav.url, s.tools.caldav.username,
                                          secrets.api_key("caldav")[0] or "",
                                          s.tools.caldav.calendar)
    else:  # events, tasks and reminders are kept on this machine
        found["caldav"] = LocalCalendarService(profile.paths.data_dir / "calendar")
    return found


def build_service(profile: Profile, store: Any, tools: Registry,
                  autonomy: int | None = None) -> ToolService:
    """A ToolService over `store` with the profile's (or the given) autonomy level."""
    s = profile.settings
    level = s.tools.autonomy_level if autonomy is None else autonomy
    gate = Gate(tools, boundaries(profile), level, min_confidence=s.tools.min_confidence,
                max_argument_bytes=s.tools.data_max_mb << 20)
    return ToolService(tools, gate, store, services(profile, store), s.tools.mail_undo_s,
                       s.tools.review_expiry_hours * 3600)


def with_memory(profile: Profile, memory: Any, autonomy: int | None = None) -> ToolService:
    """Every tool, the memory tools among them, over the memory's own action store; held
    mail that is due leaves now."""
    from memory.actions import FILE, ActionDatabase
    from tools.productivity import MEMORY_TOOLS

    store = ActionDatabase(memory.paths.root / FILE, memory.key)
    tools, _ = registry(profile)
    for t in MEMORY_TOOLS:
        tools.add(t)
    service = build_service(profile, store, tools, autonomy)
    service.services["memory"] = memory
    service.dispatch_due()
    return service


@contextlib.contextmanager
def tool_service(profile: Profile, with_mcp: bool = True,
                 ask_passphrase: Callable[[], str] | None = None) -> Iterator[ToolService]:
    """The profile's ToolService over its encrypted action store (without opening the
    memory itself); held mail that is due leaves on the way in. A locked memory asks
    `ask_passphrase`, or raises VaultLocked when there is none to ask."""
    from memory.actions import open_actions
    from memory.errors import VaultLocked

    try:
        store = open_actions(memory_root(profile))
    except VaultLocked:
        if ask_passphrase is None:
            raise
        store = open_actions(memory_root(profile), ask_passphrase())
    try:
        tools, _ = registry(profile, with_mcp)
        service = build_service(profile, store, tools)
        service.dispatch_due()
        yield service
    finally:
        store.close()
