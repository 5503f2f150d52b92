"""One error taxonomy for tools.

`ToolError` and its subclasses are answers the model (and the person) should see and can
act on: a bad argument, a refused path, a rate limit, a service that failed. Anything else
raised inside a tool is a bug and propagates after it is audited.
"""

from __future__ import annotations


class ToolError(Exception):
    """An error whose message is shown to the model and the person."""


class UnknownTool(ToolError):
    """No tool of that name is registered."""


class ToolInputError(ToolError):
    """The arguments do not match the tool's schema; the message says how to fix them."""


class PermissionDenied(ToolError):
    """The call reaches outside what the person granted (a path, a host, a recipient)."""


class RateLimited(ToolError):
    """The tool was called too often; `retry_after_s` says when it may run again."""

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ToolFailed(ToolError):
    """The tool ran and failed; `retryable` failures (timeouts, refused connections) are
    retried with backoff, the others are not."""

    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class ToolTimeout(ToolFailed):
    """The tool took longer than its manifest allows."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


class Cancelled(ToolError):
    """The person (or the agent) cancelled the action while it ran."""


class SandboxUnavailable(ToolError):
    """bubblewrap is missing or cannot create its namespaces here."""


class NotUndoable(ToolError):
    """The action has no undo, was undone already, or its effect changed since."""


class ReviewError(ToolError):
    """No such review item, or it was already decided or has expired."""


class AuditTampered(ToolError):
    """The audit log's hash chain is broken: an entry was changed or removed."""


class ManifestError(ToolError):
    """A tool manifest (JSON) is malformed."""


class NotSetUp(ToolFailed):
    """The tool needs a service the person has not set up; `settings` names the section of
    the settings that sets it up (e.g. "tools.smtp"), for a front end to open."""

    def __init__(self, message: str, settings: str) -> None:
        super().__init__(message)
        self.settings = settings
