"""Embed: one chart alone, filling its frame, still interactive, with its source and a link to the dashboard.
Unknown charts and bad parameters never reach this page (dashboard.export_routes answers 404/400)."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import ids
from dashboard.charts import CHARTS, render
from dashboard.components import base_url, default_year, filter_values, graph_config
from dashboard.export import live_url, parse_chart_params
from dashboard.figures.style import EMBED, figure_note
from dashboard.i18n import _
from dashboard.validation import InvalidInput

dash.register_page(__name__, path_template="/embed/<chart_id>", name="Embed", title="Metropolis dashboard", order=99)


def layout(chart_id=None, **params):
    if chart_id not in CHARTS:  # the server answers 404 before this; kept for direct calls
        return html.P(_("There is no chart '%(chart)s'.", chart=str(chart_id)[:60]))
    regions, years = filter_values()
    try:
        filters = parse_chart_params(chart_id, params, regions=regions, years=years, default_year=default_year())
    except InvalidInput as err:
        return html.P(err.message)
    data = render(chart_id, filters)
    # Follow the frame's size; the source is printed in the footer, where it wraps (not in the figure)
    fig = data.laid_out(EMBED)
    note = figure_note(fig)  # with the source in the footer: the frame keeps its height for the chart
    link = live_url(base_url(), chart_id, filters)
    return html.Div([
        html.H1(data.title, className="visually-hidden"),  # one heading per page; the figure draws the title
        # the chart takes the frame's height less the footer's, however many lines the footer wraps to
        dcc.Graph(id=ids.Embed.GRAPH, figure=fig, config={**graph_config(f"metropolis-{chart_id}"), "responsive": True},
                  style={"flex": "1 1 auto", "minHeight": 0, "width": "100%"}),
        html.Div([html.Div(note, className="text-body-secondary") if note else None,
                  html.A(_("Open in the Metropolis dashboard ↗"), href=link, target="_blank", rel="noopener"),
                  html.Span(" · " + _("Source: %(source)s", source=data.source), className="text-body-secondary")],
                 className="embed-footer small", style={"flex": "0 0 auto"}),
    ], className="embed-page", style={"display": "flex", "flexDirection": "column", "height": "100vh"})
