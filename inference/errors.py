"""The inference layer's errors: each carries a message a person can act on.

`InferenceError` subclasses are expected failures (a missing model, a refused key, a
timeout) that the CLI and the app show as one clear line; anything else is a bug.
"""

from __future__ import annotations


class InferenceError(Exception):
    """An expected failure of the inference layer, with a user-facing message."""


class InvalidRequest(InferenceError):
    """The request itself is wrong (an empty prompt, an unknown model name)."""


class ModelFileError(InferenceError):
    """A model file is missing, truncated, corrupt or not a model."""


class ModelNotInstalled(ModelFileError):
    """An embedded model's packages are not installed."""


class ChecksumMismatch(ModelFileError):
    """A model file or one of its parts does not have the expected sha256."""


class BackendUnavailable(InferenceError):
    """A backend cannot answer now (not configured, not reachable, failed to load)."""


class BackendTimeout(BackendUnavailable):
    """A backend took longer than its timeout."""


class AuthenticationFailed(BackendUnavailable):
    """A cloud API refused the key (HTTP 401/403)."""


class AllBackendsFailed(InferenceError):
    """Every backend the router may use failed; the message lists why each failed."""
