"""Settings from the schema: typed fields, validation before anything is written, values
set by the environment locked, API keys to the keyring."""

from __future__ import annotations

from pathlib import Path

from app import settings as config
from desktop.qt import QCheckBox, QComboBox
from desktop.settings_dialog import SettingsDialog


def dialog_for(tmp_path: Path, qtbot, env: dict[str, str] | None = None,
               stored: list | None = None) -> SettingsDialog:
    path = tmp_path / "famulus.toml"
    dialog = SettingsDialog(config.load(path, env=env or {}), path,
                            store_key=lambda p, v: stored.append((p, v)) if stored is not None
                            else None)
    qtbot.addWidget(dialog)
    return dialog


def test_fields_follow_the_schema_and_valid_changes_are_written(tmp_path: Path, qtbot) -> None:
    stored: list = []
    dialog = dialog_for(tmp_path, qtbot, stored=stored)
    assert isinstance(dialog.fields["privacy.allow_cloud"], QCheckBox)
    assert isinstance(dialog.fields["agent.tone"], QComboBox)
    dialog.fields["tools.autonomy_level"].setText("2")
    dialog.fields["agent.tone"].setCurrentText("formal")
    dialog.keys["openai"].setText("sk-test")
    dialog.save()
    assert dialog.saved == ["agent.tone", "openai API key", "tools.autonomy_level"]
    assert stored == [("openai", "sk-test")]
    again = config.load(tmp_path / "famulus.toml", env={})
    assert again["tools.autonomy_level"] == 2 and again["agent.tone"] == "formal"


def test_a_bad_value_is_named_and_nothing_is_written(tmp_path: Path, qtbot) -> None:
    dialog = dialog_for(tmp_path, qtbot)
    dialog.fields["tools.autonomy_level"].setText("7")
    dialog.fields["agent.tone"].setCurrentText("formal")
    dialog.save()
    assert "tools.autonomy_level" in dialog.message.text() and "Not saved" in \
        dialog.message.text()
    assert not (tmp_path / "famulus.toml").exists()


def test_a_value_from_the_environment_is_locked(tmp_path: Path, qtbot) -> None:
    dialog = dialog_for(tmp_path, qtbot, env={"FAMULUS_MODELS_CHAT": "light"})
    assert not dialog.fields["models.chat"].isEnabled()
    assert "FAMULUS_MODELS_CHAT" in dialog.fields["models.chat"].toolTip()


def test_the_chat_model_offers_the_embedded_ones_or_a_file(tmp_path: Path, qtbot) -> None:
    dialog = dialog_for(tmp_path, qtbot)
    field = dialog.fields["models.chat"]
    assert [field.itemText(i) for i in range(field.count())] == ["default", "light"]
    (tmp_path / "my-model.gguf").write_bytes(b"GGUF")
    field.setCurrentText(str(tmp_path / "my-model.gguf"))  # as "Choose a file…" does
    dialog.save()
    again = config.load(tmp_path / "famulus.toml", env={})
    assert again["models.chat"] == str(tmp_path / "my-model.gguf")


def test_a_section_opens_on_its_page(tmp_path: Path, qtbot) -> None:
    dialog = dialog_for(tmp_path, qtbot)
    dialog.show_setting("tools.smtp")
    page = dialog.tabs.widget(dialog.tabs.currentIndex())
    assert page.isAncestorOf(dialog.fields["tools.smtp.host"])
