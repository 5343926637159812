"""Overview: the state of the membership at a glance, for the Board."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids, urls, years
from dashboard.auth import current_actor
from dashboard.cache import memoized
from dashboard.charts import ChartFilters, ChartId, render
from dashboard.components import (
    cached_layout,
    chart_block,
    discrepancy_notes,
    kpi_card,
    page_frame,
    resolve_filters,
    source_note,
)
from dashboard.i18n import _, long_date, ngettext
from dashboard.kpis import build_kpis, headline
from dashboard.meetings import viewed_meeting
from db.queries.meeting_changes import recorded_between
from db.queries.meetings import previous_meeting
from db.session import Session

dash.register_page(__name__, path="/", name="Overview", title="Overview · Metropolis dashboard", order=0)


@memoized("overview-kpis")
def _kpis(regions: tuple[str, ...] | None, year: int, lang: str | None, recorded: frozenset[str], signed_in: bool):
    """The KPI cards, the per-region counts and the engagement source line (cached until the data changes, per
    audience: recorded gender counts under the small-number threshold are for signed-in users only)."""
    with Session() as session:
        kpis, by_region, eng_source = build_kpis(session, ChartFilters(list(regions) if regions else None, year,
                                                                       lang=lang), recorded, signed_in)
    return [_card(k) for k in kpis], by_region, eng_source


def _card(kpi) -> object:
    """A key figure as a card (every figure written as the page's language writes numbers)."""
    fields = kpi._asdict()
    fields.pop("amount"), fields.pop("share")  # for comparisons (dashboard.kpis.compare_kpis), not shown
    return kpi_card(**fields)


def since_last_meeting(filters) -> html.P | None:
    """'Since the last Board meeting (12 March 2021): 4 changes recorded. What changed': a line linking to the
    comparison with the last meeting (viewing a meeting: the one before it, up to this one); None without one."""
    viewed = viewed_meeting()
    with Session() as session:  # read as of the meeting viewed, if any: the audit log then stops at it
        last = previous_meeting(session, viewed["slug"] if viewed else None)
        if last is None:
            return None
        n = len(recorded_between(session, last["frozen"].audit_position, regions=filters.regions))
    date = long_date(last["held_on"])
    if viewed is None:
        sentence = (ngettext("Since the last Board meeting (%(date)s): %(n)s change recorded.",
                             "Since the last Board meeting (%(date)s): %(n)s changes recorded.", n, date=date)
                    if n else _("Since the last Board meeting (%(date)s): nothing recorded.", date=date))
    else:
        sentence = (ngettext("From the previous Board meeting (%(date)s) to this one: %(n)s change recorded.",
                             "From the previous Board meeting (%(date)s) to this one: %(n)s changes recorded.", n,
                             date=date)
                    if n else _("From the previous Board meeting (%(date)s) to this one: nothing recorded.", date=date))
    link = html.A(_("What changed"), href=urls.meeting_changes(last["slug"], filters,
                                                              to=viewed["slug"] if viewed else None))
    return html.P([html.I(className="bi bi-journal-bookmark me-1", **{"aria-hidden": "true"}), sentence, " ", link],
                  id=ids.Overview.SINCE_MEETING, className="small mb-2 since-meeting")


@cached_layout("overview")
def layout(region=None, year=None, lang=None, **_unused_query_params):
    filters = resolve_filters(region, year, lang)
    reported = years.is_reported(filters.year)  # the report's discrepancies belong to its year only
    notes = [] if filters.regions or not reported else discrepancy_notes(["fees.paid.members", "members.active_pct"])
    cards, by_region, eng_source = _kpis(tuple(filters.regions) if filters.regions else None, filters.year, filters.lang,
                                         frozenset(code for _text, code in notes), current_actor() is not None)
    f = filters.with_options()
    active, fees, funds = (render(c, f) for c in (ChartId.ACTIVE_BY_REGION, ChartId.FEE_PAID_BY_REGION, ChartId.FUNDS))
    return page_frame(_("Overview"), filters, [
        html.P(headline(by_region, filters), id=ids.Overview.SUMMARY, className="summary-sentence"),
        since_last_meeting(filters),
        dbc.Row([dbc.Col(card, xs=12, sm=6, lg=3, className="mb-3") for card in cards], id=ids.Overview.KPIS),
        dbc.Row([
            dbc.Col(chart_block(ChartId.ACTIVE_BY_REGION, active, f, graph_id=ids.Overview.ACTIVE_CHART), lg=6),
            dbc.Col(chart_block(ChartId.FEE_PAID_BY_REGION, fees, f, graph_id=ids.Overview.FEE_CHART), lg=6),
        ]),
        source_note(eng_source, notes=notes),
        chart_block(ChartId.FUNDS, funds, f, graph_id=ids.Overview.FUNDS_CHART),
        source_note(funds.source, notes=discrepancy_notes(["funds.with_in_kind.shares"]) if reported else []),
    ], page_path="/")
