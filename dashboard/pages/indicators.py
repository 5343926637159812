"""Indicators: the Observatory's metropolitan indicators (network figures as printed, members' values where
imported, coverage) and the year's headline results by action line."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import ids, urls
from dashboard.auth import current_actor
from dashboard.cache import memoized
from dashboard.charts import ChartFilters, ChartId, render
from dashboard.components import (
    cached_layout,
    chart_block,
    mark,
    page_frame,
    quoted,
    resolve_filters,
    source_note,
    with_quotes,
)
from dashboard.figures.indicators import result_cards, unit_label
from dashboard.i18n import _, current_translator, data_columns, format_date
from dashboard.shell import clicked_member_href
from dashboard.summaries import coverage_sentence, indicators_sentence
from dashboard.validation import InvalidInput, parse_choice
from db.queries import indicators as q
from db.reference import METROPOLITAN_INDICATORS
from db.session import Session

dash.register_page(__name__, path="/indicators", name="Indicators", title="Indicators · Metropolis dashboard",
                   order=6)

CHARTS = ((ChartId.INDICATOR_MAP, ids.Indicators.MAP), (ChartId.INDICATOR_RANKING, ids.Indicators.RANKING),
          (ChartId.INDICATOR_DISTRIBUTION, ids.Indicators.DISTRIBUTION))


@memoized("indicators-page")
def page_data(regions: tuple[str, ...] | None, year: int) -> dict:
    """The page's tables for the filters: the indicators with their network figures, the coverage, the results."""
    chosen = list(regions) if regions else None
    with Session() as session:
        # the curators' names, definitions and notes in the page's language; what the documents print (figures,
        # sections, action line titles, sources) as printed
        return {"indicators": data_columns(q.metropolitan_indicators(session, year=year), "name", "description",
                                           "network_note"),
                "coverage": q.coverage_by_region(session, year=year, regions=chosen),
                "results": data_columns(q.results_by_action_line(session, year=year), "name", "note"),
                "lines": q.action_line_titles(session, year=year)}


def indicator_href(code: str, filters: ChartFilters) -> str:
    """The address of an indicator's own page, keeping the filters."""
    return f"/indicators/{code}{urls.query(filters)}"


def period_words(row) -> str:
    """'2020' for a calendar year, else 'start – end' in the page's language ('1 nov. 2020 – 30 nov. 2020'): the
    period a printed figure refers to."""
    start, end = row["period_start"], row["period_end"]
    if start is None or pd.isna(start):
        return ""
    last = end - pd.Timedelta(days=1)
    if start.month == 1 and start.day == 1 and last.month == 12 and last.day == 31 and start.year == last.year:
        return str(start.year)
    return _("%(start)s – %(end)s", start=format_date(start, format="medium"), end=format_date(last, format="medium"))


def _coverage(data: dict, code: str) -> tuple[int, int]:
    cov = data["coverage"][data["coverage"]["code"] == code]
    return int(cov["with_values"].sum()), int(cov["members"].sum())


def _overview_table(data: dict, filters: ChartFilters, chosen: str) -> dbc.Table:
    header = html.Thead(html.Tr([html.Th(_("Indicator")), html.Th(_("Unit")), html.Th(_("Network figure, as printed")),
                                 html.Th(_("Period")), html.Th(_("Members' values")), html.Th(_("Source"))]))
    rows = []
    for r in data["indicators"].to_dict("records"):
        n, total = _coverage(data, r["code"])
        rows.append(html.Tr([
            html.Td(dcc.Link(r["name"], href=indicator_href(r["code"], filters))),
            html.Td(unit_label(r["unit"], tr=current_translator()), className="small"),
            html.Td(html.Strong(quoted(r["network_printed"]) if r["network_printed"] else "–")),  # as printed
            html.Td(period_words(r)),
            html.Td(coverage_sentence(n, total, regions=filters.regions, year=filters.year)),
            html.Td(quoted(r["source"]), className="small"),  # the document's citation
        ], className="table-active" if r["code"] == chosen else ""))
    return dbc.Table([header, html.Tbody(rows)], id=ids.Indicators.TABLE, size="sm", hover=True, responsive=True,
                     className="bg-white")


def _chooser(data: dict, filters: ChartFilters, chosen: str) -> dbc.Nav:
    def href(code):
        return urls.page("/indicators", filters, extra=[("indicator", code)])
    return dbc.Nav([dbc.NavItem(dbc.NavLink(r["name"], href=href(r["code"]), active=r["code"] == chosen,
                                            id=ids.Indicators.choice(r["code"])))
                    for r in data["indicators"].to_dict("records")],
                   pills=True, id=ids.Indicators.CHOOSER, className="indicator-chooser mb-3 no-print")


def definition_card(r: dict, *, coverage: str, coverage_id: str, more_href: str | None = None,
                    level: int = 3) -> dbc.Card:
    """What an indicator is, its network figure as printed with the document's caveat and period, its source and
    how much of the membership has values of its own. `level`: its heading's, under the page's headings (an
    indicator's own page has only its h1 above it: a 2 there, not to skip one)."""
    heading = html.H2 if level == 2 else html.H3
    body = [heading(r["name"], className="h5 mb-1"),
            html.Div([html.Span(_("Unit: "), className="fw-semibold"),
                      unit_label(r["unit"], tr=current_translator()) if r["unit"] != "percent" else _("percent (0–100)")], className="small"),
            html.P(r["description"], className="small text-body-secondary mb-2") if r.get("description") else None]
    if r.get("network_printed"):
        body += [html.Div(_("Network figure, as printed"), className="kpi-title"),
                 html.Div(quoted(r["network_printed"]), className="kpi-value"),
                 html.Div(_("Period: %(period)s", period=period_words(r)), className="kpi-detail"),
                 html.P(r["network_note"], className="small mt-1 mb-1") if r.get("network_note") else None,
                 html.Div(with_quotes(_("Source: %(source)s", source=mark("source")), source=r["source"]),
                          className="kpi-source")]
    else:
        body.append(html.P(_("The documents print no network figure for this indicator."), className="mb-1"))
    body.append(html.P(coverage, id=coverage_id, className="fw-semibold mt-2 mb-1"))
    if more_href:
        body.append(dcc.Link(_("Everything about this indicator →"), href=more_href))
    return dbc.Card(dbc.CardBody(body), className="shadow-sm mb-3")


def empty_notice(year: int, regions: list[str] | None, component_id: str, import_id: str) -> dbc.Alert:
    """Why there is no chart: no member has a value of its own; the import, for those who may use it."""
    actor = current_actor()
    head = (_("No member of %(regions)s has a value of its own of this indicator for %(year)s.",
              regions=", ".join(regions), year=year) if regions else
            _("No member has a value of its own of this indicator for %(year)s.", year=year))
    parts = [html.Strong(head), " ",
             _("None has been imported from the Observatory's files, so there is nothing to map or rank; the figure "
               "above is the network figure as the documents print it.")]
    if actor is not None and actor.can_write:
        parts += [" ", dcc.Link(_("Import the Observatory's values (Record activity, 'Import a file', columns "
                                  "indicator, member, year, value, note)"), href="/record", id=import_id)]
    return dbc.Alert(parts, color="light", className="border", id=component_id)


def _result_card(card: dict, filters: ChartFilters) -> dbc.Col:
    body = [dcc.Link(html.Span(className="stretched-link", title=card["name"]), href=indicator_href(card["code"], filters)),
            html.Div(card["name"], className="result-title"),
            html.Div(card["value"], className="result-value")]
    if card["printed"] and card["printed"] != card["value"]:
        body.append(html.Div(with_quotes(_("Printed: “%(printed)s”", printed=mark("printed")), printed=card["printed"]),
                             className="result-detail"))
    if card["details"]:  # the gender breakdown as printed ('45% women · 55% men')
        body.append(html.Div(quoted(" · ".join(card["details"])), className="result-detail"))
    if card["change"]:
        body.append(html.Div(card["change"], className="result-change"))
    body.append(html.Div(quoted(card["source"]), className="kpi-source"))
    return dbc.Col(dbc.Card(dbc.CardBody(body), className="result-card h-100", id=ids.Indicators.result_card(card["code"])),
                   xs=12, sm=6, lg=4, xl=3)


def _results(data: dict, filters: ChartFilters) -> html.Div:
    groups = result_cards(data["results"], line_titles=data["lines"], tr=current_translator())
    if not groups:
        return html.Div(html.P(_("The store holds no results by action line for %(year)s.", year=filters.year),
                               className="text-body-secondary"), id=ids.Indicators.RESULTS)
    blocks = []
    for g in groups:
        # 'Action Line 1' in the page's language, the line's title and the report's section headings as printed
        heading = ([g["label"], " · ", quoted(g["quoted"])] if g["label"] and g["quoted"] else
                   g["label"] or quoted(g["quoted"]))
        blocks.append(html.H3(heading, className="h6 mt-4 mb-2"))
        for sub in dict.fromkeys(c["subsection"] for c in g["cards"]):
            if sub:
                blocks.append(html.H4(quoted(sub), className="small fw-semibold text-body-secondary mt-3 mb-2"))
            blocks.append(dbc.Row([_result_card(c, filters) for c in g["cards"] if c["subsection"] == sub],
                                  className="g-3"))
    return html.Div(blocks, id=ids.Indicators.RESULTS)


def _default_indicator(data: dict) -> str:
    """The indicator with members' values for the most members in the year (the first one on a tie or none)."""
    covered = data["coverage"].groupby("code", sort=False)["with_values"].sum()
    return max(METROPOLITAN_INDICATORS, key=lambda c: (covered.get(c, 0), -METROPOLITAN_INDICATORS.index(c)))


def indicator_charts(f: ChartFilters, with_values: int, *, graph_ids, empty_id: str, import_id: str) -> list:
    """The map, ranking and distribution of an indicator, or the notice saying why there are none."""
    if not with_values:
        return [empty_notice(f.year, f.regions, empty_id, import_id)]
    blocks = []
    for (chart_id, _graph), graph_id in zip(CHARTS, graph_ids):
        data = render(chart_id, f)
        blocks += [chart_block(chart_id, data, f, graph_id=graph_id, options=f.options), source_note(data.source)]
    return blocks


@cached_layout("indicators")
def layout(region=None, year=None, lang=None, indicator=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    data = page_data(tuple(filters.regions) if filters.regions else None, filters.year)
    notices = []
    try:
        code = parse_choice("indicator", indicator, METROPOLITAN_INDICATORS, default=None) or _default_indicator(data)
    except InvalidInput as err:
        code = _default_indicator(data)
        notices.append(dbc.Alert(err.message, color="warning", className="py-2 notice"))
    chosen = data["indicators"][data["indicators"]["code"] == code]
    r = chosen.iloc[0].to_dict() if not chosen.empty else None
    f = filters.with_options({"indicator": code})
    n, total = _coverage(data, code)
    detail = [] if r is None else [
        definition_card(r, coverage=coverage_sentence(n, total, regions=filters.regions, year=filters.year),
                        coverage_id=ids.Indicators.COVERAGE, more_href=indicator_href(code, filters)),
        *indicator_charts(f, n, graph_ids=[g for _c, g in CHARTS], empty_id=ids.Indicators.EMPTY,
                          import_id=ids.Indicators.IMPORT_LINK)]
    return page_frame(_("Indicators"), filters, [
        *notices,
        html.P(indicators_sentence(data["indicators"], data["coverage"], regions=filters.regions, year=filters.year),
               id=ids.Indicators.SUMMARY, className="summary-sentence"),
        html.H2(_("Metropolitan indicators (the Metropolis Observatory)"), className="section-title"),
        html.P(_("The Observatory collects metropolitan indicators for the metropolitan spaces where members "
                 "operate. The network figures are the averages the documents print; a member's own values appear "
                 "once the Observatory's files are imported."), className="small text-body-secondary"),
        _overview_table(data, filters, code),
        _chooser(data, filters, code),
        html.Div(detail, id=ids.Indicators.DETAIL),
        html.H2(_("The year's results by action line"), className="section-title"),
        html.P(_("The headline figures the annual report gives under each action line, as printed: a figure given "
                 "as “2,100+” stays “2,100+”. Click a card for the indicator's page."),
               className="small text-body-secondary"),
        _results(data, filters),
    ], intro=_("What the Metropolis Observatory knows about each metropolitan indicator, where it comes from and how "
               "much of the membership it covers; and the year's results of the network."),
        scope_note=_("The network figures and the year's results are for the whole network; the region filter applies "
                     "to the members' values (coverage, map, ranking and distribution).") if filters.regions else "",
        page_path="/indicators")


@callback(Output(ids.Shell.URL, "href", allow_duplicate=True), Input(ids.Indicators.MAP, "clickData"),
          Input(ids.Indicators.RANKING, "clickData"), State(ids.Shell.URL, "search"), prevent_initial_call=True)
def open_member_from_indicator(map_click, ranking_click, search):
    """Open the page of the member whose dot or bar was clicked."""
    return clicked_member_href(map_click if ctx.triggered_id == ids.Indicators.MAP else ranking_click, search)
