"""docs/settings.md lists every settings key with its default (no key undocumented)."""
import dataclasses
from pathlib import Path

from gunmane_geo.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def test_every_setting_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = []
    for section in dataclasses.fields(Settings):
        if f"## [{section.name}]" not in text:
            missing.append(f"[{section.name}]")
        body = text.split(f"## [{section.name}]", 1)[-1].split("\n## [", 1)[0]
        for key in dataclasses.fields(getattr(Settings(), section.name)):
            if f"| `{key.name}` |" not in body:
                missing.append(f"[{section.name}] {key.name}")
    assert not missing, f"add these to docs/settings.md: {missing}"
