"""Decks: every page's deck for all regions, and the engagement page's for each region, opened with python-pptx (no picture with more than
25 heatmap rows, no text frame overflowing its box by DejaVu font metrics, one title and one source per slide)
and converted by LibreOffice Impress to PDF and PNG slides (issue 13)."""

from __future__ import annotations

import time
import urllib.parse

import pytest

from dashboard.charts import CHARTS
from db.reference import REGIONS
from tests.visual import harness

pytestmark = pytest.mark.visual

PAGES = list(dict.fromkeys(c.page for c in CHARTS.values()))
HEATMAP_PAGE = "/engagement"  # its decks split per region and hold the one-region slides: made for each region too
DECKS = [(p, None) for p in PAGES] + [(HEATMAP_PAGE, r) for r in REGIONS]
CASES = [harness.case_id("deck", p, r) for p, r in DECKS]


@pytest.fixture(scope="session")
def decks(visual_app, heatmaps, report) -> dict[str, dict]:
    """Every deck made, checked, and converted by LibreOffice in one run; keyed by case id."""
    started = time.monotonic()
    folder = harness.ARTIFACTS / "decks"
    folder.mkdir(parents=True, exist_ok=True)
    paths, out = {}, {}
    for page, region in DECKS:
        case = harness.case_id("deck", page, region)
        query = urllib.parse.urlencode([("page", page)] + ([("region", region)] if region else []))
        pptx = visual_app.get(f"/export/deck.pptx?{query}", timeout=600)
        path = folder / f"{harness.slug(page)}-{harness.slug(region)}.pptx"
        path.write_bytes(pptx)
        paths[case] = path
        findings = harness.check_deck(visual_app, pptx, heatmaps)
        out[case] = {"slides": len(findings), "problems": harness.deck_problems(findings),
                     "heatmap_rows": [f.heatmap_rows for f in findings if f.heatmap_rows is not None]}
    report.seconds["decks (made and checked)"] = time.monotonic() - started
    started = time.monotonic()
    pngs = harness.convert_decks(list(paths.values()), folder / "rendered")
    report.seconds["decks (LibreOffice + pdftoppm)"] = time.monotonic() - started
    for case, path in paths.items():
        out[case]["rendered_pages"] = len(pngs[path])
        if len(pngs[path]) != out[case]["slides"]:
            out[case]["problems"].append(f"LibreOffice rendered {len(pngs[path])} pages for {out[case]['slides']} "
                                         "slides")
    report.decks.update(out)
    return out


@pytest.mark.parametrize("case", CASES)
def test_vis020_deck_slides_read_whole(case, decks):
    deck = decks[case]
    assert deck["slides"] > 1, "the deck has no chart slide"
    assert not deck["problems"], "; ".join(deck["problems"])
