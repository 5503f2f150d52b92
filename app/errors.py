"""The errors a front end tells apart, in one place, so that front ends need not import
the engines (agent.errors explains the taxonomy)."""

from agent.errors import SHOWN, AgentError, Limitation, NextStep, next_step
from memory.errors import VaultLocked, WrongPassphrase
from tools.errors import ToolError
from voice.errors import NoAudioDevice, VoiceError

__all__ = ["SHOWN", "AgentError", "Limitation", "NextStep", "NoAudioDevice", "ToolError",
           "VaultLocked", "VoiceError", "WrongPassphrase", "next_step"]
