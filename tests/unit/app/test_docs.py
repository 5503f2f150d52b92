from pathlib import Path

from app.settings import SETTINGS

DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "configuration.md").read_text()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text]
    assert not missing, f"document these in docs/configuration.md: {missing}"
