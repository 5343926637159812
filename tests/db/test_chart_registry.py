"""The chart registry describes each chart once: its id (a constant pages use), how it splits over slides, and a
build that reads with the session it is given."""

import re
from dataclasses import replace
from pathlib import Path

import pytest

from dashboard import charts
from dashboard.charts import CHARTS, ChartFilters, ChartId, Split, slide_parts
from db.queries.common import region_names

ROOT = Path(__file__).resolve().parents[2]


def test_every_chart_id_is_a_constant_and_every_constant_a_chart():
    constants = {v for k, v in vars(ChartId).items() if k.isupper()}
    assert constants == set(CHARTS)
    assert all(chart.id == chart_id for chart_id, chart in CHARTS.items())


def test_pages_name_charts_by_the_registry_constants_not_by_string_literals():
    literal = re.compile("[\"'](" + "|".join(map(re.escape, CHARTS)) + ")[\"']")
    found = {str(p.relative_to(ROOT)): literal.findall(p.read_text())
             for p in (ROOT / "dashboard" / "pages").glob("*.py")}
    assert not {k: v for k, v in found.items() if v}


@pytest.mark.parametrize("chart_id", [ChartId.ACTIVE_BY_REGION, ChartId.FEE_PAID_BY_REGION])
def test_a_share_chart_reads_with_the_session_it_is_given(chart_id, session, bound_store, monkeypatch):
    def own_session():
        raise AssertionError("the chart opened a session of its own instead of using the one it was given")

    monkeypatch.setattr(charts, "Session", own_session)
    data = CHARTS[chart_id].build(session, ChartFilters(regions=["Europe"], year=2020))
    assert list(data.rows["region"]) == ["Europe"] and int(data.rows["members"].iloc[0]) > 0


def test_tall_charts_get_a_slide_per_region_from_their_split(session, bound_store):
    whole = ChartFilters(regions=None, year=2020)
    regions = region_names(session)
    for chart_id in (ChartId.ENGAGEMENT_MATRIX, ChartId.WEBSITE_PRESENCE):
        assert CHARTS[chart_id].split.by_region
        assert [p.regions for p in slide_parts(chart_id, whole)] == [[r] for r in regions]
        chosen = replace(whole, regions=["Africa", "Europe"])
        assert slide_parts(chart_id, chosen) == [chosen]  # a region filter: the chart as chosen, on one slide
    assert slide_parts(ChartId.FUNDS, whole) == [whole]
    per_indicator = slide_parts(ChartId.INDICATOR_RANKING, whole)
    assert per_indicator and all("indicator" in p.options for p in per_indicator)
    assert {c for c, chart in CHARTS.items() if chart.split.by_region} == {ChartId.ENGAGEMENT_MATRIX,
                                                                            ChartId.WEBSITE_PRESENCE}


def test_a_split_the_deck_does_not_draw_yet_is_refused_not_ignored(monkeypatch):
    chart = replace(CHARTS[ChartId.ENGAGEMENT_MATRIX], split=Split(by_region=True, rows_per_slide=40))
    monkeypatch.setitem(CHARTS, ChartId.ENGAGEMENT_MATRIX, chart)
    with pytest.raises(ValueError, match="rows_per_slide"):
        slide_parts(ChartId.ENGAGEMENT_MATRIX, ChartFilters(regions=None, year=2020))
