"""Issue 14 (speed): the figure builders, chart descriptions, tables and grids rewritten to read their frames once
give exactly what the implementations they replaced gave (tests/unit/reference_renderers.py keeps those), on the
seeded store in each language and on frames made to hit the edge cases (ties, missing values, many events)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import plotly
import pytest

from dashboard.translation import Translator
from db.session import Session

LANGS = ("en", "fr", "es")
FILTER_SETS = [(None, 2020), (["Europe"], 2020), (None, 2021), (["Africa", "Asia-Pacific"], 2020)]


def _json(value) -> str:
    """The JSON Dash sends (dict order, types and NaN as the encoder writes them)."""
    return json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder)


@pytest.fixture
def ref(dash_app, app_store):
    from tests.unit import reference_renderers  # imports page modules: after the app is built

    return reference_renderers


def _same_records(old: list[dict], new: list[dict]):
    assert len(old) == len(new)
    for a, b in zip(old, new, strict=True):
        assert list(a) == list(b)
        for k in a:
            assert type(a[k]) is type(b[k]), k
            assert a[k] == b[k] or (isinstance(a[k], float) and math.isnan(a[k]) and math.isnan(b[k])), k


def test_map_figure_as_before(ref):
    from dashboard.figures.map import member_map_figure
    from db.queries import engagement

    with Session() as session:
        frames = [engagement.member_engagement_summary(session, year=year, regions=regions, include_fees=fees)
                  for regions, year in FILTER_SETS for fees in (True, False)]
    mixed = frames[0].copy()
    mixed.loc[mixed.index[:3], "honorary"] = True  # honorary members beside regular ones
    frames += [mixed, frames[0].iloc[:0]]
    for df in frames:
        for lang in LANGS:
            for colour_by in ("region", "engagement"):
                for fees in (True, False):
                    kw = dict(year=2020, colour_by=colour_by, zoom_to_data=False, title="t", subtitle="s",
                              source="src", tr=Translator(lang), show_fees=fees, dimensions=11 if fees else 10)
                    assert _json(member_map_figure(df, **kw)) == _json(ref.member_map_figure(df, **kw))


def _events(n: int) -> pd.DataFrame:
    """`n` events of every kind and role, some on one day, some without an end or ending the day they start."""
    from dashboard.figures.events import KIND_LABELS, ROLE_LABELS

    kinds, roles = list(KIND_LABELS), list(ROLE_LABELS)
    start = [dt.date(2020, 1 + i % 12, 1 + (i * 7) % 28) for i in range(n)]
    end = [None if i % 3 == 0 else s if i % 3 == 1 else s + dt.timedelta(days=2) for i, s in enumerate(start)]
    return pd.DataFrame({
        "slug": [f"e{i}" for i in range(n)], "title": [f"Event {i}" for i in range(n)], "start_date": start,
        "end_date": end, "location": ["Rome" if i % 2 else "Online" for i in range(n)],
        "kind": [kinds[i % len(kinds)] for i in range(n)], "metropolis_role": [roles[(i // 2) % len(roles)]
                                                                              for i in range(n)],
        "member_count": [i % 40 for i in range(n)], "source_citation": ["Annual Report 2020"] * n})


def test_events_figures_as_before(ref):
    from dashboard.figures.events import TIMELINE_SIZED_MAX, events_per_month_figure, events_timeline_figure

    frames = [_events(40), _events(TIMELINE_SIZED_MAX + 20), _events(0)]
    for lang in LANGS:
        tr = Translator(lang)
        for df in frames:
            for new, old in ((events_timeline_figure, ref.events_timeline_figure),
                             (events_per_month_figure, ref.events_per_month_figure)):
                kw = dict(title="t", subtitle="s", source="src", tr=tr, note="n")
                if new is events_timeline_figure:
                    kw["year"] = 2020
                assert _json(new(df, **kw)) == _json(old(df, **kw))


def test_events_figures_on_the_store_as_before(ref, dash_app):
    from dashboard.charts import events_frame
    from dashboard.figures.events import events_per_month_figure, events_timeline_figure

    with dash_app.server.test_request_context("/"):
        frames = [events_frame(regions, year, None) for regions, year in FILTER_SETS]
    for lang in LANGS:
        tr = Translator(lang)
        for df in frames:
            assert (_json(events_timeline_figure(df, year=2020, title="t", subtitle="s", source="x", tr=tr))
                    == _json(ref.events_timeline_figure(df, year=2020, title="t", subtitle="s", source="x", tr=tr)))
            assert (_json(events_per_month_figure(df, title="t", subtitle="s", source="x", tr=tr))
                    == _json(ref.events_per_month_figure(df, title="t", subtitle="s", source="x", tr=tr)))


def test_funds_figure_as_before(ref):
    from dashboard.charts import FUND_LABELS
    from dashboard.figures.overview import funds_figure
    from db.queries import indicators

    with Session() as session:
        df = indicators.funds_breakdown(session, year=2020)
    assert not df.empty
    one_basis = df[df["basis"] == df["basis"].iloc[0]]
    no_fees = df[df["fund_source"] != "membership_fees"]
    for lang in LANGS:
        labels = {key: str(label) for key, label in FUND_LABELS.items()}
        for frame in (df, one_basis, no_fees, df.iloc[:0]):
            kw = dict(labels=labels, title="t", subtitle="s", source="src", tr=Translator(lang))
            assert _json(funds_figure(frame, **kw)) == _json(ref.funds_figure(frame, **kw))


def test_chart_descriptions_as_before(ref, dash_app):
    from dashboard import chart_tables
    from dashboard.charts import ChartData, ChartFilters, ChartId, render

    shares = {ChartId.ACTIVE_BY_REGION: "activated", ChartId.FEE_PAID_BY_REGION: "fee_paid",
              ChartId.GOVERNED_BY_WOMEN: "women"}
    for lang in LANGS:
        with dash_app.server.test_request_context(f"/?lang={lang}"):
            for regions, year in FILTER_SETS:
                f = ChartFilters(regions, year, lang=lang)
                for chart_id, measure in shares.items():
                    data = render(chart_id, f)
                    tied = ChartData(data.figure, data.rows.assign(**{measure: data.rows["members"] // 2}),
                                     data.title, data.source)  # equal shares: the first region wins, as before
                    for d in (data, tied):
                        assert (chart_tables._share_description(measure, d)
                                == ref._share_description(measure, d))
                data = render(ChartId.MEMBERS_MAP, f)
                flat = ChartData(data.figure, data.rows.assign(breadth=3), data.title, data.source)
                for d in (data, flat, ChartData(data.figure, data.rows.assign(breadth=0), data.title, data.source)):
                    assert chart_tables._map_description(d) == ref._map_description(d)
                for chart_id, columns in ((ChartId.ENGAGEMENT_MATRIX, chart_tables.ENGAGEMENT_COLUMNS),
                                          (ChartId.WEBSITE_PRESENCE, chart_tables.WEBSITE_COLUMNS)):
                    data = render(chart_id, f)
                    empty = data.rows.assign(**{c: None for c in columns if c in data.rows})
                    for d in (data, ChartData(data.figure, empty, data.title, data.source)):
                        assert (chart_tables._matrix_description(d, columns)
                                == ref._matrix_description(d, columns))


def test_future_plan_as_before(ref, dash_app):
    from dashboard.pages import action_plan

    for lang in LANGS:
        with dash_app.server.test_request_context(f"/action-plan?lang={lang}"):
            for year in (2020, 2021):
                future = action_plan._plan_data(year)[4]
                if future is None:
                    continue
                assert (_json(action_plan._future_plan(future).to_plotly_json())
                        == _json(ref._future_plan(future).to_plotly_json()))


def test_members_and_events_tables_as_before(ref, dash_app):
    from dashboard.charts import ChartFilters
    from dashboard.pages import events, members

    for lang in LANGS:
        with dash_app.server.test_request_context(f"/members?lang={lang}"):
            for regions, year in FILTER_SETS:
                key = tuple(regions) if regions else None
                for fees in (True, False):
                    df = members._summary(key, year, fees)
                    new = members._rows.uncached(key, year, fees, "?year=2020")
                    old = ref.members_rows(df, key, year, fees, "?year=2020")
                    pd.testing.assert_frame_equal(new, old, check_exact=True)
                frame, slugs = events._load(ChartFilters(regions, year))
                _same_records(ref.events_rows(frame, slugs), events._rows(frame, slugs))


def test_grid_widths_as_before(ref):
    from dashboard.grids import word_min_width

    values = ["yes", "no", "yes", None, True, 1, 1.5, float("nan"), "[Abu Dhabi](/members/abu-dhabi), [Rome](/r)",
              "a [b\\]c](/x) d", ["a", "b"], "Intergovernmental organisation", "", 0, False, "x" * 60]
    for header in ("Location", "Kind", "A very long header indeed"):
        for n in range(len(values) + 1):
            assert word_min_width(header, values[:n]) == ref.word_min_width(header, values[:n])
