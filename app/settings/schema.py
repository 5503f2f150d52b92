"""The declarative settings schema: every setting with its type, default and description.

In the spirit of qutebrowser's configdata: the schema is data, so `famulus config show`,
the settings dialog and validation all read the same table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from agent.errors import AgentError, NextStep


class SettingError(AgentError, ValueError):
    """A setting has a value of the wrong type or out of range, or is unknown."""

    def __init__(self, message: str) -> None:
        super().__init__(message, NextStep.CONFIGURE)


@dataclass(frozen=True)
class Setting:
    """One setting: its dotted name, type, default, description and allowed values."""

    name: str
    type: type
    default: Any
    description: str
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def env_var(self) -> str:
        """The environment variable that overrides this setting."""
        return "FAMULUS_" + self.name.upper().replace(".", "_")

    def coerce(self, value: Any) -> Any:
        """Turn `value` (from TOML, the environment or a command line) into this type."""
        converted = _convert(self, value)
        if self.choices and converted not in self.choices:
            allowed = ", ".join(map(str, self.choices))
            raise SettingError(f"{self.name}: {converted!r} is not one of {allowed}")
        if self.minimum is not None and converted < self.minimum:
            raise SettingError(f"{self.name}: {converted} is below the minimum {self.minimum}")
        if self.maximum is not None and converted > self.maximum:
            raise SettingError(f"{self.name}: {converted} is above the maximum {self.maximum}")
        return converted


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _convert(setting: Setting, value: Any) -> Any:
    kind = setting.type
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE | _FALSE:
                return text in _TRUE
            raise ValueError(value)
        if kind is list:
            return _as_list(value)
        if kind is int and isinstance(value, bool):
            raise ValueError(value)
        return kind(value)
    except (TypeError, ValueError):
        raise SettingError(
            f"{setting.name}: {value!r} is not a valid {kind.__name__}"
        ) from None


def _as_list(value: Any) -> list[str]:
    """A list from TOML, or from text: a JSON list ('["a", "b"]') or comma-separated."""
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise ValueError(value) from None
        if not isinstance(value, list):
            raise ValueError(value)
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [part.strip() for part in str(value).split(",") if part.strip()]


SETTINGS: tuple[Setting, ...] = (
    # Models
    Setting("models.chat", str, "default",
            "The chat model: 'default' (embedded Qwen2.5-Coder-1.5B), 'light' (embedded "
            "Qwen2.5-Coder-0.5B) or the path of a GGUF file."),
    Setting("models.paths", list, [],
            "Extra GGUF files or folders of GGUF files to list and offer as chat models."),
    Setting("models.context_length", int, 4096,
            "Tokens of context the local model is loaded with (its window caps it).",
            minimum=512, maximum=131072),
    Setting("models.threads", int, 0,
            "CPU threads for the local model; 0 means one per physical core.",
            minimum=0, maximum=256),
    Setting("models.gpu_layers", str, "auto",
            "Layers to offload to an NVIDIA GPU: 'auto' sizes them to free VRAM, a number "
            "sets them, 0 keeps the model on the CPU."),
    Setting("models.vram_budget_mb", int, 7680,
            "The most GPU memory (MiB) the local model and its KV cache may use.",
            minimum=0),
    Setting("models.embedding", str, "default",
            "The embedding model: 'default' (embedded all-MiniLM-L6-v2) or the folder of a "
            "sentence-transformers model."),
    Setting("models.embedding_engine", str, "auto",
            "What runs the embedding model: 'auto' (the int8 ONNX copy of the default "
            "model on a CPU, sentence-transformers otherwise), 'onnx' or "
            "'sentence-transformers'.", choices=("auto", "onnx", "sentence-transformers")),
    Setting("models.embedding_device", str, "auto",
            "Where embeddings run: 'auto' (CUDA when torch sees it), 'cpu' or 'cuda'.",
            choices=("auto", "cpu", "cuda")),
    # Inference and the router
    Setting("inference.order", list, ["local", "cloud"],
            "The order in which backends are tried: 'local', 'cloud' (the configured "
            "cloud provider)."),
    Setting("inference.timeout_s", float, 60.0,
            "Seconds a cloud backend may take to start answering before the router falls "
            "back.", minimum=1.0),
    Setting("inference.max_tokens", int, 512,
            "The longest answer, in tokens.", minimum=1),
    Setting("inference.temperature", float, 0.2,
            "Sampling temperature.", minimum=0.0, maximum=2.0),
    Setting("inference.min_tool_call_confidence", float, 0.0,
            "A local model's tool call is made only if the model gave at least this "
            "probability to calling a tool; below it, it answers in words (0 = always call).",
            minimum=0.0, maximum=1.0),
    # Privacy and the cloud
    Setting("privacy.allow_cloud", bool, False,
            "Allow requests to a cloud API. Off: nothing leaves this machine."),
    Setting("cloud.provider", str, "openai",
            "Which cloud backend the router uses: 'openai' (any OpenAI-compatible server) "
            "or 'anthropic'.", choices=("openai", "anthropic")),
    Setting("cloud.openai.base_url", str, "https://api.openai.com/v1",
            "Base URL of an OpenAI-compatible API (OpenAI, vLLM, a llama.cpp server, "
            "Ollama's /v1)."),
    Setting("cloud.openai.model", str, "gpt-4o-mini",
            "Model name sent to the OpenAI-compatible API."),
    Setting("cloud.anthropic.base_url", str, "https://api.anthropic.com",
            "Base URL of the Anthropic API."),
    Setting("cloud.anthropic.model", str, "claude-3-5-haiku-latest",
            "Model name sent to the Anthropic API."),
    # Memory
    Setting("memory.graph_engine", str, "kuzu",
            "The graph database for semantic memory: 'kuzu' (0.11.3) or 'ladybug' (its "
            "maintained fork). The graph is rebuilt from the event log when this changes.",
            choices=("kuzu", "ladybug")),
    Setting("memory.keyword_weight", float, 0.5,
            "How much the full-text (BM25) ranking counts against the meaning (vector) "
            "ranking when hybrid search fuses them; 1 weighs them equally, 0 ignores words.",
            minimum=0.0, maximum=2.0),
    Setting("memory.retention_days", int, 90,
            "Episodes older than this many days are forgotten for good when `famulus memory "
            "retention` runs. 0 keeps everything.", minimum=0),
    # The agent
    Setting("agent.tone", str, "friendly", "How Famulus speaks: 'friendly', 'neutral' or "
            "'formal'.", choices=("friendly", "neutral", "formal")),
    Setting("agent.verbosity", str, "normal", "How much it says: 'brief', 'normal' or "
            "'detailed'.", choices=("brief", "normal", "detailed")),
    Setting("agent.proactivity", str, "normal",
            "How often it tells you things unasked (reminders, waiting reviews, slipping "
            "goals): 'off', 'low' (urgent only), 'normal' or 'high'.",
            choices=("off", "low", "normal", "high")),
    Setting("agent.max_steps", int, 5,
            "Tool rounds one turn may take before Famulus must answer.", minimum=1,
            maximum=20),
    Setting("agent.token_budget", int, 2048,
            "Tokens one turn may generate across its tool rounds before it must answer.",
            minimum=64),
    Setting("agent.max_tools", int, 6,
            "Tools offered to the model in one turn (those that fit the request best).",
            minimum=1, maximum=64),
    Setting("agent.goal_weights", list, ["0.4", "0.3", "0.3"],
            "How goals are ranked: the weights of urgency, importance and your preference."),
    Setting("agent.memory_budget_tokens", int, 700,
            "Tokens of remembered context put into each turn's prompt.", minimum=0),
    # Voice
    Setting("voice.stt_model", str, "base",
            "Speech-to-text: 'base' (the embedded Whisper base) or the folder of a "
            "faster-whisper (CTranslate2) model."),
    Setting("voice.tts_voice", str, "joe",
            "Text-to-speech: 'joe' (the embedded Piper voice en_US-joe-medium) or the path "
            "of a Piper voice .onnx file (its .onnx.json beside it)."),
    Setting("voice.device", str, "auto",
            "Where speech-to-text runs: 'auto' (a CUDA GPU when there is one), 'cpu' or "
            "'cuda'.", choices=("auto", "cpu", "cuda")),
    Setting("voice.language", str, "en",
            "The language spoken to Famulus (a Whisper language code); empty: detect it."),
    Setting("voice.input_device", str, "",
            "The microphone (a name or number from `python -m sounddevice`); empty: the "
            "default."),
    Setting("voice.output_device", str, "",
            "The sound output device (a name or number from `python -m sounddevice`); "
            "empty: the default."),
    Setting("voice.push_to_talk_key", str, "F9",
            "The window's hold-to-talk key (a Qt key name such as F9, F12 or Pause): hold "
            "it to talk, let go to send."),
    Setting("voice.global_hotkey", bool, False,
            "Also take the push-to-talk key when another window has the focus (X11 only; "
            "other programs then do not get that key while Famulus runs)."),
    # The desktop app
    Setting("desktop.auto_lock_minutes", int, 0,
            "Lock the memory after this many minutes without use (the passphrase opens it "
            "again); 0: never.", minimum=0),
    Setting("desktop.close_to_tray", bool, True,
            "Closing the window keeps Famulus running in the system tray."),
    Setting("desktop.theme", str, "system",
            "The window's colours: system (follow the desktop's light or dark mode), light "
            "or dark.", choices=("system", "light", "dark")),
    Setting("desktop.font_size", int, 0,
            "The text size in points for the window; 0: the system's size.", minimum=0,
            maximum=32),
    Setting("desktop.speak_typed_replies", bool, False,
            "Speak replies to typed messages too (spoken questions are always answered "
            "aloud)."),
    # Tools and autonomy
    Setting("tools.autonomy_level", int, 1,
            "How much tools may do without asking: 0 every action waits for your approval; "
            "1 reads and writes inside your granted folders run, external and irreversible "
            "ones wait; 2 anything inside your boundaries runs; 3 everything runs, audited.",
            minimum=0, maximum=3),
    Setting("tools.allowed_paths", list, [],
            "Folders file and data tools may use (a hard limit at every level)."),
    Setting("tools.allowed_hosts", list, [],
            "Hosts tools may reach without review: 'example.com', '*.example.com', or '*'."),
    Setting("tools.allowed_recipients", list, [],
            "E-mail recipients that need no review at level 2: addresses or '@domain'."),
    Setting("tools.min_confidence", float, 0.1,
            "Tool calls the model is less sure of than this wait for review (below level "
            "3). A local model's confidence is the probability it gave to starting a call; "
            "the embedded models' calls measure about 0.2 to 0.9.", minimum=0.0, maximum=1.0),
    Setting("tools.review_expiry_hours", float, 24.0,
            "Review items not decided within this many hours expire.", minimum=0.01),
    Setting("tools.mail_undo_s", float, 30.0,
            "Seconds outgoing mail is held (so `famulus undo` can cancel it) below autonomy "
            "level 3.", minimum=0.0),
    Setting("tools.notes_dir", str, "",
            "The folder of Markdown notes; empty: 'notes' in the data folder."),
    Setting("tools.user_dir", str, "",
            "A folder of JSON tool manifests with commands; empty: 'tools' in the config "
            "folder."),
    Setting("tools.connectors_dir", str, "",
            "A folder of JSON REST connectors; empty: 'connectors' in the config folder."),
    Setting("tools.mcp_file", str, "",
            "The MCP servers file ({\"mcpServers\": …}); empty: 'mcp.json' in the config "
            "folder."),
    Setting("tools.fetch_max_kb", int, 2048,
            "The largest page web_fetch downloads, in KiB.", minimum=1),
    Setting("tools.fetch_timeout_s", float, 20.0,
            "Seconds web_fetch waits for a server.", minimum=1.0),
    Setting("tools.data_max_mb", int, 50,
            "The largest CSV, JSON or PDF file the data tools open, in MiB.", minimum=1),
    Setting("tools.caldav.url", str, "",
            "Your CalDAV server (calendar, tasks, reminders); the password is in the "
            "keyring (`famulus keys set caldav`)."),
    Setting("tools.caldav.username", str, "", "The CalDAV user name."),
    Setting("tools.caldav.calendar", str, "Famulus",
            "The calendar Famulus uses (created if missing)."),
    Setting("tools.smtp.host", str, "", "Your outgoing mail server."),
    Setting("tools.smtp.port", int, 587, "Its port.", minimum=1, maximum=65535),
    Setting("tools.smtp.security", str, "starttls",
            "'starttls', 'tls' (implicit, port 465) or 'none' (a local relay only).",
            choices=("starttls", "tls", "none")),
    Setting("tools.smtp.username", str, "",
            "The SMTP login; the password is in the keyring (`famulus keys set smtp`)."),
    Setting("tools.smtp.sender", str, "", "The From address; empty: the SMTP login."),
    Setting("tools.smtp.ca_file", str, "",
            "A CA certificate file to trust for SMTP TLS (e.g. a home server's own)."),
    Setting("tools.imap.host", str, "", "Your incoming mail server (IMAP)."),
    Setting("tools.imap.port", int, 993, "Its port.", minimum=1, maximum=65535),
    Setting("tools.imap.security", str, "tls", "'tls', 'starttls' or 'none'.",
            choices=("tls", "starttls", "none")),
    Setting("tools.imap.username", str, "",
            "The IMAP login; the password is in the keyring (`famulus keys set imap`)."),
    Setting("tools.imap.ca_file", str, "", "A CA certificate file to trust for IMAP TLS."),
    # Logging
    Setting("logging.level", str, "INFO", "Console and log-file level.",
            choices=("DEBUG", "INFO", "WARNING", "ERROR")),
    Setting("logging.redact_personal", bool, True,
            "Replace e-mail addresses and phone numbers in log lines with [EMAIL] and "
            "[PHONE] (secrets are always redacted)."),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


def lookup(name: str) -> Setting:
    """The setting called `name`, or a SettingError that lists near names."""
    try:
        return BY_NAME[name]
    except KeyError:
        section = name.split(".")[0]
        near = [s.name for s in SETTINGS if s.name.startswith(section + ".")]
        hint = f" (settings in '{section}': {', '.join(near)})" if near else ""
        raise SettingError(f"unknown setting {name!r}{hint}") from None
