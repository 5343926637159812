"""Fixtures of the visual harness: the app served by a real process, one headless Chromium for the whole run,
the drawings of each chart made once (all regions and media together), and the report written at the end."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, _chromium, serve
from tests.visual import harness
from tests.visual.known_failures import KNOWN_LAYOUT_FAILURES

REPORT = harness.Report()


def pytest_collection_modifyitems(config, items):
    known = set(KNOWN_LAYOUT_FAILURES)
    for item in items:
        case = getattr(item, "callspec", None) and item.callspec.params.get("case")
        if case in known:
            # not strict while several changes fix layouts at once: a case one of them fixed shows as XPASS (and in
            # the report) rather than failing the run; the list is regenerated from a whole run's report.
            item.add_marker(pytest.mark.xfail(strict=False, reason="known layout failure (issue 13): "
                                              "tests/visual/known_failures.py"))


def pytest_sessionfinish(session, exitstatus):
    REPORT.write()


@pytest.fixture(scope="session")
def report() -> harness.Report:
    return REPORT


@pytest.fixture(scope="session")
def visual_app(tmp_path_factory) -> harness.App:
    workdir = tmp_path_factory.mktemp("visual-server")
    with serve(workdir, f"sqlite:///{workdir / 'store.sqlite3'}") as url:
        yield harness.App(url)


@pytest.fixture(scope="session")
def visual_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def heatmaps(visual_app) -> set[str]:
    """The charts drawn as heatmaps (their SVG export has a heatmap trace)."""
    return {c for c in visual_app.chart_ids if b'class="hm"' in visual_app.get(f"/export/{c}.svg")}


@pytest.fixture(scope="session")
def drawings(visual_app, visual_browser, report):
    """drawings(case) -> the measure of that case; a chart's 30 cases are drawn together on first ask."""
    def measure(case: str) -> harness.Measure:
        if case not in report.charts:
            chart_id = case.split("|")[0]
            drawn = harness.draw_chart(visual_app, visual_browser, chart_id)
            for kind, seconds in drawn.pop("seconds").items():
                report.seconds[f"charts: {kind}s"] = report.seconds.get(f"charts: {kind}s", 0) + seconds
                report.seconds[f"chart {chart_id}"] = report.seconds.get(f"chart {chart_id}", 0) + seconds
            report.charts.update(drawn)
        return report.charts[case]
    return measure
