"""`make audit`: pip-audit over the project's virtualenv against a vulnerability database file, so it
runs offline and says plainly when it could not check anything.

pip-audit asks an OSV server about each installed package (`--osv-url`). This serves that query on
127.0.0.1 from a file: OSV's export of every PyPI advisory (a zip of OSV JSON records), kept at
AUDIT_DB (default audit/osv-PyPI.zip, not in git). Refresh it when online:

    python -m devtools.audit --refresh      # or: make audit-refresh

It exits 0 only when every installed package was checked and none has a known vulnerability; 1 when
some have (each listed with the versions that fix it); 2 when nothing or not everything could be
checked (no database file, an unreadable one, pip-audit failing), never "no known vulnerabilities".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import urllib.request
import zipfile
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = ROOT / "audit" / "osv-PyPI.zip"
# OSV's public export of the PyPI ecosystem: one OSV JSON record per advisory, refreshed daily.
EXPORT_URL = os.environ.get("AUDIT_DB_URL", "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip")
COULD_NOT_CHECK = 2


class AuditError(RuntimeError):
    """Nothing (or not everything) could be checked: the message says why and what to do."""


def database_path() -> Path:
    return Path(os.environ.get("AUDIT_DB") or DEFAULT_DB)


def load_advisories(db: Path) -> dict[str, list[dict]]:
    """Canonical package name -> the OSV records that name it, from the export file."""
    if not db.is_file():
        raise AuditError(
            f"could not check anything: no vulnerability database at {db}. Refresh it while online with "
            "`make audit-refresh` (python -m devtools.audit --refresh), or point AUDIT_DB at a copy."
        )
    by_package: dict[str, list[dict]] = {}
    try:
        with zipfile.ZipFile(db) as export:
            for name in export.namelist():
                if not name.endswith(".json"):
                    continue
                record = json.loads(export.read(name))
                for affected in record.get("affected") or []:
                    package = affected.get("package") or {}
                    if package.get("ecosystem") == "PyPI" and package.get("name"):
                        by_package.setdefault(canonicalize_name(package["name"]), []).append(record)
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise AuditError(f"could not check anything: the vulnerability database {db} is unreadable ({exc})") from exc
    if not by_package:
        raise AuditError(f"could not check anything: the vulnerability database {db} holds no PyPI advisory")
    return by_package


def affects(record: dict, package: str, version: str) -> bool:
    """Whether an OSV record names this version of this package: listed in `versions`, or inside an
    ECOSYSTEM range (introduced <= version < fixed, or <= last_affected)."""
    try:
        wanted = Version(version)
    except InvalidVersion:
        wanted = None
    for affected in record.get("affected") or []:
        named = affected.get("package") or {}
        if named.get("ecosystem") != "PyPI" or canonicalize_name(named.get("name", "")) != package:
            continue
        if version in (affected.get("versions") or []):
            return True
        for span in affected.get("ranges") or []:
            if span.get("type") == "ECOSYSTEM" and wanted is not None and _in_range(span.get("events") or [], wanted):
                return True
    return False


def _in_range(events: list[dict], version: Version) -> bool:
    inside = False
    for event in sorted(events, key=_event_version):
        if "introduced" in event and _event_version(event) <= version:
            inside = True
        elif "fixed" in event and _event_version(event) <= version:
            inside = False
        elif "last_affected" in event and _event_version(event) < version:
            inside = False
    return inside


def _event_version(event: dict) -> Version:
    value = next(iter(event.values()))
    try:
        return Version("0") if value == "0" else Version(value)
    except InvalidVersion:
        return Version("0")


class _OsvQueries(BaseHTTPRequestHandler):
    """POST /v1/query {"package": {"name", "ecosystem"}, "version"} -> {"vulns": [...]}, as OSV answers."""

    advisories: dict[str, list[dict]] = {}

    def do_POST(self):  # noqa: N802 (http.server's name)
        query = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        package = canonicalize_name((query.get("package") or {}).get("name", ""))
        version = str(query.get("version", ""))
        vulns = [record for record in self.advisories.get(package, []) if affects(record, package, version)]
        body = json.dumps({"vulns": vulns} if vulns else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):  # one line per package is noise
        pass


def run_pip_audit(advisories: dict[str, list[dict]]) -> dict:
    """pip-audit's JSON report of this virtualenv, its OSV queries answered from `advisories`."""
    handler = type("Queries", (_OsvQueries,), {"advisories": advisories})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [
        str(pip_audit) if pip_audit.exists() else "pip-audit",
        "--local",
        "--vulnerability-service=osv",
        f"--osv-url=http://127.0.0.1:{server.server_port}/v1/query",
        "--format=json",
        "--progress-spinner=off",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AuditError(f"could not check anything: pip-audit did not run ({exc})") from exc
    finally:
        server.shutdown()
    try:
        return json.loads(done.stdout)
    except ValueError as exc:
        tail = " ".join((done.stderr or done.stdout).split())[-500:]
        raise AuditError(f"could not check anything: pip-audit failed (exit {done.returncode}): {tail}") from exc


def summarize(report: dict, db: Path) -> tuple[int, list[str]]:
    """Exit status and the lines to print for pip-audit's JSON report."""
    dependencies = report.get("dependencies") or []
    checked = [d for d in dependencies if "skip_reason" not in d]
    skipped = [d for d in dependencies if "skip_reason" in d]
    when = datetime.fromtimestamp(db.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d")
    lines = [f"checked {len(checked)} installed packages against {db} (refreshed {when})"]
    if not checked:  # what pip-audit does offline against a service it cannot reach: skips all, exits 0
        example = f" (e.g. {skipped[0]['skip_reason']})" if skipped else ""
        return COULD_NOT_CHECK, [
            f"could not check anything: pip-audit checked none of {len(dependencies)} installed packages{example}"
        ]
    found = [(d, v) for d in checked for v in d.get("vulns") or []]
    for dependency, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "none yet"
        lines.append(f"  {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})")
    for dependency in skipped:
        lines.append(f"  not checked: {dependency['name']}: {dependency['skip_reason']}")
    if found:
        lines.append(f"{len(found)} known vulnerabilities: update the pins above (requirements*.txt)")
        return 1, lines
    if skipped:
        lines.append(f"{len(skipped)} packages could not be checked: the audit is incomplete")
        return COULD_NOT_CHECK, lines
    lines.append("no known vulnerabilities in any installed package")
    return 0, lines


def refresh(db: Path) -> None:
    """Download OSV's PyPI export to `db` (whole, then renamed: a failed download keeps the old one)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    partial = db.with_suffix(".partial")
    try:
        with urllib.request.urlopen(EXPORT_URL, timeout=120) as response, open(partial, "wb") as out:
            while chunk := response.read(1 << 20):
                out.write(chunk)
        with zipfile.ZipFile(partial) as export:
            export.testzip()
        os.replace(partial, db)
    except zipfile.BadZipFile as exc:
        raise OSError(f"the download is not a zip ({exc})") from exc
    finally:
        partial.unlink(missing_ok=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="the OSV export file (default: AUDIT_DB or audit/osv-PyPI.zip)")
    parser.add_argument("--refresh", action="store_true", help="download the OSV export first (needs internet)")
    args = parser.parse_args(argv)
    db = args.db or database_path()
    try:
        if args.refresh:
            try:
                refresh(db)
            except OSError as exc:
                raise AuditError(f"could not refresh {db} from {EXPORT_URL}: {exc}") from exc
            print(f"refreshed {db} ({db.stat().st_size:,} bytes)")
        status, lines = summarize(run_pip_audit(load_advisories(db)), db)
    except AuditError as problem:
        print(f"audit: {problem}", file=sys.stderr)
        return COULD_NOT_CHECK
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
