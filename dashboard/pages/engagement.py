"""Engagement: members by engagement dimension, activations by region and month, website presence."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids, years
from dashboard.auth import fees_visible
from dashboard.chart_tables import chart_state
from dashboard.charts import ChartData, ChartId, render
from dashboard.components import (
    cached_layout,
    chart_block,
    chart_menu,
    discrepancy_notes,
    page_frame,
    resolve_filters,
    source_note,
    stored_filters,
)
from dashboard.figures.engagement import SORT_MODES, cell_text_colour, colour_key_text, fill_colour
from dashboard.figures.style import UNKNOWN_COLOUR, text_colour_on
from dashboard.i18n import _, current_translator, ngettext
from dashboard.shell import member_href

dash.register_page(__name__, path="/engagement", name="Engagement", title="Engagement · Metropolis dashboard",
                   order=2)

ROW_DISCREPANCIES = [
    "fees.paid.members", "engagement.board_meetings.members", "engagement.bilateral.members",
    "engagement.bilateral.total", "engagement.learning.members", "engagement.learning.total",
    "engagement.wmd_participation.members", "engagement.wmd_participation.total",
    "engagement.call_endorsement.members",
]


@cached_layout("engagement")
def layout(region=None, year=None, lang=None, sort=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    sort_by = sort if sort in SORT_MODES else "region"
    f = filters.with_options({"sort": sort_by})
    plain = filters.with_options()
    matrix, activations, website = render(ChartId.ENGAGEMENT_MATRIX, f), render(ChartId.ACTIVATIONS_BY_MONTH, plain), \
        render(ChartId.WEBSITE_PRESENCE, f)
    notes = discrepancy_notes(ROW_DISCREPANCIES) if years.is_reported(filters.year) else []  # the report's year only
    sort = dbc.RadioItems(id=ids.Engagement.SORT, value=sort_by, inline=True, className="mb-2 no-print",
                          options=[{"label": _("Group by region"), "value": "region"},
                                   {"label": _("Sort by total engagement"), "value": "total"}])
    return page_frame(_("Engagement"), filters, [
        sort,
        chart_block(ChartId.ENGAGEMENT_MATRIX, matrix, f, graph_id=ids.Engagement.MATRIX, options=f.options),
        html.Div(id=ids.Engagement.MATRIX_PRINT, className="print-heatmap"),
        dcc.Store(id=ids.Engagement.MATRIX_PRINT_DATA, data=print_table(matrix)),
        source_note(matrix.source),
        html.Details([html.Summary(ngettext("%(n)s printed total of this table differs from its rows",
                                            "%(n)s printed totals of this table differ from its rows", len(notes))),
                      source_note("", notes=notes)], className="mb-3 small") if notes else None,
        chart_block(ChartId.ACTIVATIONS_BY_MONTH, activations, plain, graph_id=ids.Engagement.ACTIVATIONS),
        source_note(activations.source) if activations.source else source_note(_("Progress reports"), quote=False),
        chart_block(ChartId.WEBSITE_PRESENCE, website, f, graph_id=ids.Engagement.WEBSITE, options=f.options),
        html.Div(id=ids.Engagement.WEBSITE_PRINT, className="print-heatmap"),
        dcc.Store(id=ids.Engagement.WEBSITE_PRINT_DATA, data=print_table(website)),
        source_note(website.source),
    ], intro=(_("Rows are members, columns the eleven engagement dimensions of the annual report (section 4.1). "
                "Hover over a cell for the exact value and its source line; click a row to open the member.")
              if years.is_reported(filters.year) else
              _("Rows are members, columns the engagement dimensions, computed from what was recorded in the "
                "dashboard for this year so far; pilot projects, World Metropolitan Day speakers and endorsements "
                "are not recorded there. Click a row to open the member."))
        + ("" if fees_visible() else " " + _("A member's fee payment is shown to signed-in users only: the fee "
                                             "column and the totals here leave it out.")),
        page_path="/engagement")


def print_table(data: ChartData) -> dict | None:
    """The member heatmap as printed, as data: the rows and columns the chart draws, each cell's text, its fill (the
    chart's) and the text colour that reads on it (dark or white). The browser draws it as a table
    (assets/app.js, printTable) whose header row repeats on every printed page and whose rows never break across
    pages (a plotly picture cut by a page break loses rows and has its headers on one page only). Data rather than
    Dash components: a table of every member is up to 141 rows of 11 cells, which as components cost more to build,
    send and render than the rest of the page. None for a chart without a heatmap (an empty-state message).

    Keys: caption (the chart's title), key (what the colours mean), corner (the row header's title), columns (the
    column headers), rows ([member, [[text, fill, text colour], ...]], in the order the chart lists them)."""
    traces = data.figure.get("data", [])
    heat = traces[1] if len(traces) > 1 and traces[1].get("type") == "heatmap" else None
    if heat is None:
        return None
    unknown = next((t for t in traces[2:] if t.get("type") == "heatmap"), None)
    unknown_cell = [UNKNOWN_COLOUR, text_colour_on(UNKNOWN_COLOUR)]
    fills: dict[float, list[str]] = {}  # cells repeat a few values
    rows = []
    for i in reversed(range(len(heat["y"]))):  # drawn bottom-up: the first member is the last row of z
        z, texts = heat["z"][i], heat["text"][i]
        cells = []
        for j, value in enumerate(z):
            if value is None and unknown is not None and unknown["z"][i][j] is not None:
                cells.append([unknown["text"][i][j], *unknown_cell])
                continue
            value = value or 0
            if value not in fills:
                fills[value] = [fill_colour(value), cell_text_colour(value)]
            cells.append([texts[j], *fills[value]])
        rows.append([heat["y"][i], cells])
    return {"caption": data.title, "key": colour_key_text(current_translator()), "corner": _("Member"),
            "columns": [str(h).replace("<br>", " ") for h in heat["x"]], "rows": rows}


for _table, _data in ((ids.Engagement.MATRIX_PRINT, ids.Engagement.MATRIX_PRINT_DATA),
                      (ids.Engagement.WEBSITE_PRINT, ids.Engagement.WEBSITE_PRINT_DATA)):
    clientside_callback(ClientsideFunction(namespace="metropolis", function_name="printTable"),
                        Output(_table, "data-rows"), Input(_data, "data"), State(_table, "id"))


@callback(Output(ids.Engagement.MATRIX, "figure"), Output(ids.Engagement.WEBSITE, "figure"),
          Output(ids.Charts.menu(ChartId.ENGAGEMENT_MATRIX), "children"),
          Output(ids.Charts.menu(ChartId.WEBSITE_PRESENCE), "children"),
          Output(ids.Charts.state(ChartId.ENGAGEMENT_MATRIX), "data"),
          Output(ids.Charts.state(ChartId.WEBSITE_PRESENCE), "data"),
          Output(ids.Engagement.MATRIX_PRINT_DATA, "data"), Output(ids.Engagement.WEBSITE_PRINT_DATA, "data"),
          Input(ids.Engagement.SORT, "value"), State(ids.Shell.PAGE_FILTERS, "data"), prevent_initial_call=True)
def update_matrices(sort_by, filters):
    """Re-sort both member heatmaps (and their export links, descriptions and tables)."""
    filters = stored_filters(filters)  # checked again: the browser sends them back
    if filters is None or not isinstance(sort_by, str) or sort_by not in SORT_MODES:
        raise PreventUpdate
    f = filters.with_options({"sort": sort_by})
    matrix, website = render(ChartId.ENGAGEMENT_MATRIX, f), render(ChartId.WEBSITE_PRESENCE, f)
    return (matrix.figure, website.figure,
            chart_menu(ChartId.ENGAGEMENT_MATRIX, f, f.options), chart_menu(ChartId.WEBSITE_PRESENCE, f, f.options),
            chart_state(ChartId.ENGAGEMENT_MATRIX, f, f.options), chart_state(ChartId.WEBSITE_PRESENCE, f, f.options),
            print_table(matrix), print_table(website))


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
