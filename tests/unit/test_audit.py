"""`make audit` (devtools/audit.py): pip-audit against a local OSV database file; it says plainly when
it could not check anything and never reports "no known vulnerabilities" then."""

from __future__ import annotations

import json
import zipfile
from importlib.metadata import version

import pytest

from devtools import audit


def osv_export(path, *records):
    with zipfile.ZipFile(path, "w") as export:
        for record in records:
            export.writestr(f"{record['id']}.json", json.dumps(record))
    return path


def advisory(ident, package, events=None, versions=None):
    affected = {"package": {"ecosystem": "PyPI", "name": package}, "versions": versions or []}
    if events:
        affected["ranges"] = [{"type": "ECOSYSTEM", "events": events}]
    return {"schema_version": "1.6.0", "id": ident, "summary": f"{ident} summary", "affected": [affected]}


def test_no_database_file_is_said_plainly_and_fails(tmp_path, capsys):
    assert audit.main(["--db", str(tmp_path / "missing.zip")]) == audit.COULD_NOT_CHECK
    out, err = capsys.readouterr()
    assert "could not check anything" in err and "make audit-refresh" in err
    assert "no known vulnerabilities" not in out + err


def test_an_unreadable_or_empty_database_fails(tmp_path, capsys):
    (tmp_path / "garbled.zip").write_bytes(b"not a zip")
    assert audit.main(["--db", str(tmp_path / "garbled.zip")]) == audit.COULD_NOT_CHECK
    assert "unreadable" in capsys.readouterr().err
    assert audit.main(["--db", str(osv_export(tmp_path / "empty.zip"))]) == audit.COULD_NOT_CHECK
    assert "holds no PyPI advisory" in capsys.readouterr().err


def test_a_refresh_that_cannot_reach_the_export_fails_plainly(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(audit, "EXPORT_URL", "http://127.0.0.1:9/all.zip")  # nothing listens there
    assert audit.main(["--db", str(tmp_path / "osv.zip"), "--refresh"]) == audit.COULD_NOT_CHECK
    assert "could not refresh" in capsys.readouterr().err and not (tmp_path / "osv.zip").exists()


@pytest.mark.parametrize(
    ("events", "versions", "installed", "hit"),
    [
        ([{"introduced": "0"}, {"fixed": "2.0"}], None, "1.9", True),
        ([{"introduced": "0"}, {"fixed": "2.0"}], None, "2.0", False),
        ([{"introduced": "1.0"}, {"last_affected": "1.5"}], None, "1.5", True),
        ([{"introduced": "1.0"}, {"last_affected": "1.5"}], None, "1.6", False),
        ([{"introduced": "1.0"}, {"fixed": "1.2"}, {"introduced": "1.4"}], None, "1.3", False),
        ([{"introduced": "1.0"}, {"fixed": "1.2"}, {"introduced": "1.4"}], None, "3.0", True),
        (None, ["0.9", "1.0"], "1.0", True),
    ],
)
def test_which_versions_an_advisory_names(events, versions, installed, hit):
    assert audit.affects(advisory("X-1", "Some_Package", events, versions), "some-package", installed) is hit


def test_summary_is_incomplete_when_a_package_was_skipped(tmp_path):
    db = osv_export(tmp_path / "osv.zip", advisory("X-1", "nothing-installed", versions=["1"]))
    report = {"dependencies": [{"name": "a", "version": "1", "vulns": []}, {"name": "b", "skip_reason": "not on PyPI"}]}
    status, lines = audit.summarize(report, db)
    assert status == audit.COULD_NOT_CHECK and "incomplete" in lines[-1]
    status, lines = audit.summarize({"dependencies": []}, db)
    assert status == audit.COULD_NOT_CHECK and "could not check anything" in lines[0]
    # pip-audit offline against a service it cannot reach: every package skipped, its exit status 0
    unreachable = {"dependencies": [{"name": "a", "skip_reason": "Dependency not found on PyPI"}], "fixes": []}
    status, lines = audit.summarize(unreachable, db)
    assert status == audit.COULD_NOT_CHECK and lines == [
        "could not check anything: pip-audit checked none of 1 installed packages (e.g. Dependency not found on PyPI)"
    ]


@pytest.mark.slow
def test_pip_audit_runs_offline_against_the_file(tmp_path, capsys):
    installed = version("duckdb")
    db = osv_export(
        tmp_path / "osv.zip",
        advisory("TEST-1", "duckdb", [{"introduced": "0"}, {"fixed": "999.0"}]),
        advisory("TEST-2", "duckdb", [{"introduced": "0"}, {"fixed": "0.1"}]),  # an old one, fixed long ago
    )
    assert audit.main(["--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert f"duckdb {installed}: TEST-1 (fixed in 999.0)" in out and "TEST-2" not in out
    assert "checked" in out and "installed packages" in out

    clean = osv_export(tmp_path / "clean.zip", advisory("TEST-2", "duckdb", [{"introduced": "0"}, {"fixed": "0.1"}]))
    assert audit.main(["--db", str(clean)]) == 0
    assert "no known vulnerabilities in any installed package" in capsys.readouterr().out
