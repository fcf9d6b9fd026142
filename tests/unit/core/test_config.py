"""Every setting is documented in the README (the `config` command: tests/integration/test_cli_commands.py)."""

import re
from pathlib import Path

from dashboard.core import config

ROOT = Path(__file__).resolve().parents[3]


def test_every_setting_is_in_the_readme_settings_table():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, re.MULTILINE))
    declared = {s.name for s in config.SETTINGS}
    assert declared - documented == set(), "settings missing from the README"
    assert documented - declared == set(), "README documents settings that do not exist"


def test_bad_numbers_get_a_clear_message(monkeypatch):
    monkeypatch.setenv("DEFAULT_CYCLE", "twenty")
    try:
        config.get("DEFAULT_CYCLE")
    except SystemExit as exc:
        assert "DEFAULT_CYCLE" in str(exc) and "whole number" in str(exc)
    else:
        raise AssertionError("expected a clear error")
