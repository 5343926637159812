"""The engagement page's printed heatmaps (issue 14): sent as data the browser draws into tables
(dashboard.pages.engagement.print_table, assets/app.js printTable), not as some 2,700 Dash components."""

from __future__ import annotations

from dash.development.base_component import Component

from dashboard import ids
from dashboard.figures.engagement import fill_colour
from dashboard.figures.style import UNKNOWN_COLOUR, text_colour_on


def components(node) -> int:
    """How many Dash components a layout tree holds."""
    if isinstance(node, list | tuple):
        return sum(components(n) for n in node)
    if not isinstance(node, Component):
        return 0
    return 1 + components(getattr(node, "children", None))


def find(node, component_id):
    if isinstance(node, list | tuple):
        return next((f for f in (find(n, component_id) for n in node) if f is not None), None)
    if not isinstance(node, Component):
        return None
    if getattr(node, "id", None) == component_id:
        return node
    return find(getattr(node, "children", None), component_id)


def test_the_engagement_page_is_a_few_hundred_components_and_its_print_tables_are_data(dash_app, app_store):
    from dashboard.pages import engagement

    with dash_app.server.test_request_context("/engagement"):
        page = engagement.layout(year="2020")
    assert components(page) < 600  # 2,877 when each printed cell was a component
    box = find(page, ids.Engagement.MATRIX_PRINT)
    assert box is not None and getattr(box, "children", None) is None  # drawn by the browser, left empty by React
    spec = find(page, ids.Engagement.MATRIX_PRINT_DATA).data
    assert len(spec["rows"]) == 141 and spec["corner"] == "Member" and spec["caption"].startswith("Engagement")
    assert all(len(cells) == len(spec["columns"]) for _name, cells in spec["rows"])
    assert find(page, ids.Engagement.WEBSITE_PRINT_DATA).data["rows"]


def test_a_print_table_follows_the_chart_row_by_row_with_its_fills(dash_app, app_store):
    from dashboard.charts import ChartFilters, ChartId, render
    from dashboard.pages.engagement import print_table

    with dash_app.server.test_request_context("/engagement"):
        data = render(ChartId.ENGAGEMENT_MATRIX, ChartFilters(year=2020).with_options({"sort": "total"}))
        spec = print_table(data)
    heat = data.figure["data"][1]
    unknown = next(t for t in data.figure["data"][2:] if t.get("type") == "heatmap")
    assert [name for name, _cells in spec["rows"]] == list(reversed(heat["y"]))  # the chart's top row first
    assert spec["rows"][0][0] == "Montréal"  # 10 of 10 dimensions shown to a visitor: first by total
    seen_unknown = 0
    for r, (_name, cells) in enumerate(spec["rows"]):
        i = len(heat["y"]) - 1 - r
        for j, (text, fill, ink) in enumerate(cells):
            if heat["z"][i][j] is None and unknown["z"][i][j] is not None:
                assert (text, fill) == (unknown["text"][i][j], UNKNOWN_COLOUR)
                seen_unknown += 1
            else:
                assert (text, fill) == (heat["text"][i][j], fill_colour(heat["z"][i][j] or 0))
            assert ink == text_colour_on(fill)
    assert seen_unknown == 5  # Tehran's unreadable engagement cells (its unknown fee is shown signed in only)
