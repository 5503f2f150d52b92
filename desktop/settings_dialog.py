"""Settings, drawn from the config schema: one page per section, each field typed by its
setting, every change validated by the schema before it is written to famulus.toml. Cloud
API keys go to the system keyring, never to the file. The Memory page also has the
backup and restore actions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.settings import SETTINGS, Setting, SettingError, Settings, lookup, write_value
from desktop.backup_dialogs import ACTIONS
from desktop.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

SECTIONS = {"models": "Models", "inference": "Models", "privacy": "Cloud and privacy",
            "cloud": "Cloud and privacy", "agent": "Assistant", "tools": "Autonomy and tools",
            "voice": "Voice", "desktop": "Desktop", "memory": "Memory",
            "logging": "Memory"}
PROVIDERS = ("openai", "anthropic")


# Settings that name a model file: a button picks one. The embedded names stay offered.
FILE_SETTINGS = {"models.chat": ("default", "light")}


def _field(setting: Setting, value: Any) -> QWidget:
    if setting.name in FILE_SETTINGS:
        combo = QComboBox()
        combo.setEditable(True)  # a path may be typed too
        combo.addItems(FILE_SETTINGS[setting.name])
        combo.setCurrentText(str(value))
        return combo
    if setting.type is bool:
        box = QCheckBox()
        box.setChecked(bool(value))
        return box
    if setting.choices:
        combo = QComboBox()
        combo.addItems([str(c) for c in setting.choices])
        combo.setCurrentText(str(value))
        return combo
    line = QLineEdit(",".join(value) if isinstance(value, list) else str(value))
    return line


def _with_file_button(combo: QComboBox) -> QWidget:
    """The field and a button that puts a chosen file's path in it."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(combo, 1)
    button = QPushButton("Choose a file…")
    button.setEnabled(combo.isEnabled())

    def choose() -> None:
        path, _ = QFileDialog.getOpenFileName(row, "Choose a model file", "",
                                              "GGUF models (*.gguf);;All files (*)")
        if path:
            combo.setCurrentText(path)

    button.clicked.connect(choose)
    layout.addWidget(button)
    return row


def field_text(widget: QWidget) -> str:
    """A field's value as the text a setting accepts."""
    if isinstance(widget, QCheckBox):
        return "true" if widget.isChecked() else "false"
    if isinstance(widget, QComboBox):
        return widget.currentText()
    return widget.text()


class SettingsDialog(QDialog):
    """Edit the settings; `saved` lists what changed (it takes effect at the next start)."""

    def __init__(self, settings: Settings, config_file: Path, parent: QWidget | None = None,
                 store_key: Any = None, memory_action: Callable[[str], None] | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Famulus settings")
        self.resize(720, 560)
        self.settings, self.config_file = settings, config_file
        self.store_key = store_key or _store_key
        self.fields: dict[str, QWidget] = {}
        self.saved: list[str] = []
        tabs = self.tabs = QTabWidget()
        forms: dict[str, QFormLayout] = {}
        for setting in SETTINGS:
            title = SECTIONS.get(setting.name.split(".")[0], "Other")
            if title not in forms:
                forms[title] = self._page(tabs, title)
            widget = _field(setting, settings[setting.name])
            widget.setToolTip(setting.description)
            source = settings.source(setting.name)
            if source.startswith(("env", "flag")):  # these win over the file
                widget.setEnabled(False)
                widget.setToolTip(f"Set by {setting.env_var}. " + setting.description)
            label = QLabel(setting.name.split(".", 1)[1].replace("_", " "))
            label.setToolTip(setting.description)
            forms[title].addRow(label, _with_file_button(widget)
                                if setting.name in FILE_SETTINGS else widget)
            self.fields[setting.name] = widget
        self.keys = {p: QLineEdit() for p in PROVIDERS}
        for provider, line in self.keys.items():
            line.setEchoMode(QLineEdit.EchoMode.Password)
            line.setPlaceholderText("unchanged (stored in the system keyring)")
            forms["Cloud and privacy"].addRow(f"{provider} API key", line)
        if memory_action is not None:
            forms["Memory"].addRow("Backup and restore", _memory_buttons(memory_action))
        self.message = QLabel("Changes take effect the next time Famulus starts.")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def show_setting(self, prefix: str) -> None:
        """Open the page with the first setting under `prefix` (e.g. "tools.smtp") and put
        the cursor in it: where a "not set up" message leads."""
        name = next((n for n in self.fields if n.startswith(prefix + ".")), "")
        if not name:
            return
        widget = self.fields[name]
        for index in range(self.tabs.count()):
            if self.tabs.widget(index).isAncestorOf(widget):
                self.tabs.setCurrentIndex(index)
        widget.setFocus()

    def _page(self, tabs: QTabWidget, title: str) -> QFormLayout:
        inner = QWidget()
        form = QFormLayout(inner)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        tabs.addTab(scroll, title)
        return form

    def changes(self) -> dict[str, str]:
        """The settings whose field differs from the effective value, as text."""
        changed = {}
        for setting in SETTINGS:
            widget = self.fields[setting.name]
            if not widget.isEnabled():
                continue
            try:
                value = setting.coerce(field_text(widget))
            except SettingError:
                changed[setting.name] = field_text(widget)  # save() reports it
                continue
            if value != self.settings[setting.name]:
                changed[setting.name] = field_text(widget)
        return changed

    def save(self) -> None:
        """Validate everything first, then write; a bad value names itself and nothing is
        written."""
        changes = self.changes()
        errors = []
        for name, raw in changes.items():
            try:
                lookup(name).coerce(raw)
            except SettingError as exc:
                errors.append(str(exc))
        if errors:
            self.message.setText("Not saved: " + "; ".join(errors))
            return
        for name, raw in changes.items():
            write_value(self.config_file, name, raw)
        for provider, line in self.keys.items():
            if line.text().strip():
                try:
                    self.store_key(provider, line.text().strip())
                except Exception as exc:  # no keyring: say so, keep the rest saved
                    self.message.setText(f"The {provider} key was not stored: {exc}")
                    return
                changes[f"{provider} API key"] = "(stored)"
        self.saved = sorted(changes)
        self.accept()


def _memory_buttons(memory_action: Callable[[str], None]) -> QWidget:
    """The Memory menu's backup and restore actions, as buttons on the Memory page."""
    row = QWidget()
    column = QVBoxLayout(row)
    column.setContentsMargins(0, 0, 0, 0)
    for name, text in ACTIONS.items():
        button = QPushButton(text.replace("&", ""))
        button.clicked.connect(lambda _=False, n=name: memory_action(n))
        column.addWidget(button)
    return row


def _store_key(provider: str, value: str) -> None:
    from app.secrets import store_api_key

    store_api_key(provider, value)
