"""Engagement: members by engagement dimension, activations by region and month, website presence."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.components import discrepancy_notes, graph, page_frame, resolve_filters, source_note
from dashboard.figures.engagement import (
    ENGAGEMENT_MATRIX,
    SORT_MODES,
    WEBSITE_MATRIX,
    activations_heatmap_figure,
    member_matrix_figure,
)
from dashboard.figures.style import source_text
from dashboard.i18n import _
from dashboard.shell import member_href
from db.queries import engagement, events
from db.queries.common import region_names
from db.session import Session

dash.register_page(__name__, path="/engagement", name="Engagement", title="Engagement · Metropolis dashboard",
                   order=2)

ROW_DISCREPANCIES = [
    "fees.paid.members", "engagement.board_meetings.members", "engagement.bilateral.members",
    "engagement.bilateral.total", "engagement.learning.members", "engagement.learning.total",
    "engagement.wmd_participation.members", "engagement.wmd_participation.total",
    "engagement.call_endorsement.members",
]


def _words(filters: dict) -> str:
    return f"{', '.join(filters['regions']) if filters['regions'] else _('All regions')} · {filters['year']}"


def _matrix(filters: dict, sort_by: str):
    with Session() as session:
        df = engagement.engagement_by_member(session, year=filters["year"], regions=filters["regions"])
    return member_matrix_figure(
        df, columns=ENGAGEMENT_MATRIX, sort_by=sort_by,
        title=_("Engagement of each member in %(year)s", year=filters["year"]), subtitle=_words(filters),
        source=source_text(df), note=_("Colour: the value relative to the column's highest; ✓ yes; ’19 = analysed in 2019; "
                                       "L/P = pilot project leader/partner.")), df


def layout(region=None, year=None, sort=None, **_unused_query_params):
    filters = resolve_filters(region, year)
    f = {"regions": filters.regions, "year": filters.year}
    sort_by = sort if sort in SORT_MODES else "region"
    matrix, eng_df = _matrix(f, sort_by)
    with Session() as session:
        act = events.activations_by_region_month(session, year=filters.year, regions=filters.regions)
        named = events.events_in_year(session, year=filters.year, regions=filters.regions)
        web = engagement.website_presence_by_member(session, year=filters.year, regions=filters.regions)
        shown_regions = filters.regions or region_names(session)
    named = named[named["member_count"] > 0]
    act_source = source_text(named)
    act_fig = activations_heatmap_figure(
        act, regions=shown_regions, title=_("Members activated by events, by region and month"),
        subtitle=_words(f), source=act_source,
        note=_("Only the progress report for July-September names the members each event activated; the annual "
               "report gives yearly totals per member (table above)."))
    web_fig = member_matrix_figure(
        web, columns=WEBSITE_MATRIX, sort_by=sort_by,
        title=_("Members on the Metropolis website in %(year)s", year=filters.year), subtitle=_words(f),
        source=source_text(web))
    notes = discrepancy_notes(ROW_DISCREPANCIES)
    sort = dbc.RadioItems(id=ids.Engagement.SORT, value=sort_by, inline=True, className="mb-2",
                          options=[{"label": _("Group by region"), "value": "region"},
                                   {"label": _("Sort by total engagement"), "value": "total"}])
    return page_frame(_("Engagement"), filters, [
        sort,
        graph(ids.Engagement.MATRIX, matrix, filename="metropolis-engagement-heatmap"),
        source_note(source_text(eng_df)),
        html.Details([html.Summary(_("%(n)s printed totals of this table differ from its rows", n=len(notes))),
                      source_note("", notes=notes)], className="mb-3 small") if notes else None,
        graph(ids.Engagement.ACTIVATIONS, act_fig, filename="metropolis-activations"),
        source_note(act_source or _("Progress reports")),
        graph(ids.Engagement.WEBSITE, web_fig, filename="metropolis-website-presence"),
        source_note(source_text(web)),
    ], intro=_("Rows are members, columns the eleven engagement dimensions of the annual report (section 4.1). "
               "Hover over a cell for the exact value and its source line; click a row to open the member."))


@callback(Output(ids.Engagement.MATRIX, "figure"), Output(ids.Engagement.WEBSITE, "figure"),
          Input(ids.Engagement.SORT, "value"), State(ids.Shell.PAGE_FILTERS, "data"), prevent_initial_call=True)
def update_matrices(sort_by, filters):
    """Re-sort both member heatmaps."""
    if not filters or sort_by not in SORT_MODES:
        raise PreventUpdate
    matrix, _df = _matrix(filters, sort_by)
    with Session() as session:
        web = engagement.website_presence_by_member(session, year=filters["year"], regions=filters["regions"])
    web_fig = member_matrix_figure(web, columns=WEBSITE_MATRIX, sort_by=sort_by,
                                   title=_("Members on the Metropolis website in %(year)s", year=filters["year"]),
                                   subtitle=_words(filters), source=source_text(web))
    return matrix, web_fig


@callback(Output(ids.Shell.URL, "href", allow_duplicate=True), Input(ids.Engagement.MATRIX, "clickData"),
          Input(ids.Engagement.WEBSITE, "clickData"), State(ids.Shell.URL, "search"), prevent_initial_call=True)
def open_member_from_heatmap(matrix_click, web_click, search):
    """Open the member of the clicked row."""
    click = matrix_click if dash.ctx.triggered_id == ids.Engagement.MATRIX else web_click
    try:
        slug = click["points"][0]["customdata"]
    except (TypeError, KeyError, IndexError):
        return no_update
    if isinstance(slug, list):
        slug = slug[0]
    return member_href(slug, search) if isinstance(slug, str) else no_update
