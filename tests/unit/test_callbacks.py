"""Callbacks and page layouts called as plain functions, against the app's seeded SQLite store."""

from contextvars import copy_context

import plotly.graph_objects as go
import pytest
from dash import no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict

from dashboard import ids


def triggered(prop_id: str, func, *args):
    """Run `func(*args)` as if the input `prop_id` had triggered it."""
    def run():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": None}]))
        return func(*args)
    return copy_context().run(run)


YEARS = [{"label": "2020", "value": 2020}]
REGIONS = [{"label": r, "value": r} for r in ["Africa", "Asia-Pacific", "Europe", "Latin America and the Caribbean",
                                               "North America"]]


def test_filter_change_writes_the_url(app_store):
    from dashboard.shell import update_filters

    search, regions, year = triggered(f"{ids.Shell.REGION}.value", update_filters, "?lang=en", ["Europe"], 2020,
                                      YEARS, REGIONS)
    assert search == "?lang=en&region=Europe&year=2020" and regions is no_update and year is no_update


def test_url_change_sets_the_filters_and_falls_back(app_store):
    from dashboard.shell import update_filters

    out = triggered(f"{ids.Shell.URL}.search", update_filters, "?region=north-america&year=2020", [], 2020,
                    YEARS, REGIONS)
    assert out == (no_update, ["North America"], no_update)
    out = triggered(f"{ids.Shell.URL}.search", update_filters, "?region=Atlantis&year=1850", ["Europe"], 2020,
                    YEARS, REGIONS)
    assert out == (no_update, [], no_update)


def test_nav_links_carry_the_filters(app_store):
    from dashboard.shell import NAV_PAGES, update_nav_links

    hrefs, active = update_nav_links("/map", "?region=Europe&year=2020&colour=engagement")
    assert hrefs[0] == "/?region=Europe&year=2020" and len(hrefs) == len(NAV_PAGES)
    assert active == [key == "map" for key, *_ in NAV_PAGES]
    _hrefs, active = update_nav_links("/members/madrid", "")
    assert active == [key == "members" for key, *_ in NAV_PAGES]


def test_member_search_opens_the_member(app_store):
    from dashboard.shell import open_member_from_search

    assert open_member_from_search("madrid", "?region=Europe&year=2020&x=1") == (
        "/members/madrid?region=Europe&year=2020", None)
    assert open_member_from_search(None, "") == (no_update, no_update)


def test_map_colour_switch_and_click(app_store):
    from dashboard.pages.map import open_member_from_map, update_map

    fig, menu, state = update_map("engagement", {"regions": ["Europe"], "year": 2020})
    assert state["options"] == {"colour": "engagement"}  # the chart's table and description follow the colouring
    assert isinstance(fig, dict)  # figures travel as plain dicts (no plotly validation on the way out)
    fig = go.Figure(fig)
    assert len(fig.data[0].customdata) == 16  # one marker per European member
    assert "/export/members-map.png?region=Europe&year=2020&colour=engagement" in _hrefs(menu)
    assert open_member_from_map({"points": [{"customdata": ["berlin"]}]}, "?year=2020") == "/members/berlin?year=2020"
    assert open_member_from_map({"points": []}, "") is no_update


def test_engagement_sort_and_row_click(app_store):
    from dashboard.pages.engagement import open_member_from_heatmap, update_matrices

    matrix, web, matrix_menu, web_menu, matrix_state, web_state, *_print_tables = update_matrices(
        "total", {"regions": None, "year": 2020})
    assert matrix_state["options"] == web_state["options"] == {"sort": "total"}
    matrix, web = go.Figure(matrix), go.Figure(web)
    assert "/export/engagement-matrix.csv?year=2020&sort=total" in _hrefs(matrix_menu)
    assert "/export/website-presence.csv?year=2020&sort=total" in _hrefs(web_menu)
    assert list(matrix.data[1].y)[-1] == "Montréal"  # 11 of 11 dimensions: first when sorted by total
    assert len(web.data[1].y) == 141
    url = triggered(f"{ids.Engagement.MATRIX}.clickData", open_member_from_heatmap,
                    {"points": [{"customdata": "tehran"}]}, None, "")
    assert url == "/members/tehran"


def test_action_plan_drill_down(app_store):
    from dashboard.pages.action_plan import update_deliverables

    year = {"regions": None, "year": 2020}
    bar = f"{ids.ActionPlan.STATUS_CHART}.clickData"
    rows, label, chosen = triggered(bar, update_deliverables, {"points": [{"customdata": ["L3"]}]}, None, year)
    assert len(rows) == 21 and all(r["code"].startswith("L3") for r in rows) and "L3" in label
    assert chosen == "L3"  # the line chooser shows the clicked bar's line
    unchanged = (no_update, no_update, no_update)
    assert triggered(bar, update_deliverables, {"points": [{"customdata": ["L9"]}]}, None, year) == unchanged


def test_action_plan_line_chooser(app_store):
    """The keyboard's way to a bar's drill-down: choosing a line lists its deliverables; no line lists them all."""
    from dashboard.pages.action_plan import update_deliverables

    year = {"regions": None, "year": 2020}
    chooser = f"{ids.ActionPlan.LINE_CHOOSER}.value"
    rows, label, chosen = triggered(chooser, update_deliverables, None, "L3", year)
    assert len(rows) == 21 and all(r["code"].startswith("L3") for r in rows) and "L3" in label
    everything, label, _chosen = triggered(chooser, update_deliverables, None, None, year)
    assert len(everything) > len(rows) and {r["code"][:2] for r in everything} >= {"L1", "L2", "L3"}
    assert triggered(chooser, update_deliverables, None, "L9", year) == (no_update, no_update, no_update)


def test_events_kind_filter(app_store):
    from dashboard.pages.events import update_events

    timeline, per_month, rows, count, menu, _menu, state, _state = update_events(["wmd"], {"regions": None, "year": 2020})
    assert state["options"] == {"kind": ["wmd"]}
    assert len(rows) == 18 and count == "18 events"
    assert "/export/events-timeline.png?year=2020&kind=wmd" in _hrefs(menu)
    _t, _p, rows, count, _m, _n, _s, _u = update_events([], {"regions": None, "year": 2020})
    assert rows == [] and count == "0 events"
    assert timeline["data"] and per_month["data"]


def test_member_list_filter_is_a_patch(app_store):
    from dashboard.pages.members import update_member_filter

    patch = update_member_filter("Bogotá")
    assert patch.to_plotly_json()["operations"][0]["params"]["value"] == "Bogotá"


def _hrefs(component) -> list[str]:
    """Every href in a component tree."""
    found = []
    if isinstance(component, (list, tuple)):
        for child in component:
            found += _hrefs(child)
        return found
    if hasattr(component, "href") and component.href:
        found.append(component.href)
    children = getattr(component, "children", None)
    if children is not None and not isinstance(children, str):
        found += _hrefs(children)
    return found


def _text(component) -> str:
    """All text in a component tree."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


@pytest.mark.parametrize("module", ["overview", "map", "engagement", "gender", "action_plan", "events", "members",
                                    "sources"])
def test_every_page_layout_builds_and_explains_bad_filters(app_store, module):
    import importlib

    page = importlib.import_module(f"dashboard.pages.{module}")
    good = page.layout(region="Europe", year="2020")
    assert "Europe · 2020" in _text(good)
    bad = page.layout(region="Atlantis", year="1850")
    text = _text(bad)
    assert "Unknown region 'Atlantis'" in text and "There is no data for 1850" in text


def test_member_page_and_unknown_member(app_store):
    from dashboard.pages.member import layout

    assert "Ayuntamiento de Madrid" in _text(layout(slug="madrid"))
    assert "Alcaldía Mayor de Bogotá D.C." in _text(layout(slug="Bogotá"))  # an alias or accented name works
    missing = _text(layout(slug="barcelonaa"))
    assert "There is no member called 'barcelonaa'" in missing and "Barcelona (city)" in missing


def test_overview_reads_out_the_state(app_store):
    from dashboard.pages.overview import layout

    text = _text(layout())
    assert "108 of 141 members were active in 2020" in text and "Europe 14 of 16" in text
    assert "The report prints 78 members." in text


def test_unknown_cells_read_as_unknown_on_the_pages(app_store):
    """Tehran's unreadable cells: 'unknown' on its page, the member list, the overview and the sources page."""
    from dashboard.pages.member import layout as member_page
    from dashboard.pages.members import _rows
    from dashboard.pages.overview import layout as overview
    from dashboard.pages.sources import layout as sources

    tehran = _text(member_page(slug="tehran", year="2020"))
    assert tehran.count("unknown (unreadable in the report)") == 5  # Board, bilateral, learning, WMD, Call
    assert "Bilateral meetings 0" not in tehran
    rows = _rows(None, 2020, True, "").set_index("name")
    assert rows.loc["Tehran", "fee"] == "unknown" and rows.loc["Madrid", "fee"] == "yes"
    assert "for 1 the report's cell is unreadable (unknown)" in _text(overview())
    text = _text(sources(year="2020"))
    assert "77 known + 1 unknown" in text and "138 known + 1 unknown" in text
    assert "13 recomputed figures rest on cells the report prints unreadably" in text
    assert "61  (as of November 2020)" in text  # the printed figure and its period


def test_member_pages_show_new_member_provenance_and_notes(app_store):
    from dashboard.pages.member import layout

    guiyang = _text(layout(slug="guiyang", year="2020"))
    assert "New member in 2020" in guiyang and "line 642" in guiyang and "without (N)" in guiyang
    yiwu = _text(layout(slug="yiwu", year="2020"))
    assert "New member in 2020" not in yiwu and "members.new.yiwu" in yiwu


def test_fee_chart_and_its_speaker_notes_say_how_many_cells_are_unknown(app_store):
    from dashboard.charts import ChartFilters, render, summary

    data = render("fee-paid-by-region", ChartFilters(None, 2020))
    rows = data.rows.set_index("region")
    assert (rows.loc["Asia-Pacific", "fee_unknown"], int(rows["fee_paid"].sum())) == (1, 77)
    bar = data.plotly().data[0]
    assert any(label.endswith("· 1 unknown") for label in bar.text)
    notes = summary("fee-paid-by-region", data)
    assert "; 1 unknown (unreadable in the report)" in next(line for line in notes.splitlines()
                                                          if line.startswith("Asia-Pacific"))
