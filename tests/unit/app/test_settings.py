from pathlib import Path

import pytest

from app import paths, settings
from app.settings import SettingError


def test_defaults_with_their_source(tmp_path: Path) -> None:
    effective = settings.load(tmp_path / "none.toml", env={})
    assert effective["models.chat"] == "default"
    assert effective["privacy.allow_cloud"] is False
    assert effective.source("models.chat") == "default"


def test_file_then_env_then_flag(tmp_path: Path) -> None:
    config = tmp_path / "famulus.toml"
    config.write_text('[models]\nchat = "light"\ncontext_length = 2048\n')
    env = {"FAMULUS_MODELS_CONTEXT_LENGTH": "8192", "FAMULUS_PRIVACY_ALLOW_CLOUD": "yes"}
    effective = settings.load(config, env=env, overrides={"inference.max_tokens": "64"})
    assert effective["models.chat"] == "light"
    assert effective.source("models.chat") == f"file {config}"
    assert effective["models.context_length"] == 8192
    assert effective.source("models.context_length") == "env FAMULUS_MODELS_CONTEXT_LENGTH"
    assert effective["privacy.allow_cloud"] is True
    assert effective["inference.max_tokens"] == 64 and effective.source("inference.max_tokens") \
        == "flag"


def test_lists_from_the_environment(tmp_path: Path) -> None:
    effective = settings.load(None, env={"FAMULUS_MODELS_PATHS": "/a.gguf, /models"})
    assert effective["models.paths"] == ["/a.gguf", "/models"]


@pytest.mark.parametrize(("name", "value", "message"), [
    ("models.context_length", "lots", "not a valid int"),
    ("models.context_length", "10", "below the minimum"),
    ("privacy.allow_cloud", "perhaps", "not a valid bool"),
    ("cloud.provider", "acme", "not one of"),
])
def test_bad_values_are_named(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingError, match=message):
        settings.load(None, env={settings.lookup(name).env_var: value})


def test_unknown_key_in_file_is_reported_with_neighbours(tmp_path: Path) -> None:
    config = tmp_path / "famulus.toml"
    config.write_text("[models]\nchta = 'light'\n")
    with pytest.raises(SettingError, match=r"unknown setting 'models.chta'.*models.chat"):
        settings.load(config, env={})


def test_invalid_toml_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "famulus.toml"
    config.write_text("[models\n")
    with pytest.raises(SettingError, match="not valid TOML"):
        settings.load(config, env={})


def test_write_value_round_trips_and_validates(tmp_path: Path) -> None:
    config = tmp_path / "c" / "famulus.toml"
    settings.write_value(config, "models.chat", "light")
    settings.write_value(config, "models.threads", "1")
    with pytest.raises(SettingError):
        settings.write_value(config, "models.threads", "-3")
    effective = settings.load(config, env={})
    assert (effective["models.chat"], effective["models.threads"]) == ("light", 1)


def test_every_setting_has_a_description_and_a_valid_default() -> None:
    for setting in settings.SETTINGS:
        assert setting.description
        assert setting.coerce(setting.default) == setting.default


def test_famulus_home_moves_all_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMULUS_HOME", str(tmp_path))
    monkeypatch.delenv("FAMULUS_CACHE_DIR", raising=False)
    found = paths.resolve()
    assert found.config_file == tmp_path / "config" / "famulus.toml"
    assert found.data_dir == tmp_path / "data" and found.cache_dir == tmp_path / "cache"
    assert paths.resolve(tmp_path / "other").data_dir == tmp_path / "other" / "data"


def test_settings_read_as_typed_attributes(tmp_path: Path) -> None:
    from app.settings import Section, SettingError, load

    found = load(tmp_path / "none.toml", env={"FAMULUS_TOOLS_SMTP_PORT": "2525"})
    assert found.models.context_length == 4096 and isinstance(found.models.context_length, int)
    assert found.tools.smtp.port == 2525 and isinstance(found.tools.smtp, Section)
    assert found.models.embedding == "default"  # a setting, though also a prefix of others
    with pytest.raises(SettingError, match=r"unknown setting 'models\.colour'"):
        _ = found.models.colour


def test_a_list_given_as_json_is_a_list(tmp_path: Path) -> None:
    path = tmp_path / "famulus.toml"
    settings.write_value(path, "tools.allowed_hosts", '["a.example", "b.example"]')
    settings.write_value(path, "tools.allowed_recipients", "x@example.com, @example.org")
    loaded = settings.load(path, env={})
    assert loaded.tools.allowed_hosts == ["a.example", "b.example"]
    assert loaded.tools.allowed_recipients == ["x@example.com", "@example.org"]
    with pytest.raises(SettingError, match="not a valid list"):
        settings.write_value(path, "tools.allowed_hosts", '["a", ')


def test_a_model_that_is_not_there_is_refused_when_set(tmp_path: Path) -> None:
    path = tmp_path / "famulus.toml"
    with pytest.raises(SettingError, match="does not exist"):
        settings.write_value(path, "models.chat", str(tmp_path / "missing.gguf"))
    assert not path.exists()
    settings.write_value(path, "models.chat", "light")
    (tmp_path / "mine.gguf").write_bytes(b"GGUF")
    settings.write_value(path, "models.chat", str(tmp_path / "mine.gguf"))
