"""The browser section of `make bench`: what a visitor waits for and downloads, measured in Debian's
chromium (Playwright) against gunicorn serving a small demo snapshot built in a temporary folder.

    python -m bench.browser [--rows N] [--repeat K] [--keep DIR] [--pages race,candidate]

Reports, as figures (never asserted; these machines are shared):
- the first load of each page type: bytes over the wire (compressed bodies and headers, every request
  until the page is idle), ms from navigation start to the first chart drawn and to every chart of the
  page drawn (charts are drawn one a frame, top first: assets/chart_turns.js);
- a map metric switch and a map cycle switch: bytes over the wire and ms from the click to the new map
  drawn (Plotly's newPlot/react promise resolved for a map whose trace shows the new choice), and how
  much of that the callbacks' round trips took (the rest is the browser drawing).
Results go to bench/browser_results.json and bench/browser_results.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, serve_app

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ROWS = 200_000
SHARED_BOUNDARIES = ROOT.parent / "shared" / "data" / "geo" / "us_cd119_2024_20m.geojson"
LIMITS = {"switch_kb": 30, "switch_ms": 300, "load_kb": 1024, "load_ms": 1000}

# Records when Plotly finishes drawing: every newPlot/react (dcc.Graph's calls) resolves after the
# chart, its fetched geometry included, is drawn; the record is taken in the next frame, before it is
# painted. performance.now() counts from navigation start. Also what the page held then: the chart's place
# among the page's charts (section.twin), how many were drawn, and the twins' tables and CSV buttons
# (tests/e2e/test_chart_turns.py reads those).
DRAW_HOOK = """(() => {
    window.__draws = [];
    let plotly;
    Object.defineProperty(window, 'Plotly', {configurable: true, get() { return plotly; }, set(value) {
        plotly = value;
        for (const name of ['newPlot', 'react']) {
            const original = value[name];
            value[name] = function (gd, ...rest) {
                const result = original.call(this, gd, ...rest);
                Promise.resolve(result).then(() => requestAnimationFrame(frame => {
                    const charts = [...document.querySelectorAll('section.twin .dash-graph')];
                    window.__draws.push({
                        t: performance.now(),
                        frame,
                        name: (gd && gd.data && gd.data[0] && gd.data[0].name) || '',
                        map: !!(gd && gd.closest && gd.closest('.map-frame')),
                        place: charts.findIndex(c => c.contains(gd)),
                        charts: charts.length,
                        drawn: charts.filter(c => c.querySelector('.main-svg')).length,
                        buttons: document.querySelectorAll('section.twin button[id*="csv-button"]').length,
                        tables: document.querySelectorAll('section.twin details table').length,
                    });
                }));
                return result;
            };
        }
    }});
})();"""


# Every chart of the page drawn (dcc.Graph's box holds Plotly's drawing) and its draw recorded.
EVERY_CHART_DRAWN = """() => {
    const graphs = [...document.querySelectorAll('.dash-graph')];
    return graphs.every(g => g.querySelector('.main-svg')) && window.__draws.length >= graphs.length;
}"""


def build_snapshot(data_dir: Path, rows: int) -> None:
    env = {**os.environ, "DATA_CACHE_DIR": str(data_dir)}
    if SHARED_BOUNDARIES.exists():  # real district boundaries, so /map is the map and not the tile grid
        subprocess.run(
            [sys.executable, "-m", "dashboard", "geo", "--only", "boundaries", "--from", str(SHARED_BOUNDARIES)],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
        )
    subprocess.run(
        [sys.executable, "-m", "dashboard", "demo", "--rows", str(rows)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def sample_paths(data_dir: Path) -> dict[str, str]:
    """One address of each page type, for entities the snapshot really has (the biggest of each)."""
    from dashboard.app import links

    con = duckdb.connect()
    current = data_dir / "current"

    def one(sql: str):
        return con.execute(sql.replace("{d}", str(current))).fetchone()

    cycle, state, district = one(
        "SELECT cycle, state, district FROM read_parquet('{d}/agg_district.parquet') WHERE office = 'H' "
        "AND cycle = (SELECT max(cycle) FROM read_parquet('{d}/agg_district.parquet') WHERE receipts > 0) "
        "ORDER BY receipts DESC NULLS LAST LIMIT 1"
    )
    candidate_id, committee_id = one(
        "SELECT candidate_id, principal_committee_id FROM read_parquet('{d}/candidates.parquet') "
        f"WHERE cycle = {cycle} AND office = 'H' AND state = '{state}' AND district = '{district}' "
        "AND principal_committee_id IS NOT NULL ORDER BY candidate_id LIMIT 1"
    )
    (donor_key,) = one("SELECT donor_key FROM read_parquet('{d}/donors.parquet') ORDER BY amount DESC LIMIT 1")
    return {
        "home": f"/?cycle={cycle}",
        "map": links.map_path(cycle),
        "race": links.race_path("H", state, district, cycle),
        "candidate": links.candidate_path(candidate_id, cycle),
        "receipts": f"/receipts?cycle={cycle}",
        "trends": "/trends",
        "committee": links.committee_path(committee_id, cycle),
        "donor": links.donor_url(donor_key),
        "_cycle": str(cycle),
    }


class Wire:
    """Bytes over the wire (Chromium's encodedDataLength: headers plus compressed body) of a page's requests."""

    def __init__(self, page):
        self.total = 0
        self.requests = 0
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.session.on("Network.loadingFinished", self._finished)

    def _finished(self, event):
        self.total += int(event.get("encodedDataLength", 0))
        self.requests += 1

    def reset(self):
        self.total, self.requests = 0, 0


def first_load(browser, url: str, **context_options) -> dict:
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.add_init_script(DRAW_HOOK)
    wire = Wire(page)
    page.goto(url, wait_until="load")
    try:
        page.wait_for_function("() => window.__draws.length > 0", timeout=15_000)
        drawn = page.evaluate("window.__draws[0].t")
        page.wait_for_function(EVERY_CHART_DRAWN, timeout=15_000)
        everything = page.evaluate("Math.max(...window.__draws.map(d => d.t))")
    except Exception:  # a page without a chart
        drawn = everything = None
    page.wait_for_load_state("networkidle")
    time.sleep(0.3)
    result = {"kb": wire.total / 1024, "ms": drawn, "all_ms": everything, "requests": wire.requests}
    context.close()
    return result


def switch(browser, url: str, group: str, choice: str, expect_name: str | None) -> dict:
    """Opens `url`, then clicks `choice` in the control group labelled `group` and waits for the map
    to be drawn again (its first trace named `expect_name` when given)."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(DRAW_HOOK)
    wire = Wire(page)
    page.goto(url)
    page.wait_for_function("() => window.__draws.some(d => d.map)", timeout=15_000)
    page.wait_for_load_state("networkidle")
    time.sleep(0.3)
    wire.reset()
    target = page.locator(f"[aria-label='{group}']").get_by_text(choice, exact=True).first
    target.scroll_into_view_if_needed()
    count = page.evaluate("window.__draws.length")
    # The clock starts when the browser has the click (not when the test tool sends it).
    page.evaluate(
        "document.addEventListener('click', e => { window.__clicked = e.timeStamp; }, {capture: true, once: true})"
    )
    target.click()
    page.wait_for_function("() => window.__clicked !== undefined")
    started = page.evaluate("window.__clicked")
    wanted = json.dumps(expect_name)
    page.wait_for_function(
        f"() => window.__draws.slice({count}).some(d => d.map && ({wanted} === null || d.name === {wanted}))",
        timeout=20_000,
    )
    drawn = page.evaluate(
        f"window.__draws.filter(x => x.map && x.t > {started} && ({wanted} === null || x.name === {wanted}))[0].t"
    )
    # The callbacks' round trips (server and wire) within that time; the rest is the browser drawing.
    callback_ms = page.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('_dash-update-component')"
        f" && e.startTime > {started} && e.responseEnd < {drawn}).reduce((s, e) => s + e.duration, 0)"
    )
    page.wait_for_load_state("networkidle")
    time.sleep(0.3)
    result = {"kb": wire.total / 1024, "ms": drawn - started, "requests": wire.requests, "callback_ms": callback_ms}
    context.close()
    return result


def median_of(runs: list[dict]) -> dict:
    out = {"runs": len(runs)}
    for key in ("kb", "ms", "all_ms", "requests", "callback_ms"):
        values = [r[key] for r in runs if r.get(key) is not None]
        out[key] = round(statistics.median(values), 1) if values else None
    return out


def measure(
    base_url: str, paths: dict[str, str], repeat: int, loads: bool = True, pages: list[str] | None = None
) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    from dashboard.app.figures import map_classes

    results = {}
    cycle = int(paths["_cycle"])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for name, path in paths.items():
            if name.startswith("_") or not loads or (pages and name not in pages):
                continue
            runs = [first_load(browser, base_url + path) for _ in range(repeat)]
            results[f"first load {name}"] = median_of(runs)
        phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
        if loads and not pages:
            results["first load map (phone)"] = median_of(
                [first_load(browser, base_url + paths["map"], **phone) for _ in range(repeat)]
            )
        if not pages:  # the map's switches, unless only some pages' first loads were asked for
            metric = map_classes.METRICS["cash_on_hand"].label
            results["map metric switch"] = median_of(
                [switch(browser, base_url + paths["map"], "Colour by", metric, metric) for _ in range(repeat)]
            )
            results["map cycle switch"] = median_of(
                [
                    switch(browser, base_url + paths["map"], "Election cycle", str(cycle - 2), None)
                    for _ in range(repeat)
                ]
            )
        browser.close()
    return results


def format_table(results: dict[str, dict]) -> str:
    header = (
        f"{'browser':<28}{'KB over wire':>13}{'ms drawn':>10}{'ms all':>8}{'requests':>10}{'callback ms':>13}  limit"
    )
    lines = [header, "-" * len(header)]
    for name, r in results.items():
        is_switch = "switch" in name
        kb_limit = LIMITS["switch_kb" if is_switch else "load_kb"]
        ms_limit = LIMITS["switch_ms" if is_switch else "load_ms"]
        over = [
            what
            for what, value, limit in (("KB", r["kb"], kb_limit), ("ms", r["ms"], ms_limit))
            if value is not None and value > limit
        ]
        verdict = ("over: " + ", ".join(over) if over else "ok") + f" ({kb_limit} KB/{ms_limit} ms)"
        ms = f"{r['ms']:>10.0f}" if r["ms"] is not None else f"{'no chart':>10}"
        every = f"{r['all_ms']:>8.0f}" if r.get("all_ms") is not None else f"{'-':>8}"
        server = f"{r['callback_ms']:>13.0f}" if r.get("callback_ms") is not None else f"{'-':>13}"
        lines.append(f"{name:<28}{r['kb']:>13.1f}{ms}{every}{r['requests']:>10.0f}{server}  {verdict}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines.append(f"median of {next(iter(results.values()))['runs']} runs each, loopback, demo snapshot; load {load}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="rows of the demo snapshot")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (the median is reported)")
    parser.add_argument("--keep", type=Path, help="use (and keep) this data folder; built there if empty")
    parser.add_argument(
        "--pages", help="first loads of these page types only (comma-separated: race,candidate), no switches"
    )
    parser.add_argument("--switches-only", action="store_true", help="measure the map's switches, not first loads")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as scratch:
        data_dir = (args.keep or Path(scratch) / "data").resolve()
        if not (data_dir / "current").exists():
            print(f"building a {args.rows:,}-row demo snapshot in {data_dir}", flush=True)
            data_dir.mkdir(parents=True, exist_ok=True)
            build_snapshot(data_dir, args.rows)
        paths = sample_paths(data_dir)
        with serve_app(data_dir) as base_url:
            pages = args.pages.split(",") if args.pages else None
            results = measure(base_url, paths, args.repeat, loads=not args.switches_only, pages=pages)
    table = format_table(results)
    report = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "limits": LIMITS, "results": results}
    (ROOT / "bench" / "browser_results.json").write_text(json.dumps(report, indent=2) + "\n")
    (ROOT / "bench" / "browser_results.txt").write_text(table + "\n")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
