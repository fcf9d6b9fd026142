"""Every setting is documented in the README and printed by `python -m dashboard config`."""
import re
import subprocess
import sys
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


def test_config_command_masks_secrets():
    env = {"FEC_API_KEY": "abcdef0123456789secret", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "dashboard", "config"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    assert "abcdef0123456789secret" not in out
    assert "FEC_API_KEY" in out and "ab" in out
    for setting in config.SETTINGS:
        assert setting.name in out and setting.help in out


def test_bad_numbers_get_a_clear_message(monkeypatch):
    monkeypatch.setenv("DEFAULT_CYCLE", "twenty")
    try:
        config.get("DEFAULT_CYCLE")
    except SystemExit as exc:
        assert "DEFAULT_CYCLE" in str(exc) and "whole number" in str(exc)
    else:
        raise AssertionError("expected a clear error")
