"""Embed: one chart alone, filling its frame, still interactive, with its source and a link to the dashboard.
Unknown charts and bad parameters never reach this page (dashboard.export_routes answers 404/400)."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import ids
from dashboard.charts import CHARTS, render
from dashboard.components import (
    accessible_graph,
    base_url,
    default_year,
    filter_values,
    graph_config,
    mark,
    with_quotes,
)
from dashboard.export import live_url, parse_chart_params
from dashboard.figures.style import EMBED, LAYOUT_META, figure_note
from dashboard.i18n import _
from dashboard.validation import InvalidInput

dash.register_page(__name__, path_template="/embed/<chart_id>", name="Embed", title="Metropolis dashboard", order=99)


def _embed_height(page_fig: dict, embed_fig: dict) -> int:
    """The height of a tall chart in a frame: its plot as tall as on the page (a readable row per member), with
    the bands above and below it (title, headers, key, notes) as the embed's layout computed them."""
    page, embed = page_fig["layout"], embed_fig["layout"]
    bands = lambda layout: (layout.get("margin") or {}).get("t", 0) + (layout.get("margin") or {}).get("b", 0)  # noqa: E731
    return round(page["height"] - bands(page) + bands(embed))


def _least(fig: dict, key: str):
    """The least height or width of a chart in a frame (a readable row per bar, a readable column per heatmap
    column: the layout engine's min_height and min_width), or 0."""
    meta = (fig["layout"].get("meta") or {}).get(LAYOUT_META, {})
    return f"{meta[key]}px" if meta.get(key) else 0


def _min_height(fig: dict):
    return _least(fig, "min_height")


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
    fig = fig if isinstance(fig, dict) else fig.to_plotly_json()  # the layout engine's answer, as a figure dict
    note = figure_note(fig)  # with the source in the footer: the frame keeps its height for the chart
    # A chart with a row per member (split by rows on slides) keeps its own height, a readable row per member,
    # and scrolls inside the frame above the footer: squeezed into the frame, its names would not read.
    tall = CHARTS[chart_id].split.rows_per_slide is not None and bool(data.height)
    if tall:  # the page's plot height, under the bands laid out for a phone's frame (a title on more lines)
        fig["layout"] = {**fig["layout"], "height": _embed_height(data.figure, fig), "autosize": True}
    link = live_url(base_url(), chart_id, filters)
    # (a heatmap of a few rows fills the frame as any chart does: a height of 100% in a wrapper of no set height
    # gave plotly's default 450 px, taller than a 400 px frame)
    style = ({"height": f"{fig['layout']['height']}px", "width": "100%"} if tall
             # the chart takes the frame's height less the footer's, however many lines the footer wraps to
             else {"flex": "1 1 auto", "minHeight": _min_height(fig), "width": "100%"})
    style["minWidth"] = _least(fig, "min_width")  # a matrix's columns in a phone's frame: it scrolls sideways
    graph = dcc.Graph(id=ids.Embed.GRAPH, figure=fig, config={**graph_config(f"metropolis-{chart_id}"), "responsive": True},
                      style=style)
    # the chart as a named image with its data in words, and its table (opened from the footer)
    image, name, description, toggle, table, state = accessible_graph(chart_id, data, filters, graph,
                                                                      options=filters.options)
    footer = html.Div([html.Div(note, className="text-body-secondary") if note else None,
                       html.A(_("Open in the Metropolis dashboard ↗"), href=link, target="_blank", rel="noopener"),
                       # the documents' citations as printed, quoted in English
                       html.Span([" · ", *with_quotes(_("Source: %(source)s", source=mark("source")), source=data.source)],
                                 className="text-body-secondary"),
                       " ", toggle], className="embed-footer small", style={"flex": "0 0 auto"})
    if tall:  # the chart in a box over the footer, which stays whole however it wraps
        box = html.Div(image, className="embed-scroll", tabIndex="0", role="region", **{"aria-label": data.title})
        return html.Div([html.H1(data.title, className="visually-hidden"), box, name, description, state, footer,
                         table], className="embed-page embed-tall")
    flex = {"flex": "1 1 auto", "minHeight": 0, "display": "flex", "flexDirection": "column"}
    # a frame shorter than the chart's bars need (a readable row each): the image scrolls above the footer
    image.style = {**flex, "overflowY": "auto", "overflowX": "auto"}
    # a box that may scroll is reached and scrolled by keyboard too, named by its chart (as the tall box above)
    image.tabIndex, image.role = "0", "region"
    setattr(image, "aria-label", data.title)
    image.children[1].style = {**flex, "flex": "1 0 auto"}  # the drawing's wrapper (hidden from assistive
    # technology) fills the image, and is never squeezed below the chart's least height
    return html.Div([
        html.H1(data.title, className="visually-hidden"),  # one heading per page; the figure draws the title
        image, name, description, state, footer, table,
    ], className="embed-page", style={"display": "flex", "flexDirection": "column", "height": "100vh"})
