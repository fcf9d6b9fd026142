"""The partial plotly.js bundle (dashboard/app/bundles.py): built from the pinned plotly.js that the
plotly package ships, from the trace list in devtools/plotly_bundle/traces.json, and that list holds
every trace type the code makes. The code is read, not run: every `go.<Trace>(...)`, `.add_<trace>(...)`
and `{"type": "<trace>"}` / `dict(type="<trace>")` in the figures, components and pages."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import brotli
import plotly.graph_objs as go
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

from dashboard.app import bundles

ROOT = Path(__file__).resolve().parents[3]
BUILD = ROOT / "devtools" / "plotly_bundle"
SOURCES = [ROOT / "dashboard" / "app", ROOT / "pages"]

# Every trace type plotly knows, by the name a figure's JSON gives it ("bar", "choropleth", ...).
TRACE_TYPES = {
    cls().plotly_name: name
    for name in dir(go)
    if isinstance(cls := getattr(go, name), type) and issubclass(cls, BaseTraceType) and cls is not BaseTraceType
}


def listed_traces() -> list[str]:
    return json.loads((BUILD / "traces.json").read_text())["traces"]


def banner() -> str:
    with bundles.PLOTLY_BUNDLE.open() as bundle:
        return bundle.readline()


def traces_made_in(source: str) -> set[str]:
    made = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "px":
                made.add(f"plotly express: px.{func.attr}")  # not used: a figure's traces are named here
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "go":
                made |= {t for t, cls in TRACE_TYPES.items() if cls == func.attr}
            elif isinstance(func, ast.Attribute) and func.attr.startswith("add_") and func.attr[4:] in TRACE_TYPES:
                made.add(func.attr[4:])
            elif isinstance(func, ast.Name) and func.id == "dict":
                made |= {k.value.value for k in node.keywords if k.arg == "type" and isinstance(k.value, ast.Constant)}
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "type" and isinstance(value, ast.Constant):
                    made.add(value.value)
    return {t for t in made if t in TRACE_TYPES or t.startswith("plotly express")}


def test_the_scan_finds_the_trace_types_we_know_we_draw():
    # The district map is a choropleth, the tile grid a heatmap, race money bars, money over time lines.
    found = set().union(*(traces_made_in(p.read_text()) for src in SOURCES for p in src.rglob("*.py")))
    assert {"choropleth", "heatmap", "bar", "scatter"} <= found


def test_every_trace_type_the_code_makes_is_in_the_bundle():
    listed = set(listed_traces())
    missing = {
        str(path.relative_to(ROOT)): sorted(made - listed)
        for source in SOURCES
        for path in sorted(source.rglob("*.py"))
        if (made := traces_made_in(path.read_text())) - listed
    }
    assert missing == {}, (
        "trace types not in devtools/plotly_bundle/traces.json: add them there and run `make plotly-bundle`"
    )


def test_the_scan_reads_every_way_a_trace_is_made():
    source = """
figure = go.Figure(go.Pie(values=[1]))
figure.add_violin(y=[1])
data = [{"type": "sankey"}, dict(type="treemap"), {"type": "rect"}]
"""
    assert traces_made_in(source) == {"pie", "violin", "sankey", "treemap"}


def test_the_bundle_is_built_from_the_list_and_the_plotly_js_the_plotly_package_ships():
    # Rebuild (`make plotly-bundle`) after changing the list or upgrading plotly.
    match = re.match(r"/\* plotly\.js v(\S+) \(MIT license, see LICENSE\.txt\): partial bundle of (.+) \*/$", banner())
    assert match, banner()
    version, traces = match.groups()
    assert version == get_plotlyjs_version()
    assert traces.split(", ") == listed_traces()
    package = json.loads((BUILD / "package.json").read_text())
    assert package["dependencies"]["plotly.js"] == version


def test_the_build_tools_are_pinned_exactly_and_locked():
    package = json.loads((BUILD / "package.json").read_text())
    lock = json.loads((BUILD / "package-lock.json").read_text())
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} {version}: an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_the_bundle_ships_with_plotly_js_licence():
    licence = (bundles.PLOTLY_BUNDLE.parent / "LICENSE.txt").read_text()
    assert licence.startswith("MIT License") and "Plotly" in licence


def test_the_brotli_copy_is_the_bundle():
    assert brotli.decompress(bundles.PLOTLY_BUNDLE_BROTLI.read_bytes()) == bundles.PLOTLY_BUNDLE.read_bytes()
