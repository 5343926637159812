"""The overview's cards: one data function reads the store, the card builders only build (they query nothing)."""

import importlib
import json

import plotly
import pytest

from dashboard import years
from dashboard.filters import ChartFilters as Filters
from db.session import Session


def _json(components) -> str:
    return json.dumps(components, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)


class NoQueries:
    """Stands in for a query module: any query the builders attempt fails the test."""

    def __init__(self, name: str):
        self.name = name

    def __getattr__(self, attr):
        raise AssertionError(f"a card builder queried {self.name}.{attr}")


@pytest.mark.parametrize("year", [2020, 2021])  # a reported year, a year in progress
@pytest.mark.parametrize("regions", [None, ["Europe"]])
def test_cards_are_built_from_the_data_read_before(dash_app, app_store, monkeypatch, year, regions):
    overview = importlib.import_module("dashboard.kpis")  # the overview page's cards and the decks' KPI slide
    session = Session()
    filters = Filters(regions, year)
    cov = years.coverage_of(year, regions)
    reported = cov["kind"] == "reported"
    expected = overview.build_kpis(session, filters, frozenset(), True)
    data = (overview.reported_data if reported else overview.in_progress_data)(session, filters)
    for name in ("action_plan", "events", "indicators", "members_q"):
        monkeypatch.setattr(overview, name, NoQueries(name))
    monkeypatch.setattr(overview, "engagement_by_region", NoQueries("engagement_by_region"))
    monkeypatch.setattr(overview, "recorded_speakers", NoQueries("recorded_speakers"))
    cards, by_region, source = (overview.reported_kpis(data, filters, frozenset(), cov) if reported else
                                overview.in_progress_kpis(data, filters, cov, True))
    assert _json(cards) == _json(expected[0])
    assert by_region.equals(expected[1]) and source == expected[2]
    assert len(cards) >= 4 and cov["kind"] == ("reported" if year == 2020 else "in_progress")
    session.close()


@pytest.mark.parametrize(("lang", "people", "women", "speakers"), [
    ("en", "2,100+", "36%", "of 160 speakers"),
    ("fr", "2\u202f100+", "36\u00a0%", "160"),  # as every number of the dashboard (dashboard.translation)
    ("es", "2.100+", "36\u00a0%", "160"),
])
def test_printed_key_figures_are_written_as_the_language_writes_numbers(dash_app, app_store, lang, people, women,
                                                                         speakers):
    """'2,100+' and '36%' as printed are numbers: a French reader would read '2,100' as two point one. The action
    plan's card cites its document as the other cards do (quoted as printed, not translated)."""
    from dashboard import kpis

    with dash_app.server.test_request_context(f"/?lang={lang}"), Session() as session:
        cards = {k.metric: k for k in kpis.build_kpis(session, Filters(None, 2020), frozenset(), False)[0]}
    assert cards["people"].value == people and cards["speakers"].value == women
    assert speakers in cards["speakers"].detail
    assert cards["plan"].source == "Metropolis Annual Report 2020, 3. Implementation of the Action Plan 2018-2020"
    assert cards["plan"].quote_source
