"""The import rules of docs/architecture.md, read from the source with `ast` (imports inside
functions and literal importlib.import_module calls included): the read side and the write side
meet only in the data store."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("dashboard", "pages", "devtools", "app.py")
FIRST_PARTY = ("dashboard", "devtools", "pages", "app", "bench", "tests")
NETWORK = ("httpx", "requests", "urllib.request", "http.client", "socket", "ftplib", "boto3", "botocore", "s3transfer")
READ_SIDE = ("app", "dashboard.app")  # app.py, the gunicorn entry, belongs to the read side


def within(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


# (rule, does it apply to the importing module, kind, prefixes): "never" forbids the prefixes;
# "only" forbids every first-party import outside them.
RULES = [
    (
        "the app never imports the pipeline or devtools",
        lambda m: within(m, READ_SIDE),
        "never",
        ("dashboard.pipeline", "devtools"),
    ),
    (
        "the pipeline never imports the app",
        lambda m: within(m, ("dashboard.pipeline",)),
        "never",
        ("dashboard.app", "app"),
    ),
    (
        "the store imports only core and store",
        lambda m: within(m, ("dashboard.store",)),
        "only",
        ("dashboard.core", "dashboard.store"),
    ),
    ("core imports only core", lambda m: within(m, ("dashboard.core",)), "only", ("dashboard.core",)),
    (
        "pages import only the app and core",
        lambda m: within(m, ("pages",)),
        "only",
        ("dashboard.app", "dashboard.core"),
    ),
    (
        "queries and figures never import dash",
        lambda m: within(m, ("dashboard.app.queries", "dashboard.app.figures")),
        "never",
        ("dash",),
    ),
    (
        "only the pipeline and devtools touch the network",
        lambda m: not within(m, ("dashboard.pipeline", "devtools")),
        "never",
        NETWORK,
    ),
]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(tree: ast.AST, module: str, is_package: bool):
    """(line, candidate names) for everything imported. `from P import a` gives [P.a, P]: the
    name is a module or a name in P, and both are checked."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, [alias.name]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            for alias in node.names:
                yield node.lineno, ([base] if alias.name == "*" else [f"{base}.{alias.name}", base])
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("import_module", "__import__")
        ):
            yield node.lineno, [node.args[0].value]


def violations(root: Path) -> list[str]:
    """Every import that breaks a rule, as 'file:line: rule (imports name)'."""
    found = []
    for top in CHECKED:
        target = root / top
        files = [target] if target.is_file() else sorted(target.rglob("*.py")) if target.is_dir() else []
        for path in files:
            module = module_name(path, root)
            tree = ast.parse(path.read_text(), filename=str(path))
            for line, names in imports(tree, module, path.name == "__init__.py"):
                for rule, applies, kind, prefixes in RULES:
                    if not applies(module):
                        continue
                    if kind == "never":
                        bad = next((n for n in names if within(n, prefixes)), None)
                    elif within(names[-1], FIRST_PARTY) and not any(within(n, prefixes) for n in names):
                        bad = names[0]
                    else:
                        bad = None
                    if bad:
                        found.append(f"{path.relative_to(root)}:{line}: {rule} (imports {bad})")
    return found


def test_the_import_rules_hold():
    found = violations(ROOT)
    assert found == [], f"{len(found)} imports break the rules of docs/architecture.md:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "path, source, rule",
    [
        ("dashboard/app/queries/bad.py", "import dash\n", "queries and figures never import dash"),
        (
            "dashboard/app/figures/bad.py",
            "def f():\n    from dash import html\n",
            "queries and figures never import dash",
        ),
        ("dashboard/app/bad.py", "def f():\n    from ..pipeline import census\n", "the app never imports the pipeline"),
        ("app.py", "import devtools.fake_openfec\n", "the app never imports the pipeline or devtools"),
        ("dashboard/pipeline/bad.py", "from dashboard.app.queries import maps\n", "the pipeline never imports the app"),
        ("dashboard/store/bad.py", "from dashboard.pipeline import duck\n", "the store imports only core and store"),
        ("dashboard/core/bad.py", "from ..store import layout\n", "core imports only core"),
        ("pages/bad.py", "from dashboard import pipeline\n", "pages import only the app and core"),
        ("dashboard/app/bad.py", "from urllib import request\n", "only the pipeline and devtools touch the network"),
        ("dashboard/store/bad.py", "import importlib\nimportlib.import_module('httpx')\n", "touch the network"),
    ],
)
def test_a_wrong_import_is_reported_with_its_file_line_and_rule(tmp_path, path, source, rule):
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("import json\n" + source)
    found = violations(tmp_path)
    assert len(found) == 1 and found[0].startswith(f"{path}:{source.count(chr(10)) + 1}: ") and rule in found[0], found


def test_allowed_imports_are_not_reported(tmp_path):
    sources = {
        "dashboard/app/queries/ok.py": "from dashboard.core import sql\nfrom ..db import query\nimport duckdb\n",
        "dashboard/pipeline/ok.py": "import httpx\nfrom dashboard.store import layout\n",
        "dashboard/store/ok.py": "from dashboard.core import config\nfrom . import files\nimport os\n",
        "pages/ok.py": "import dash\nfrom dashboard import app\nfrom dashboard.app import labels\n",
        "devtools/ok.py": "import http.server\nimport socket\nfrom dashboard.pipeline import demo\n",
    }
    for path, source in sources.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(source)
    assert violations(tmp_path) == []
