"""Voice errors: each says what happened and what to do, so the app can go on by text."""

from __future__ import annotations


class VoiceError(Exception):
    """Base of the voice errors."""


class VoiceModelMissing(VoiceError):
    """A speech model is not installed or its files are damaged."""


class AudioFileError(VoiceError):
    """An audio file cannot be read: missing, corrupt, or an unsupported format."""


class NoAudioDevice(VoiceError):
    """No microphone or speaker, or it went away while in use."""
