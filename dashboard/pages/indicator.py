"""An indicator's own page: what it is, every figure the documents print of it, the members' values (a sortable
table with sources), how it was collected, and its history."""

from __future__ import annotations

import difflib

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import ids, urls
from dashboard.cache import memoized
from dashboard.charts import indicator_view
from dashboard.components import (
    QUOTED_CELL,
    cached_layout,
    data_grid,
    markdown_link,
    page_frame,
    quoted,
    resolve_filters,
    shown_cell,
    source_note,
)
from dashboard.figures.indicators import format_value, unit_label
from dashboard.i18n import _, current_translator, data_columns, data_text, format_number, lazy_gettext, region_label
from dashboard.pages.indicators import definition_card, indicator_charts, period_words
from dashboard.shell import clicked_member_href
from dashboard.summaries import coverage_sentence
from db.queries import indicators as q
from db.reference import METROPOLITAN_INDICATORS
from db.session import Session


def _title(code=None, **_unused):
    return "Indicator · Metropolis dashboard"


dash.register_page(__name__, path_template="/indicators/<code>", name="Indicator", title=_title, order=6)

GRAPH_IDS = [ids.IndicatorPage.MAP, ids.IndicatorPage.RANKING, ids.IndicatorPage.DISTRIBUTION]
# What the per-member import accepts, by unit (db.reference.UNIT_RANGES, in words for the reader)
RANGE_WORDS = {"percent": lazy_gettext("a share between 0 and 100"),
               "inhabitants_per_km2": lazy_gettext("a density above 0 inhabitants per km²"),
               "ug_per_m3": lazy_gettext("a concentration of 0 µg/m³ or more"),
               "years": lazy_gettext("a number of years above 0 and at most 125")}


# An indicator's topic (db: indicator.topic) in words
TOPICS = {"advocacy": lazy_gettext("advocacy"), "board": lazy_gettext("Board of Directors"),
          "c4gh": "Cities for Global Health", "cmc": "City Managers Community",
          "communication": lazy_gettext("communication"), "egi": "Emergency Governance Initiative",
          "engagement": lazy_gettext("engagement"), "events": lazy_gettext("events"), "fees": lazy_gettext("fees"),
          "funds": lazy_gettext("funds"), "gender": lazy_gettext("gender"),
          "general_assembly": lazy_gettext("General Assembly"), "learning": lazy_gettext("learning"),
          "membership": lazy_gettext("membership"), "observatory": lazy_gettext("Metropolis Observatory"),
          "partners": lazy_gettext("partners"), "pilot": lazy_gettext("pilot projects"),
          "publications": lazy_gettext("publications"), "secretariat": lazy_gettext("Secretariat General"),
          "statutory": lazy_gettext("statutory meetings"), "use": "USE", "website": lazy_gettext("website"),
          "wmd": lazy_gettext("World Metropolitan Day")}  # programme names are written the same in every language


def topic_label(topic: str) -> str:
    return str(TOPICS.get(topic, topic))


@memoized("indicator-page")
def page_data(code: str, regions: tuple[str, ...] | None, year: int) -> dict | None:
    """Everything the page shows about `code`, or None when there is no such indicator."""
    chosen = list(regions) if regions else None
    with Session() as session:
        details = q.indicator_details(session, code)
        if details is None:
            return None
        # the curators' name, definition and notes in the page's language; the printed figures as printed
        details = {**details, "name": data_text(details["name"]), "description": data_text(details["description"])}
        return {"details": details,
                "printed": data_columns(q.indicator_values(session, codes=[code]).query("scope != 'member'"), "note"),
                "members": q.values_by_member(session, code=code, regions=chosen),
                "history": q.member_value_history(session, code=code, regions=chosen),
                "view": indicator_view(session, code, year, chosen) if code in METROPOLITAN_INDICATORS else None}


@memoized("indicator-codes")
def _codes() -> dict[str, str]:
    with Session() as session:
        df = q.indicator_values(session, scope="network")
    return dict(zip(df["code"], df["name"].map(data_text)))


def _printed_table(printed: pd.DataFrame) -> html.Div:
    """Every figure of the indicator the documents print (network or region), with its period, caveat and source."""
    if printed.empty:
        return html.P(_("The documents print no figure of this indicator."), id=ids.IndicatorPage.PRINTED,
                      className="text-body-secondary")
    head = html.Thead(html.Tr([html.Th(_("Year")), html.Th(_("Period")), html.Th(_("Scope")), html.Th(_("As printed")),
                               html.Th(_("Note")), html.Th(_("Source"))]))
    rows = [html.Tr([html.Td(str(r["year"])), html.Td(period_words(r)),
                     html.Td(region_label(r["region"]) if r["region"] else _("whole network")),
                     html.Td(html.Strong(quoted(r["printed"]))),  # as printed, and the document's citation
                     html.Td(r["note"], className="small"), html.Td(quoted(r["source"]), className="small")])
            for r in printed.to_dict("records")]
    return dbc.Table([head, html.Tbody(rows)], id=ids.IndicatorPage.PRINTED, size="sm", responsive=True,
                     className="bg-white")


def _members_grid(df: pd.DataFrame, unit: str, filters) -> object:
    if df.empty:
        return html.P(_("No member has a value of its own of this indicator in the store."), id=ids.IndicatorPage.GRID,
                      className="text-body-secondary")
    q_ = urls.query(filters)
    rows = [{"member": markdown_link(r.member, f"/members/{r.slug}{q_}"), "region": region_label(r.region), "year": int(r.year),
             "value": float(r.value), "shown": format_value(r.value, unit, tr=current_translator()), "note": r.note, "source": r.source}
            for r in df.itertuples()]
    columns = [{"field": "member", "headerName": _("Member"), "cellRenderer": "markdown", "minWidth": 160},
               {"field": "region", "headerName": _("Region")},
               {"field": "year", "headerName": _("Year"), "maxWidth": 110},
               {"field": "value", "headerName": _("Value (%(unit)s)", unit=unit_label(unit, tr=current_translator()) or _("number")),
                "type": "numericColumn", "maxWidth": 170, **shown_cell("shown")},  # sorts the number, shows it in the language
               {"field": "note", "headerName": _("Note"), "minWidth": 200},
               {"field": "source", "headerName": _("Source"), "minWidth": 240, **QUOTED_CELL}]
    return data_grid(ids.IndicatorPage.GRID, rows, columns, height=None if len(rows) <= 25 else 620,
                     pagination=len(rows) > 25, paginationPageSize=25)


def _history(history: pd.DataFrame, unit: str) -> html.Div:
    if history.empty:
        return html.P(_("No year has members' values yet."), id=ids.IndicatorPage.HISTORY,
                      className="text-body-secondary")
    head = html.Thead(html.Tr([html.Th(_("Year")), html.Th(_("Members with a value")), html.Th(_("Lowest")),
                               html.Th(_("Mean of the members' values")), html.Th(_("Highest"))]))
    rows = [html.Tr([html.Td(str(r.year)), html.Td(format_number(r.members)), html.Td(format_value(r.lowest, unit, tr=current_translator())),
                     html.Td(format_value(round(r.mean, 2), unit, tr=current_translator())), html.Td(format_value(r.highest, unit, tr=current_translator()))])
            for r in history.itertuples()]
    return dbc.Table([head, html.Tbody(rows)], id=ids.IndicatorPage.HISTORY, size="sm", responsive=True,
                     className="bg-white")


def _collected(details: dict, printed: pd.DataFrame, per_member: bool) -> html.Div:
    parts = []
    if not printed.empty:
        docs = "; ".join(dict.fromkeys(printed["source"]))
        parts.append(html.P([html.Strong(_("As printed. ")),
                             _("The figures above are copied from the documents as they print them (%(docs)s); "
                               "a figure printed as “more than” keeps its “+”.", docs=docs)]))
    if per_member:
        words = RANGE_WORDS.get(details["unit"], "")
        parts.append(html.P([html.Strong(_("Members' values. ")),
                             _("The Observatory's values per member are imported in the dashboard by the Secretariat "
                               "or a regional secretary (Record activity, 'Import a file': columns indicator, member, "
                               "year, value, note). The import names the row and field of each problem and writes all "
                               "rows or none; each value names who imported it and when.")
                             + (" " + _("A value must be %(words)s.", words=words) if words else "")]))
    else:
        parts.append(html.P(_("This is a figure for the whole network: the documents give no values per member.")))
    return html.Div(parts, id=ids.IndicatorPage.COLLECTED, className="small")


def _not_found(code: str, filters):
    names = _codes()
    close = difflib.get_close_matches(code or "", list(names), n=5, cutoff=0.5)
    q_ = urls.query(filters)
    return page_frame(_("Indicator not found"), filters, [
        dbc.Alert(_("There is no indicator '%(code)s'.", code=(code or "")[:60]), color="warning", className="notice"),
        html.P(_("Did you mean:")) if close else None,
        html.Ul([html.Li(dcc.Link(f"{names[c]} ({c})", href=f"/indicators/{c}{q_}")) for c in close]) if close else None,
        dcc.Link(_("See all indicators"), href="/indicators" + q_),
    ])


@cached_layout("indicator")
def layout(code=None, region=None, year=None, lang=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    data = page_data(str(code or "")[:80], tuple(filters.regions) if filters.regions else None, filters.year)
    if data is None:
        return _not_found(str(code or "")[:80], filters)
    details, view = data["details"], data["view"]
    unit = details["unit"]
    content = [html.P([html.Code(details["code"]), " · ", _("unit: %(unit)s", unit=unit_label(unit, tr=current_translator()) or _("a count")),
                       " · ", _("topic: %(topic)s", topic=topic_label(details["topic"]))], id=ids.IndicatorPage.DEFINITION,
                      className="text-body-secondary")]
    if view is not None:
        n = int(view["coverage"]["with_values"].sum())
        total = int(view["coverage"]["members"].sum())
        f = filters.with_options({"indicator": details["code"]})
        content += [definition_card(view["indicator"], coverage=coverage_sentence(n, total, regions=filters.regions,
                                                                                 year=filters.year),
                                    coverage_id=ids.IndicatorPage.COVERAGE, level=2),
                    *indicator_charts(f, n, graph_ids=GRAPH_IDS, empty_id=ids.IndicatorPage.EMPTY,
                                      import_id=f"{ids.IndicatorPage.EMPTY}-import")]
    elif details["description"]:
        content.append(html.P(details["description"]))
    per_member = view is not None or not data["members"].empty
    content += [html.H2(_("As the documents print it"), className="section-title"), _printed_table(data["printed"])]
    if per_member:
        content += [html.H2(_("Values by member"), className="section-title"),
                    _members_grid(data["members"], unit, filters),
                    source_note(_("each value's own source is in the table")) if not data["members"].empty else None]
    content += [html.H2(_("How it was collected"), className="section-title"),
                _collected(details, data["printed"], per_member)]
    if per_member:
        content += [html.H2(_("History of the members' values"), className="section-title"),
                    _history(data["history"], unit)]
    content.append(html.P(dcc.Link(_("← All indicators"), href="/indicators" + urls.query(filters)),
                          className="mt-3"))
    return page_frame(details["name"], filters, content,
                      scope_note=_("The printed figures are for the whole network; the region filter applies to the "
                                   "members' values.") if filters.regions else "")


@callback(Output(ids.Shell.URL, "href", allow_duplicate=True), Input(ids.IndicatorPage.MAP, "clickData"),
          Input(ids.IndicatorPage.RANKING, "clickData"), State(ids.Shell.URL, "search"), prevent_initial_call=True)
def open_member_from_indicator_page(map_click, ranking_click, search):
    """Open the page of the member whose dot or bar was clicked."""
    return clicked_member_href(map_click if ctx.triggered_id == ids.IndicatorPage.MAP else ranking_click, search)
