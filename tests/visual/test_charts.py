"""Every chart x {all regions, each region} x {PNG slide, PNG print, SVG, embed 600x400, embed 360x640}: no two
text boxes overlap, none leaves the canvas, every member of the filter is labelled on a heatmap (issue 13)."""

from __future__ import annotations

import pytest

from dashboard.charts import CHARTS
from db.reference import REGIONS
from tests.visual import harness
from tests.visual.known_failures import KNOWN_LAYOUT_FAILURES

pytestmark = pytest.mark.visual

CASES = [harness.case_id(c, r, m) for c in CHARTS for r in [None, *REGIONS] for m in harness.MEDIA]


def test_vis000_the_cases_are_the_apps_charts_and_regions(visual_app):
    assert visual_app.chart_ids == list(CHARTS)
    assert visual_app.regions == list(REGIONS)


def test_vis001_every_known_failure_names_a_case():
    from tests.visual.test_decks import CASES as DECKS
    from tests.visual.test_print import CASES as PRINTS

    stale = set(KNOWN_LAYOUT_FAILURES) - set(CASES) - set(DECKS) - set(PRINTS)
    assert not stale, f"known_failures.py names cases that do not exist: {sorted(stale)}"
    assert len(set(KNOWN_LAYOUT_FAILURES)) == len(KNOWN_LAYOUT_FAILURES), "a case is listed twice"


@pytest.mark.parametrize("case", CASES)
def test_vis010_chart_text_reads_whole(case, drawings):
    m = drawings(case)
    assert m.error is None, m.error
    assert m.texts > 0, "no text was found to measure"
    assert not (m.overlaps or m.outside or m.missing), (
        f"{len(m.overlaps)} overlapping text pairs (e.g. {m.overlaps[:3]}), {len(m.outside)} texts outside the "
        f"canvas (e.g. {m.outside[:3]}), {len(m.missing)} member names unlabelled (e.g. {m.missing[:5]})")
