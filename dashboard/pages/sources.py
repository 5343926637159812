"""Data and sources: the documents, how each was read, the reconciliation of totals and the discrepancies."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, clientside_callback, dcc, html

from dashboard import ids
from dashboard.cache import memoized
from dashboard.components import (
    cached_layout,
    curated,
    mark,
    page_frame,
    quoted,
    resolve_filters,
    with_parts,
    with_quotes,
)
from dashboard.i18n import (
    _,
    format_datetime,
    format_number,
    format_percent,
    format_period,
    lazy_gettext,
    ngettext,
    translate,
)
from db.messages import N_, Msg
from db.queries.provenance import datasets_table, discrepancies_table, sources_table
from db.queries.reconciliation import reconciliation_report
from db.reference import DASHBOARD_SOURCE_KEY
from db.session import Session

dash.register_page(__name__, path="/sources", name="Data & sources", title="Data and sources · Metropolis dashboard",
                   order=8)

STATUS_BADGE = {"reconciled": "success", "discrepancy": "warning", "unexplained": "danger"}
STATUS_WORDS = {"reconciled": lazy_gettext("reconciled"), "discrepancy": lazy_gettext("discrepancy recorded"),
                "unexplained": lazy_gettext("unexplained")}


# The dashboard's own source (written by db/migrations 0003): its words are the dashboard's, translated where shown
DASHBOARD_WORDS = (N_("Entered in the Metropolis dashboard"), N_("Entered in the dashboard"),
                   N_("Users of the Metropolis dashboard"), N_("continuous"),
                   N_("Records entered by the Secretariat and the regional secretaries after the 2020 reports."),
                   N_("Each row names who entered it and when; every change is in the audit log."))


def _documents(docs) -> html.Div:
    cards = []
    for d in docs.itertuples():
        ours = d.key == DASHBOARD_SOURCE_KEY
        # a document's title, publisher and date as printed; the curators' description and reading notes in the
        # page's language (seed/messages.py extracts them), what they quote in English; the dashboard's own words
        printed = (lambda text: _(text) if text else text) if ours else quoted
        described = (lambda text: [_(text)] if text else []) if ours else curated
        cards.append(dbc.Card(dbc.CardBody([
            html.H3(printed(d.title), className="h5"),
            html.P([html.Code(d.key), " · ", printed(d.publisher), " · ", printed(d.published), *(
                [" · ", html.Span(_("text file %(file)s", file=d.file), className="text-body-secondary")]
                if d.file else [])], className="small"),
            html.P(described(d.description)),
            html.H4(_("How it was read"), className="h6"),
            *[html.P(described(p.strip()), className="small mb-1") for p in d.reading_notes.split("\n") if p.strip()],
        ]), className="mb-3 shadow-sm"))
    return html.Div(cards, id=ids.Sources.DOCUMENTS)


def _exact(value: float) -> str:
    """A count or an amount of the reconciliation, in the page's language (decimals only where it has them)."""
    return format_number(value, decimals=0 if float(value).is_integer() else 2)


def _recomputed(value: str, unknown: int, rule: str):
    """The recomputed cell: the value, and how many unknown cells it could not count ('77 known + 1 unknown')."""
    if not unknown:
        return value
    words = (_("%(value)s known + %(n)s unknown", value=value, n=unknown) if rule == "exact" else
             _("%(value)s from the known cells, %(n)s unknown", value=value, n=unknown))
    return html.Span(words, className="reconciliation-unknown",
                     title=_("Unknown: cells the report prints unreadably; they are neither counted nor taken as 0."))


def _reconciliation(report) -> dbc.Table:
    rows = []
    for r in report.itertuples():
        fmt = _exact if r.rule == "exact" else (lambda v: format_percent(v / 100, decimals=1))
        link = html.A(_("why"), href=f"#{ids.Sources.discrepancy_anchor(r.discrepancy)}") if r.discrepancy else ""
        period = format_period(r.period_start, r.period_end)
        printed = [fmt(r.printed), html.Span(f" ({period})", className="small text-body-secondary")] if period else \
            fmt(r.printed)
        rows.append(html.Tr([html.Td(html.Code(r.code)), html.Td(translate(r.label) if isinstance(r.label, Msg) else _(r.label)), html.Td(printed),
                             html.Td(_recomputed(fmt(r.recomputed), int(r.unknown), r.rule)),
                             html.Td([dbc.Badge(str(STATUS_WORDS[r.status]), color=STATUS_BADGE[r.status],
                                                text_color="dark" if r.status == "discrepancy" else None), " ", link])]))
    counts = report["status"].value_counts()
    caption = ngettext("%(n)s check: %(ok)s reconcile, %(d)s differ and are recorded as discrepancies, "
                       "%(u)s unexplained.", "%(n)s checks: %(ok)s reconcile, %(d)s differ and are recorded as "
                       "discrepancies, %(u)s unexplained.", len(report), ok=int(counts.get("reconciled", 0)),
                       d=int(counts.get("discrepancy", 0)), u=int(counts.get("unexplained", 0)))
    resting = int((report["unknown"] > 0).sum()) if not report.empty else 0
    if resting:
        caption = _("%(checks)s %(unknown)s", checks=caption, unknown=ngettext(
            "%(n)s recomputed figure rests on cells the report prints unreadably: it counts the known cells and says "
            "how many are unknown.", "%(n)s recomputed figures rest on cells the report prints unreadably: they count "
            "the known cells and say how many are unknown.", resting))
    return html.Div([html.P(caption), dbc.Table([
        html.Thead(html.Tr([html.Th(_("Check")), html.Th(_("What")), html.Th(_("Printed")),
                            html.Th(_("From the rows")), html.Th(_("Status"))])),
        html.Tbody(rows)], size="sm", hover=True, responsive=True, className="bg-white")], id=ids.Sources.RECONCILIATION)


def _discrepancies(table) -> html.Div:
    items = []
    for d in table.itertuples():
        items.append(html.Div([
            html.H3([html.Code(d.code), " · ", *curated(d.subject)], className="h6"),
            dbc.Row([dbc.Col([html.Strong(_("Printed: ")), *curated(d.printed_value)], md=6),
                     dbc.Col([html.Strong(_("From the rows / other document: ")), *curated(d.recomputed_value)], md=6)],
                    className="small mb-1"),
            html.P([html.Strong(_("Reading kept: ")), *curated(d.reading_kept)], className="small mb-1"),
            html.P([html.Strong(_("Why: ")), *curated(d.explanation)], className="small mb-1"),
            html.P(with_quotes(_("Source: %(source)s", source=mark("source")), source=d.source),
                   className="small text-body-secondary mb-0"),
        ], id=ids.Sources.discrepancy_anchor(d.code), className="discrepancy-row bg-white border rounded p-3 mb-2"))
    return html.Div(items, id=ids.Sources.DISCREPANCIES)


def _datasets(datasets) -> dbc.Table:
    return dbc.Table([
        html.Thead(html.Tr([html.Th(_("Seed file")), html.Th(_("Table")), html.Th(_("Rows")), html.Th("sha256"),
                            html.Th(_("Loaded (UTC)"))])),
        html.Tbody([html.Tr([html.Td(html.Code(r.file)), html.Td(r.table_name), html.Td(format_number(int(r.rows))),
                             html.Td(html.Code(r.sha256[:12] + "…", title=r.sha256)),
                             html.Td(format_datetime(r.loaded_at, seconds=False) if r.loaded_at else "")])
                    for r in datasets.itertuples()]),
    ], size="sm", responsive=True, className="bg-white", id=ids.Sources.DATASETS)


@memoized("sources-page")
def _sources_data(year: int):
    with Session() as session:
        return (sources_table(session), reconciliation_report(session, year=year), discrepancies_table(session),
                datasets_table(session))


@cached_layout("sources")
def layout(region=None, year=None, lang=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    docs, report, table, datasets = _sources_data(filters.year)
    return page_frame(_("Data and sources"), filters, [
        dcc.Store(id=ids.Sources.SCROLLED),
        html.H2(_("Documents"), className="section-title"), _documents(docs),
        html.H2(_("Printed totals recomputed from the rows (%(year)s)", year=filters.year), className="section-title"),
        _reconciliation(report) if not report.empty else html.P(
            _("No report printed totals for %(year)s, so there is nothing to reconcile: its figures are computed "
              "from the records entered in the dashboard.", year=filters.year), id=ids.Sources.RECONCILIATION),
        html.H2(_("Discrepancies"), className="section-title"),
        html.P(_("Where the rows and the printed totals, or two documents, disagree: what disagrees, the value "
                 "printed, the value recomputed, the reading the dashboard keeps, and why.")),
        _discrepancies(table),
        html.H2(_("Seed files"), className="section-title"),
        html.P(with_parts(_("Every row of every file names its document, section and line. The same data is "
                            "available from the %(api)s.", api=mark("api")),
                          api=html.A(_("data API"), href="/api/v1/"))),
        _datasets(datasets),
    ], intro=_("Everything shown in the dashboard was curated by hand from these documents, as faithfully as the "
               "extracted text allows."))


# Scroll to '#discrepancy-…' once the page content exists (the anchor is rendered after the browser looked for it).
clientside_callback(
    ClientsideFunction(namespace="metropolis", function_name="scrollToHash"),
    Output(ids.Sources.SCROLLED, "data"),
    Input(ids.Sources.DOCUMENTS, "children"),
)
