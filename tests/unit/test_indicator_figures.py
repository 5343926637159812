"""The Indicators page's builders tested as data: map, ranking, distribution, result cards, sentences; empty states;
and its layouts and callbacks called as plain functions on the app's (shipped) store."""

import math

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard import ids
from dashboard.figures import indicators as f
from dashboard.figures.style import EXPORT, lay_out
from dashboard.summaries import coverage_sentence, indicators_sentence
from dashboard.translation import ENGLISH as EN
from db.queries.indicators import MEMBER_VALUE_COLUMNS, RESULT_COLUMNS
from tests.figure_schema import validated


def values(rows) -> pd.DataFrame:
    """values_by_member rows: (member, region, value, previous_value)."""
    out = []
    for member, region, value, previous in rows:
        out.append({"member": member, "slug": member.lower(), "region": region, "country": "X", "latitude": 1.0,
                    "longitude": 2.0, "year": 2021, "value": value, "printed": str(value), "note": "",
                    "previous_year": 2020 if previous is not None else None,
                    "previous_value": previous if previous is not None else math.nan,
                    "source": "Entered in the dashboard", "source_citation": "Entered in the dashboard",
                    "source_document": "", "source_section": "", "source_locator": ""})
    return pd.DataFrame(out, columns=MEMBER_VALUE_COLUMNS)


ROWS = values([("Dakar", "Africa", 7.6, 22.7), ("Cairo", "Africa", 39.9, 38.2), ("Berlin", "Europe", 14.4, None)])
COMMON = {"unit": "percent", "network_value": 8.9, "title": "T", "subtitle": "S", "source": "Src",
          "empty_message": "No member has a value of its own for 2021."}


def checked(fig) -> go.Figure:
    pio.to_json(fig)
    return validated(fig)


def test_map_colours_each_member_by_its_value():
    fig = checked(f.indicator_map_figure(ROWS, tr=EN, network_text="Network figure, as printed: 8.9% (2020)",
                                         zoom_to_data=False, **COMMON))
    (geo,) = fig.data
    assert geo.type == "scattergeo" and list(geo.marker.color) == [7.6, 39.9, 14.4]
    assert [c[0] for c in geo.customdata] == ["dakar", "cairo", "berlin"]  # a click opens the member
    assert geo.marker.cmin == 7.6 and geo.marker.cmax == 39.9
    assert "Network figure, as printed: 8.9% (2020)" in geo.hovertext[0] and "2020: 22.7%" in geo.hovertext[0]
    assert any("Source: Src" in a.text for a in fig.layout.annotations)


def test_ranking_orders_members_and_draws_the_network_figure_and_the_previous_year():
    fig = checked(f.indicator_ranking_figure(ROWS, tr=EN, network_label="network figure 8.9%", **COMMON))
    bars = [t for t in fig.data if t.type == "bar"]
    assert [b.name for b in bars] == ["Africa", "Europe"]  # canonical region order in the legend
    assert list(fig.layout.yaxis.categoryarray) == ["Dakar", "Berlin", "Cairo"]  # plotly draws bottom-up: Cairo on top
    (diamonds,) = [t for t in fig.data if t.type == "scatter"]
    assert list(diamonds.y) == ["Dakar", "Cairo"] and list(diamonds.x) == [22.7, 38.2] and diamonds.name == "2020"
    (line,) = fig.layout.shapes
    assert line.x0 == line.x1 == 8.9
    assert any(a.text == "network figure 8.9%" for a in fig.layout.annotations)
    assert any("Hollow diamonds: the member's value in 2020." in a.text for a in fig.layout.annotations)
    assert fig.layout.xaxis.range[1] > 39.9


def test_long_titles_wrap_instead_of_running_off_a_printed_page():
    title = "Fiscal autonomy (own-source revenue as share of total metro revenue), by member, 2021"
    for fig in (f.indicator_map_figure(ROWS, tr=EN, network_text="", zoom_to_data=False, **{**COMMON, "title": title}),
                f.indicator_map_figure(values([]), tr=EN, network_text="", zoom_to_data=False, **{**COMMON, "title": title})):
        # wrapped to the medium's width by lay_out: one line at 1280 px, two on a page 720 px wide
        narrow = lay_out(go.Figure(fig), EXPORT.sized(720, 500))
        assert narrow.layout.title.text.count("<br>") == 1 and narrow.layout.margin.t >= checked(fig).layout.margin.t + 24


def test_distribution_counts_every_member_once():
    fig = checked(f.indicator_distribution_figure(ROWS, tr=EN, network_label="network figure 8.9%", **COMMON))
    assert all(t.type == "histogram" for t in fig.data)
    assert sum(len(t.x) for t in fig.data) == 3 and [t.name for t in fig.data] == ["Africa", "Europe"]
    assert fig.data[0].xbins.size == fig.data[1].xbins.size  # the same bins for every region


@pytest.mark.parametrize("builder", [f.indicator_map_figure, f.indicator_ranking_figure, f.indicator_distribution_figure])
def test_no_member_values_says_so_instead_of_empty_axes(builder):
    extra = {"network_text": "", "zoom_to_data": False} if builder is f.indicator_map_figure else {"network_label": ""}
    fig = checked(builder(values([]), tr=EN, **extra, **COMMON))
    assert not fig.data
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    message, source = fig.layout.annotations
    assert message.text == "No member has a value of its own for 2021." and source.text == "Source: Src"


@pytest.mark.parametrize("value,unit,qualifier,text", [
    (2100, "persons", "more_than", "2,100+"), (75, "persons", "almost", "almost 75"), (8.9, "percent", "", "8.9%"),
    (2642, "inhabitants_per_km2", "", "2,642 inhabitants per km²"), (936463, "eur", "", "936,463 €"),
    (73.7, "years", "", "73.7 years"), (math.nan, "percent", "", "–"),
])
def test_values_keep_their_unit_and_qualifier(value, unit, qualifier, text):
    assert f.format_value(value, unit, qualifier, tr=EN) == text


def results(rows) -> pd.DataFrame:
    out = []
    for section, code, unit, value, printed, qualifier, previous in rows:
        prev_value, prev_printed, prev_qualifier = previous or (None, None, None)
        out.append({"section": section, "topic": "t", "code": code, "name": code.title(), "unit": unit, "year": 2021,
                    "value": value, "printed": printed, "qualifier": qualifier, "note": "",
                    "previous_year": 2020 if previous else None, "previous_value": prev_value,
                    "previous_printed": prev_printed, "previous_qualifier": prev_qualifier, "source": "AR, s, line 1",
                    "source_citation": "AR", "source_document": "", "source_section": section, "source_locator": ""})
    return pd.DataFrame(out, columns=RESULT_COLUMNS)


def test_result_cards_group_by_action_line_keep_the_plus_and_compare_years():
    df = results([
        ("2.2. Action Line 2", "learning.participants", "persons", 1000, "1,000+ people", "more_than",
         (900, "900+", "more_than")),
        ("2.2. Action Line 2", "learning.participants.women_pct", "percent", 50, "50% women", "", None),
        ("2.1. Action Line 1", "communication.videos", "count", 14, "14 new videos", "", (10, "10", "")),
        ("2.1. Action Line 1: World Metropolitan Day 2020", "wmd.events", "count", 17, "17 events", "", None),
        ("2. Main results: Achievements in 2020", "events.participants", "persons", 2100, "2,100+", "more_than", None),
        ("2.4. Gender equality highlights", "board.representatives.women_pct", "percent", 21, "21%", "", None),
    ])
    groups = f.result_cards(df, tr=EN, line_titles={"L1": "Urban diplomacy", "L2": "Capacities"})
    assert [g["title"] for g in groups] == ["Main results", "Action Line 1 · Urban diplomacy",
                                            "Action Line 2 · Capacities", "Gender equality highlights"]
    main, line1, line2, _gender = groups
    assert main["cards"][0]["value"] == "2,100+" and main["cards"][0]["change"] == ""
    videos, wmd = line1["cards"]
    assert videos["change"] == "+4 (+40.0%) on 2020 (10)"
    assert wmd["subsection"] == "World Metropolitan Day 2020" and videos["subsection"] == ""
    (learning,) = line2["cards"]  # the gender breakdown is a detail of its population, not a card
    assert learning["value"] == "1,000+" and learning["details"] == ["50% women"]
    assert learning["change"] == "2020: 900+ (approximate figures: no change computed)"
    assert f.result_cards(results([]), tr=EN, line_titles={}) == []


def test_coverage_and_headline_sentences():
    assert coverage_sentence(12, 25, regions=["Africa"], year=2021) == "Values for 12 of 25 members of Africa, 2021"
    assert coverage_sentence(0, 141, regions=None, year=2020) == "Values for 0 of 141 members, 2020"
    assert coverage_sentence(3, 41, regions=["Africa", "Europe"], year=2021).endswith("of Africa and Europe, 2021")
    ind = pd.DataFrame({"code": ["a", "b"], "name": ["Poverty", "Density"], "network_printed": ["8.9%", ""]})
    none = pd.DataFrame({"code": ["a", "b"], "region": ["Africa"] * 2, "members": [25, 25], "with_values": [0, 0]})
    assert indicators_sentence(ind, none, regions=None, year=2020) == (
        "The Observatory gives network figures for 1 of 2 metropolitan indicators; no member has a value of its "
        "own in 2020.")
    one = none.assign(with_values=[8, 0])
    assert indicators_sentence(ind, one, regions=["Africa"], year=2020).endswith(
        "1 of them has values per member in 2020: Poverty (8 of 25 members of Africa).")
    some = none.assign(with_values=[12, 4])
    assert indicators_sentence(ind, some, regions=["Africa"], year=2021).endswith(
        "2 of them have values per member in 2021, the most for Poverty (12 of 25 members of Africa).")


# ---- the pages on the app's (shipped) store ---------------------------------------------------------

def _text(component) -> str:
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def _find(component, component_id):
    if isinstance(component, (list, tuple)):
        return next((x for c in component if (x := _find(c, component_id)) is not None), None)
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    return _find(children, component_id) if children is not None and not isinstance(children, str) else None


def test_shipped_page_shows_printed_figures_and_coverage_without_charts(app_store):
    from dashboard.pages.indicators import layout

    page = layout(year="2020")
    text = _text(page)
    for printed in ("53%", "2,642", "8.9%", "35.1", "62%", "73.7"):
        assert printed in _text(_find(page, ids.Indicators.TABLE))
    assert "Values for 0 of 141 members, 2020" in text
    assert _find(page, ids.Indicators.EMPTY) is not None and _find(page, ids.Indicators.MAP) is None
    assert _find(page, ids.Indicators.IMPORT_LINK) is None  # the import is for signed-in users only
    assert "no member has a value of its own in 2020" in _text(_find(page, ids.Indicators.SUMMARY))
    assert "2,100+" in _text(_find(page, ids.Indicators.result_card("events.participants")))
    africa = layout(region="Africa", year="2020", indicator="observatory.poverty_pct")
    assert "Values for 0 of 25 members of Africa, 2020" in _text(_find(africa, ids.Indicators.COVERAGE))
    bad = _text(layout(indicator="observatory.happiness"))
    assert "Unknown indicator 'observatory.happiness'" in bad


def test_indicator_page_and_unknown_indicator(app_store):
    from dashboard.pages.indicator import layout

    text = _text(layout(code="observatory.poverty_pct"))
    assert "People living below the poverty line" in text and "8.9%" in text and "a share between 0 and 100" in text
    assert "Metropolis Strategic Action Plan 2021-2023, Metropolitan metrics, line 142" in text
    plus = _text(layout(code="events.participants"))
    assert "2,100+" in plus and "the documents give no values per member" in plus
    missing = _text(layout(code="observatory.povrty_pct"))
    assert "There is no indicator 'observatory.povrty_pct'" in missing and "observatory.poverty_pct" in missing


def test_a_click_on_the_map_or_the_ranking_opens_the_member(app_store):
    from dashboard.pages.indicators import open_member_from_indicator
    from tests.unit.test_callbacks import triggered

    click = {"points": [{"customdata": ["cairo"]}]}
    assert triggered(f"{ids.Indicators.RANKING}.clickData", open_member_from_indicator, None, click,
                     "?region=Africa&year=2021&indicator=observatory.poverty_pct") == \
        "/members/cairo?region=Africa&year=2021"
    assert triggered(f"{ids.Indicators.MAP}.clickData", open_member_from_indicator, click, None, "") == "/members/cairo"


@pytest.mark.parametrize("module,params", [("indicators", {}), ("indicator", {"code": "observatory.poverty_pct"})])
def test_indicator_pages_explain_bad_filters(app_store, module, params):
    import importlib

    page = importlib.import_module(f"dashboard.pages.{module}")
    assert "Europe · 2020" in _text(page.layout(region="Europe", year="2020", **params))
    text = _text(page.layout(region="Atlantis", year="1850", **params))
    assert "Unknown region 'Atlantis'" in text and "There is no data for 1850" in text


def test_member_page_links_to_the_indicators(app_store):
    from dashboard.pages.member import layout

    section = _find(layout(slug="madrid"), ids.Member.INDICATORS)
    assert "The store holds no metropolitan indicator values of this member." in _text(section)
