"""The chart registry describes each chart once: its id (a constant pages use), how it splits over slides, and a
build that reads with the session it is given."""

import re
from dataclasses import replace
from pathlib import Path

import pytest

from dashboard import charts
from dashboard.charts import CHARTS, ChartFilters, ChartId, slide_parts
from db.queries.common import region_names

ROOT = Path(__file__).resolve().parents[2]


def test_every_chart_id_is_a_constant_and_every_constant_a_chart():
    constants = {v for k, v in vars(ChartId).items() if k.isupper()}
    assert constants == set(CHARTS)
    assert all(chart.id == chart_id for chart_id, chart in CHARTS.items())


def test_pages_name_charts_by_the_registry_constants_not_by_string_literals():
    # a chart id as a string, but not a dict key or a message that happens to spell one ("funds", a topic)
    literal = re.compile("(?<!gettext\\()[\"'](" + "|".join(map(re.escape, CHARTS)) + ")[\"'](?!\\s*:)")
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


def test_tall_charts_get_a_slide_per_region_from_their_split_cut_into_parts_of_at_most_25_rows(session, bound_store):
    whole = ChartFilters(regions=None, year=2020)
    regions = region_names(session)
    for chart_id in (ChartId.ENGAGEMENT_MATRIX, ChartId.WEBSITE_PRESENCE):
        split = CHARTS[chart_id].split
        assert split.by_region and split.rows_per_slide == charts.HEATMAP_ROWS_PER_SLIDE == 25
        parts = slide_parts(chart_id, whole)
        assert [r for r in regions] == list(dict.fromkeys(p.regions[0] for p in parts))
        for region in regions:
            mine = [p for p in parts if p.regions == [region]]
            members = len(charts.render(chart_id, replace(whole, regions=[region])).rows)
            drawn = [charts.render(chart_id, p) for p in mine]
            assert sum(len(d.rows) for d in drawn) == members  # no member lost, none twice
            assert all(len(d.rows) <= 25 for d in drawn)
            assert len(mine) == -(-members // 25)
            if len(mine) > 1:
                assert [p.part for p in mine] == [(n, len(mine)) for n in range(1, len(mine) + 1)]
                assert all(f"(part {n} of {len(mine)})" in d.title for n, d in enumerate(drawn, start=1))
                heat = drawn[0].plotly().data[1]
                assert list(heat.y)[::-1] == list(drawn[0].rows["member"])  # the part draws its own rows
        chosen = replace(whole, regions=["North America"])
        assert slide_parts(chart_id, chosen) == [chosen]  # a region filter of few members: one slide
    assert slide_parts(ChartId.FUNDS, whole) == [whole]
    per_indicator = slide_parts(ChartId.INDICATOR_RANKING, whole)
    assert per_indicator and all("indicator" in p.options for p in per_indicator)
    assert {c for c, chart in CHARTS.items() if chart.split.by_region} == {ChartId.ENGAGEMENT_MATRIX,
                                                                            ChartId.WEBSITE_PRESENCE}


def test_a_region_of_73_members_gets_three_parts_of_25_24_24_rows():
    assert [charts.part_rows(73, (n, 3)) for n in (1, 2, 3)] == [(0, 25), (25, 49), (49, 73)]
    assert charts.part_rows(50, (2, 2)) == (25, 50) and charts.part_rows(10, None) is None
