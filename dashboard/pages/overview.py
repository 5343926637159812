"""Overview: the state of the membership at a glance, for the Board."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.cache import memoized
from dashboard.charts import ChartFilters, engagement_by_region, render
from dashboard.components import (
    cached_layout,
    chart_block,
    discrepancy_notes,
    kpi_card,
    page_frame,
    query_string,
    resolve_filters,
    source_note,
)
from dashboard.figures.style import source_text
from dashboard.i18n import _, format_number, format_percent, ngettext
from dashboard.summaries import activity_sentence, fee_sentence
from dashboard.validation import Filters
from db.queries import action_plan, events, indicators
from db.queries import members as members_q
from db.queries.common import available_years
from db.session import Session

dash.register_page(__name__, path="/", name="Overview", title="Overview · Metropolis dashboard", order=0)

AR = "Annual Report 2020"


def _printed(values, code):
    """The printed indicator `code` from the frame `values` (a row dict) or None."""
    rows = values[values["code"] == code]
    return rows.iloc[-1].to_dict() if not rows.empty else None


@memoized("overview-kpis")
def _kpis(regions: tuple[str, ...] | None, year: int, recorded: frozenset[str]):
    """The KPI cards, the per-region counts and the engagement source line (cached until the data changes)."""
    with Session() as session:
        return _build_kpis(session, Filters(list(regions) if regions else None, year), recorded)


def _build_kpis(session, filters, recorded: frozenset[str]) -> tuple:
    year, regions = filters.year, filters.regions
    q = query_string(filters)
    by_region, eng_source = engagement_by_region(regions, year)
    members, active, paid = (int(by_region[c].sum()) for c in ("members", "activated", "fee_paid"))
    previous = year - 1 if (year - 1) in available_years(session) else None
    if previous is not None:
        before, _source = engagement_by_region(regions, previous)
        prev_members, prev_active, prev_paid = (int(before[c].sum()) for c in ("members", "activated", "fee_paid"))
    values = indicators.indicator_values(session, year=year, scope="network")
    evs = events.event_sources(session, year=year, regions=regions)
    plan = action_plan.plan_for_year(session, year)
    completion = action_plan.completion_by_line(session, plan=plan) if plan else None
    whole = regions is None
    cards = []

    def share(n, d):
        return format_percent(n / d, decimals=1) if d else "–"

    printed_active = _printed(values, "members.active_pct")
    counts = members_q.member_counts(session, regions=regions)
    honorary = int(counts.loc[counts["honorary"], "members"].sum())
    cards.append(kpi_card(
        "members", title=_("Members"), value=format_number(members),
        detail=_("member governments%(extra)s", extra=ngettext(" + %(n)s honorary member", " + %(n)s honorary members",
                                                                honorary) if honorary else ""),
        href="/members" + q, source=source_text(counts)))
    cards.append(kpi_card(
        "activated", title=_("Active members"), value=share(active, members),
        detail=_("%(n)s of %(total)s were active in %(year)s", n=format_number(active), total=format_number(members),
                 year=year)
        + (_(" (%(year)s: %(n)s of %(total)s)", year=previous, n=format_number(prev_active),
             total=format_number(prev_members)) if previous else ""),
        href="/engagement" + q, source=eng_source,
        note=(_("The report prints %(printed)s.", printed=printed_active["printed"]), "members.active_pct")
        if whole and printed_active and "members.active_pct" in recorded else None))
    printed_paid = _printed(values, "fees.paid.members")
    fee_unknown = int(by_region["fee_unknown"].sum())
    cards.append(kpi_card(
        "fees", title=_("Fee paid"), value=share(paid, members),
        detail=_("%(n)s of %(total)s paid the %(year)s fee", n=format_number(paid), total=format_number(members),
                 year=year)
        + (ngettext("; %(n)s unknown (unreadable in the report)", "; %(n)s unknown (unreadable in the report)",
                    fee_unknown) if fee_unknown else "")
        + (_(" (%(year)s: %(n)s)", year=previous, n=format_number(prev_paid)) if previous else ""),
        href="/engagement" + q, source=eng_source,
        note=(_("The report prints %(printed)s members.", printed=printed_paid["printed"]), "fees.paid.members")
        if whole and printed_paid and "fees.paid.members" in recorded else None))
    cards.append(kpi_card(
        "events", title=_("Events"), value=format_number(int(evs["events"].sum())),
        detail=_("in the %(year)s calendar and progress report", year=year) if whole else
        _("events that activated members of these regions (named only in the Q3 report)"),
        href="/events" + q, source=source_text(evs) or AR))
    people = _printed(values, "events.participants")
    if people:
        cards.append(kpi_card(
            "people", title=_("People engaged"), value=people["printed"],
            detail=_("at Metropolis events (network-wide)"), href="/events" + q,
            source=f"{people['source_citation']}, {people['source_section']}"))
    speakers = _printed(values, "events.speakers.women_pct")
    if speakers:
        total = _printed(values, "events.speakers")
        cards.append(kpi_card(
            "speakers", title=_("Women among speakers"), value=speakers["printed"].split()[0],
            detail=_("of %(n)s speakers at Metropolis events (network-wide)", n=total["printed"] if total else "?"),
            href="/gender" + q, source=f"{speakers['source_citation']}, {speakers['source_section']}"))
    if completion is not None and completion["total"].sum():
        done, total = int(completion["done"].sum()), int(completion["total"].sum())
        cards.append(kpi_card(
            "plan", title=_("Action plan %(plan)s", plan=plan), value=share(done, total),
            detail=_("%(done)s of %(total)s deliverables done (network-wide)", done=done, total=total),
            href="/action-plan" + q, source=_("Annual Report 2020, 3. Implementation of the Action Plan 2018-2020")
            if plan == "2018-2020" else plan))
    return cards, by_region, eng_source


@cached_layout("overview")
def layout(region=None, year=None, **_unused_query_params):
    filters = resolve_filters(region, year)
    notes = [] if filters.regions else discrepancy_notes(["fees.paid.members", "members.active_pct"])
    cards, by_region, eng_source = _kpis(tuple(filters.regions) if filters.regions else None, filters.year,
                                         frozenset(code for _text, code in notes))
    f = ChartFilters(filters.regions, filters.year)
    active, fees, funds = (render(c, f) for c in ("active-by-region", "fee-paid-by-region", "funds"))
    return page_frame(_("Overview"), filters, [
        html.P([activity_sentence(by_region, year=filters.year), " ", fee_sentence(by_region, year=filters.year)],
               id=ids.Overview.SUMMARY, className="summary-sentence"),
        dbc.Row([dbc.Col(card, xs=12, sm=6, lg=3, className="mb-3") for card in cards], id=ids.Overview.KPIS),
        dbc.Row([
            dbc.Col(chart_block("active-by-region", active, f, graph_id=ids.Overview.ACTIVE_CHART), lg=6),
            dbc.Col(chart_block("fee-paid-by-region", fees, f, graph_id=ids.Overview.FEE_CHART), lg=6),
        ]),
        source_note(eng_source, notes=notes),
        chart_block("funds", funds, f, graph_id=ids.Overview.FUNDS_CHART),
        source_note(funds.source, notes=discrepancy_notes(["funds.with_in_kind.shares"])),
    ], page_path="/")
