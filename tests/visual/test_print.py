"""Print: Chromium's page.pdf() of every page of the charts at A4 and Letter (and the heatmap page for each
region): the page count within its limit, no page beyond the first without a chart or table, every heatmap
member name in the PDF's text (pdftotext) (issue 13)."""

from __future__ import annotations

import time

import pytest

from dashboard.charts import CHARTS
from db.reference import REGIONS
from tests.visual import harness

pytestmark = pytest.mark.visual

PAGES = list(dict.fromkeys(c.page for c in CHARTS.values()))
HEATMAP_PAGE = "/engagement"  # printed for each region too: its heatmap has a row per member
PRINTS = [(p, None) for p in PAGES] + [(HEATMAP_PAGE, r) for r in REGIONS]
CASES = [harness.case_id("print", p, r, paper) for p, r in PRINTS for paper in harness.PAPERS]


@pytest.fixture(scope="session")
def printed(visual_app, visual_browser, heatmaps, report):
    done: dict[tuple, dict] = {}

    def get(path: str, region: str | None, paper: str) -> harness.PrintFinding:
        if (path, region) not in done:
            started = time.monotonic()
            on_page = [c["id"] for c in visual_app.index["charts"] if c["page"] == path and c["id"] in heatmaps]
            done[(path, region)] = harness.print_page(visual_app, visual_browser, path, region, on_page)
            for name, finding in done[(path, region)].items():
                report.prints[harness.case_id("print", path, region, name)] = finding
            report.seconds["print"] = report.seconds.get("print", 0) + time.monotonic() - started
        return done[(path, region)][paper]
    return get


@pytest.mark.parametrize("case", CASES)
def test_vis030_printed_page_is_whole(case, printed):
    _print, page, region, paper = case.split("|")
    path = next(p for p, r in PRINTS if harness.slug(p) == page)
    finding = printed(path, None if region == "all" else next(r for r in REGIONS if harness.slug(r) == region),
                      next(x for x in harness.PAPERS if x.lower() == paper))
    assert finding.pages >= 1
    assert not finding.problems(), "; ".join(finding.problems())
