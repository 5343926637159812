"""Reconciliation: recompute every printed total that derives from stored rows and compare.

A check names the printed figure (an indicator), how to recompute it in SQL from the rows, and how to
compare (exactly, or as a printed percentage rounded to 0 or 1 decimals). A mismatch must have a
recorded discrepancy with the check's code; otherwise the check is 'unexplained'.

A recomputed figure that rests on unknown cells (NULL: unreadable in the report) is computed from the known
cells only and says how many cells are unknown ("77 known + 1 unknown"): an unknown is never counted as 0.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from db import models as m
from db.messages import N_, Msg
from db.queries.common import year_bounds
from db.reference import DASHBOARD_SOURCE_KEY


class Recomputed(NamedTuple):
    """A figure recomputed from the known cells, and how many cells it could not read (unknown)."""

    known: float
    unknown: int


Recompute = Callable[[Session, int], "float | Recomputed | None"]


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    printed: tuple[str, ...]  # indicator code(s); their values are summed
    recompute: Recompute
    rule: str = "exact"  # exact | percent0 | percent1
    basis: str = ""


def _scalar(session: Session, stmt) -> float:
    value = session.scalar(stmt)
    return float(value or 0)


# While reconciliation_report runs, _PREFETCHED holds (session, year, {code: the row _printed_value returns},
# {table: the values of its _AGGREGATES}): each table's aggregates are read in one statement with filtered
# aggregates, the printed values in another, instead of one statement per figure (~280 a report, issue 14). Called
# on their own (outside a report), the recompute functions still run their own statement.
_YEAR_COLUMNS = {"engagement": m.Engagement.year, "website": m.WebsitePresence.year}
_AGGREGATES: dict[str, list] = {table: [] for table in _YEAR_COLUMNS}
_PREFETCHED: ContextVar[tuple | None] = ContextVar("reconciliation_prefetched", default=None)


def _prefetched(session: Session, year: int) -> tuple | None:
    found = _PREFETCHED.get()
    return found if found is not None and found[0] is session and found[1] == year else None


def _aggregate(table: str, agg) -> Recompute:
    """`agg` over the rows of `table` ('engagement' or 'website') of the year, as a float (NULL: 0)."""
    index = len(_AGGREGATES[table])
    _AGGREGATES[table].append(agg)

    def run(s: Session, y: int) -> float:
        found = _prefetched(s, y)
        if found is not None:
            return float(found[3][table][index] or 0)
        return _scalar(s, select(agg).where(_YEAR_COLUMNS[table] == y))
    return run


def _aggregate_values(session: Session, year: int) -> dict[str, tuple]:
    return {table: tuple(session.execute(select(*aggs).where(_YEAR_COLUMNS[table] == year)).one())
            for table, aggs in _AGGREGATES.items() if aggs}


def _unknown(column) -> Recompute:
    """How many engagement rows of the year have an unknown (NULL) cell in `column`."""
    return _aggregate("engagement", func.count(m.Engagement.id).filter(column.is_(None)))


def _engaged(predicate, column=None) -> Recompute:
    """Members whose engagement row of the year satisfies `predicate` (a NULL cell never satisfies it); with
    `column`, the rows whose cell in it is unknown are counted apart."""
    known = _aggregate("engagement", func.count(m.Engagement.id).filter(predicate))
    unknown = _unknown(column) if column is not None else None

    def run(s: Session, y: int) -> float | Recomputed:
        return known(s, y) if unknown is None else Recomputed(known(s, y), int(unknown(s, y)))
    return run


def _engaged_sum(column) -> Recompute:
    """The sum of `column` over the year's rows (SUM skips NULL), with the unknown cells counted apart."""
    total, unknown = _aggregate("engagement", func.sum(column)), _unknown(column)
    return lambda s, y: Recomputed(total(s, y), int(unknown(s, y)))


def _website(column, *, total: bool) -> Recompute:
    return _aggregate("website", func.sum(column) if total else func.count(m.WebsitePresence.id).filter(column > 0))


def _printed_values(session: Session, year: int) -> dict:
    """{code: (value, period_start, period_end) of its latest period} for every network value of `year`."""
    rows = session.execute(select(m.Indicator.code, m.IndicatorValue.value, m.IndicatorValue.period_start,
                                  m.IndicatorValue.period_end)
                           .join(m.Indicator, m.Indicator.id == m.IndicatorValue.indicator_id)
                           .where(m.IndicatorValue.year == year, m.IndicatorValue.scope == "network")
                           .order_by(m.Indicator.code, m.IndicatorValue.period_end.desc(), m.IndicatorValue.id))
    latest: dict = {}
    for row in rows:
        latest.setdefault(row.code, row)
    return latest


def _printed_value(session: Session, code: str, year: int):
    """The network value of `code` in `year` (the latest period's) with its period, or None."""
    found = _prefetched(session, year)
    return (found[2] if found is not None else _printed_values(session, year)).get(code)


def _indicator(session: Session, code: str, year: int) -> float | None:
    row = _printed_value(session, code, year)
    return None if row is None else row.value


def _sum_indicators(*codes: str) -> Recompute:
    def run(session: Session, year: int) -> float | None:
        values = [_indicator(session, c, year) for c in codes]
        return None if any(v is None for v in values) else float(sum(values))
    return run


def _members(session: Session, year: int) -> float:
    return _scalar(session, select(func.count(m.Member.id)).where(m.Member.honorary.is_(False)))


def _share(numerator: Recompute, denominator: Recompute) -> Recompute:
    """A percentage; unknown cells of the numerator are carried (the share is of the known ones)."""
    def run(session: Session, year: int) -> float | Recomputed | None:
        den = denominator(session, year)
        if not den:
            return None
        num = numerator(session, year)
        if isinstance(num, Recomputed):
            return Recomputed(100.0 * num.known / den, num.unknown)
        return 100.0 * num / den
    return run


def _printed(code: str) -> Recompute:
    return lambda s, y: _indicator(s, code, y)


E = m.Engagement
W = m.WebsitePresence



def _from_documents(model):
    """Condition: the row was read from a document, not entered in the dashboard. A printed total is recomputed
    from the rows the report printed; a record added since is shown beside it and never taken for an error."""
    dashboard = select(m.Source.id).where(m.Source.key == DASHBOARD_SOURCE_KEY).scalar_subquery()
    return func.coalesce(model.source_id != dashboard, True)


def _paid(session: Session, year: int) -> Recomputed:
    """Members whose fee of `year` is printed as paid (rows read from the documents), and the printed fee cells
    that are unknown."""
    def count(condition) -> float:
        return _scalar(session, select(func.count(m.FeePayment.id)).where(
            m.FeePayment.fee_year == year, condition, _from_documents(m.FeePayment)))
    return Recomputed(count(m.FeePayment.paid.is_(True)), int(count(m.FeePayment.paid.is_(None))))
_activated = _engaged(E.activated.is_(True))
_analysed = lambda s, y: _scalar(s, select(func.count(E.id)).where(  # noqa: E731
    E.year == y, E.indicators_year.is_not(None), E.indicators_year <= y))
_board_attended = _engaged(E.board_meetings > 0, E.board_meetings)
_board_seats = lambda s, y: _scalar(s, select(func.count(m.BoardSeat.id)).where(  # noqa: E731
    m.BoardSeat.mandate.like(f"%-{y}")))


def _wmd_events(session: Session, year: int) -> float:
    start, end = year_bounds(year)
    return _scalar(session, select(func.count(m.Event.id)).where(
        m.Event.kind == "wmd", m.Event.start_date >= start, m.Event.start_date < end, _from_documents(m.Event)))


def _pilot_members(session: Session, year: int) -> float:
    return _scalar(session, select(func.count(distinct(m.PilotProjectMember.member_id)))
                   .join(m.PilotProject, m.PilotProject.id == m.PilotProjectMember.project_id)
                   .where(m.PilotProject.ongoing_2020.is_(True)))


def _governed_by_women(session: Session, year: int) -> float:
    start, end = year_bounds(year)
    return _scalar(session, select(func.count(m.MemberLeadership.id)).where(
        m.MemberLeadership.governed_by_woman.is_(True), m.MemberLeadership.as_of >= start,
        m.MemberLeadership.as_of < end, _from_documents(m.MemberLeadership)))


def _countries(session: Session, year: int) -> float:
    return _scalar(session, select(func.count(distinct(m.Member.country_code))).where(m.Member.honorary.is_(False)))


def _new_members(session: Session, year: int) -> float:
    return _scalar(session, select(func.count(m.Member.id)).where(m.Member.member_since == year))


# The website columns of section 4.2, as the reconciliation names them (translated where they are shown).
WEBSITE_COLUMNS = {"news": N_("news"), "library_publications": N_("library publications"),
                   "publication_mentions": N_("publication mentions"), "use_cases": N_("use cases"),
                   "c4gh_initiatives": N_("C4GH initiatives")}

CHECKS: tuple[Check, ...] = (
    # Section 4.1: "Total members" row and "Total" row
    Check("engagement.activated.members", N_("Activated members"), ("engagement.activated.members",), _activated),
    Check("fees.paid.members", N_("Members who paid the year's fee"), ("fees.paid.members",), _paid),
    Check("engagement.board_meetings.members", N_("Members at Board meetings"), ("engagement.board_meetings.members",),
          _board_attended),
    Check("engagement.annual_meeting.members", N_("Members at the Annual Meeting"), ("engagement.annual_meeting.members",),
          _engaged(E.annual_meeting.is_(True))),
    Check("engagement.bilateral.members", N_("Members in bilateral meetings"), ("engagement.bilateral.members",),
          _engaged(E.bilateral_meetings > 0, E.bilateral_meetings)),
    Check("engagement.bilateral.total", N_("Bilateral meetings"), ("engagement.bilateral.total",),
          _engaged_sum(E.bilateral_meetings)),
    Check("engagement.pilot.members", N_("Members in pilot projects"), ("engagement.pilot.members",),
          _engaged(E.pilot_projects > 0)),
    Check("engagement.indicators_new.members", N_("Members analysed during the year"),
          ("engagement.indicators_new.members",), _engaged(E.indicators_year == E.year),
          basis="rows whose indicators year is the year itself"),
    Check("engagement.learning.members", N_("Members in learning activities"), ("engagement.learning.members",),
          _engaged(E.learning_activities > 0, E.learning_activities)),
    Check("engagement.learning.total", N_("Participations in learning activities"), ("engagement.learning.total",),
          _engaged_sum(E.learning_activities)),
    Check("engagement.wmd_organiser.members", N_("Members organising WMD events"), ("engagement.wmd_organiser.members",),
          _engaged(E.wmd_organiser > 0)),
    Check("engagement.wmd_organiser.total", N_("WMD events organised by members"), ("engagement.wmd_organiser.total",),
          _engaged_sum(E.wmd_organiser)),
    Check("engagement.wmd_participation.members", N_("Members participating in WMD events"),
          ("engagement.wmd_participation.members",), _engaged(E.wmd_participation > 0, E.wmd_participation)),
    Check("engagement.wmd_participation.total", N_("Participations in WMD events"), ("engagement.wmd_participation.total",),
          _engaged_sum(E.wmd_participation)),
    Check("engagement.call_endorsement.members", N_("Members endorsing the Call to rethink"),
          ("engagement.call_endorsement.members",), _engaged(E.call_endorsement.is_(True), E.call_endorsement)),
    # Section 4.2
    *(Check(f"website.{col}.{kind}", Msg("Website, %(column)s: sum", column=Msg(WEBSITE_COLUMNS[col])) if kind == "total"
            else Msg("Website, %(column)s: members", column=Msg(WEBSITE_COLUMNS[col])),
            (f"website.{col}.{kind}",), _website(getattr(W, col), total=kind == "total"))
      for col in ("news", "library_publications", "publication_mentions", "use_cases", "c4gh_initiatives")
      for kind in ("members", "total")),
    # Headline figures that derive from rows
    Check("members.total", N_("Member governments"), ("members.total",), _members),
    Check("members.honorary", N_("Honorary members"), ("members.honorary",),
          lambda s, y: _scalar(s, select(func.count(m.Member.id)).where(m.Member.honorary.is_(True)))),
    Check("members.new", N_("New members"), ("members.new",), _new_members),
    Check("members.countries", N_("Countries of the members"), ("members.countries",), _countries),
    Check("members.active_pct", N_("Share of members actively engaged"), ("members.active_pct",),
          _share(_activated, _members), rule="percent0", basis="activated members / members"),
    Check("members.heads.women_pct", N_("Share of members governed by women"), ("members.heads.women_pct",),
          _share(_governed_by_women, _members), rule="percent1"),
    Check("observatory.members", N_("Members analysed by the Observatory"), ("observatory.members",), _analysed),
    Check("observatory.members_pct", N_("Share of members analysed by the Observatory"), ("observatory.members_pct",),
          _share(_analysed, _members), rule="percent0"),
    Check("pilot.members", N_("Members in ongoing pilot projects"), ("pilot.members",), _pilot_members),
    Check("pilot.projects", N_("Ongoing pilot projects"), ("pilot.projects",),
          lambda s, y: _scalar(s, select(func.count(m.PilotProject.id)).where(m.PilotProject.ongoing_2020.is_(True)))),
    Check("wmd.member_organisers", N_("Members organising WMD events (headline)"), ("wmd.member_organisers",),
          _engaged(E.wmd_organiser > 0)),
    Check("wmd.member_participants", N_("Members participating in WMD events (headline)"), ("wmd.member_participants",),
          _engaged(E.wmd_participation > 0, E.wmd_participation)),
    Check("wmd.events", N_("World Metropolitan Day events"), ("wmd.events",), _wmd_events,
          basis="events of kind wmd in the year"),
    Check("wmd.events_by_role", N_("WMD events: organised + co-organised + by others"),
          ("wmd.events_organised", "wmd.events_co_organised", "wmd.events_by_others"), _printed("wmd.events")),
    Check("learning.members", N_("Members in learning activities (headline)"), ("learning.members",),
          _engaged(E.learning_activities > 0, E.learning_activities)),
    Check("use.members_sharing", N_("Members sharing USE practices"), ("use.members_sharing",),
          _website(W.use_cases, total=False)),
    Check("use.new_practices", N_("New USE practices by members"), ("use.new_practices",), _website(W.use_cases, total=True)),
    Check("c4gh.initiatives_from_members_pct", N_("Share of C4GH initiatives from members"),
          ("c4gh.initiatives_from_members_pct",), _share(_website(W.c4gh_initiatives, total=True), _printed("c4gh.initiatives")),
          rule="percent0"),
    Check("c4gh.member_cities_pct", N_("Members among C4GH cities"), ("c4gh.member_cities_pct",),
          _share(_website(W.c4gh_initiatives, total=False), _printed("c4gh.cities")), rule="percent0"),
    Check("general_assembly.members", N_("Members at the General Assembly"), ("general_assembly.members",),
          _engaged(E.annual_meeting.is_(True))),
    Check("board.attendance_pct", N_("Attendance at Board meetings"), ("board.attendance_pct",),
          _share(_board_attended, _board_seats), rule="percent0", basis="members attending / Board seats"),
    Check("call.members", N_("Members leading and supporting the Call to rethink"), ("call.lead_members", "call.supporting_members"),
          _engaged(E.call_endorsement.is_(True), E.call_endorsement)),
    # Printed figures that derive from other printed figures
    Check("fees.cashed", N_("Fees cashed = previous year's + current year's"), ("fees.cashed",),
          _sum_indicators("fees.cashed_prior_year", "fees.cashed_current_year")),
    Check("fees.fees_vs_payers", N_("Fees cashed = members who paid + second fees"),
          ("fees.prior_year_fees", "fees.current_year_fees"), _sum_indicators("fees.members_paid", "fees.members_paid_two")),
    Check("funds.shares", N_("Shares of the funds"), ("funds.membership_fees_pct", "funds.partnerships_members_pct",
                                                 "funds.partnerships_others_pct"), lambda s, y: 100.0),
    Check("funds.with_in_kind.shares", N_("Shares of the funds including in-kind"),
          ("funds.with_in_kind.membership_fees_pct", "funds.with_in_kind.partnerships_members_pct",
           "funds.with_in_kind.partnerships_others_pct", "funds.with_in_kind.in_kind_pct"), lambda s, y: 100.0),
    Check("secretariat.professionals", N_("Professionals = women + men"), ("secretariat.professionals",),
          _sum_indicators("secretariat.professionals.women", "secretariat.professionals.men")),
    Check("secretariat.interns_by_gender", N_("Interns = women + men"), ("secretariat.interns",),
          _sum_indicators("secretariat.interns.women", "secretariat.interns.men")),
)

REPORT_COLUMNS = ["code", "label", "printed", "period_start", "period_end", "recomputed", "unknown",
                  "recomputed_text", "rule", "status", "discrepancy", "basis"]


def _number(value: float, rule: str) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if rule == "exact" else f"{value:.1f}%"


def recomputed_text(recomputed: float, unknown: int, rule: str) -> str:
    """'77', or '77 known + 1 unknown' when the figure rests on unknown cells ('67.9% from the known cells, 1 unknown')."""
    if not unknown:
        return _number(recomputed, rule)
    if rule == "exact":
        return f"{_number(recomputed, rule)} known + {unknown} unknown"
    return f"{_number(recomputed, rule)} from the known cells, {unknown} unknown"


def _agrees(printed: float, recomputed: float, rule: str) -> bool:
    if rule == "percent0":
        return abs(printed - recomputed) < 0.5
    if rule == "percent1":
        return abs(printed - recomputed) < 0.05
    return abs(printed - recomputed) < 1e-6


def reconciliation_report(session: Session, *, year: int) -> pd.DataFrame:
    """Run every check for `year`.

    Columns: REPORT_COLUMNS. period_start/period_end give the period of the printed figure ([start, end),
    e.g. November 2020 for a figure printed 'as of November 2020'). recomputed is computed from the known cells; unknown counts the cells it could
    not read (0 for most checks) and recomputed_text reads both out ("77 known + 1 unknown"). status is
    'reconciled', 'discrepancy' (a mismatch with a recorded discrepancy of the same code) or 'unexplained' (a
    mismatch nobody recorded: a defect), judged on the known cells; checks whose printed figure is not in the
    store for that year are left out. Rows in check order.
    """
    recorded = set(session.scalars(select(m.Discrepancy.code)))
    token = _PREFETCHED.set((session, year, _printed_values(session, year), _aggregate_values(session, year)))
    try:
        rows = _run_checks(session, year, recorded)
    finally:
        _PREFETCHED.reset(token)
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def _run_checks(session: Session, year: int, recorded: set[str]) -> list[dict]:
    rows = []
    for check in CHECKS:
        parts = [_printed_value(session, code, year) for code in check.printed]
        if any(p is None for p in parts):
            continue
        printed = float(sum(p.value for p in parts))
        result = check.recompute(session, year)
        if result is None:
            continue
        recomputed, unknown = (result.known, result.unknown) if isinstance(result, Recomputed) else (result, 0)
        if _agrees(printed, recomputed, check.rule):
            status = "reconciled"
        else:
            status = "discrepancy" if check.code in recorded else "unexplained"
        rows.append({"code": check.code, "label": check.label, "printed": printed,
                     "period_start": parts[0].period_start, "period_end": parts[0].period_end,
                     "recomputed": round(recomputed, 2), "unknown": unknown,
                     "recomputed_text": recomputed_text(round(recomputed, 2), unknown, check.rule),
                     "rule": check.rule, "status": status,
                     "discrepancy": check.code if check.code in recorded else "", "basis": check.basis})
    return rows
