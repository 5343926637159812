"""Reconciliation: recompute every printed total that derives from stored rows and compare.

A check names the printed figure (an indicator), how to recompute it in SQL from the rows, and how to
compare (exactly, or as a printed percentage rounded to 0 or 1 decimals). A mismatch must have a
recorded discrepancy with the check's code; otherwise the check is 'unexplained'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from db import models as m
from db.queries.common import year_bounds
from db.reference import DASHBOARD_SOURCE_KEY

Recompute = Callable[[Session, int], float | None]


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


def _engaged(predicate) -> Recompute:
    """Members whose engagement row of the year satisfies `predicate`."""
    return lambda s, y: _scalar(s, select(func.count(m.Engagement.id)).where(m.Engagement.year == y, predicate))


def _engaged_sum(column) -> Recompute:
    return lambda s, y: _scalar(s, select(func.sum(column)).where(m.Engagement.year == y))


def _website(column, *, total: bool) -> Recompute:
    agg = func.sum(column) if total else func.count(m.WebsitePresence.id).filter(column > 0)
    return lambda s, y: _scalar(s, select(agg).where(m.WebsitePresence.year == y))


def _indicator(session: Session, code: str, year: int) -> float | None:
    return session.scalar(select(m.IndicatorValue.value)
                          .join(m.Indicator, m.Indicator.id == m.IndicatorValue.indicator_id)
                          .where(m.Indicator.code == code, m.IndicatorValue.year == year,
                                 m.IndicatorValue.scope == "network")
                          .order_by(m.IndicatorValue.period_end.desc()).limit(1))


def _sum_indicators(*codes: str) -> Recompute:
    def run(session: Session, year: int) -> float | None:
        values = [_indicator(session, c, year) for c in codes]
        return None if any(v is None for v in values) else float(sum(values))
    return run


def _members(session: Session, year: int) -> float:
    return _scalar(session, select(func.count(m.Member.id)).where(m.Member.honorary.is_(False)))


def _share(numerator: Recompute, denominator: Recompute) -> Recompute:
    def run(session: Session, year: int) -> float | None:
        den = denominator(session, year)
        return None if not den else 100.0 * numerator(session, year) / den
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


_paid = lambda s, y: _scalar(s, select(func.count(m.FeePayment.id)).where(  # noqa: E731
    m.FeePayment.fee_year == y, m.FeePayment.paid.is_(True), _from_documents(m.FeePayment)))
_activated = _engaged(E.activated.is_(True))
_analysed = lambda s, y: _scalar(s, select(func.count(E.id)).where(  # noqa: E731
    E.year == y, E.indicators_year.is_not(None), E.indicators_year <= y))
_board_attended = _engaged(E.board_meetings > 0)
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


CHECKS: tuple[Check, ...] = (
    # Section 4.1: "Total members" row and "Total" row
    Check("engagement.activated.members", "Activated members", ("engagement.activated.members",), _activated),
    Check("fees.paid.members", "Members who paid the year's fee", ("fees.paid.members",), _paid),
    Check("engagement.board_meetings.members", "Members at Board meetings", ("engagement.board_meetings.members",),
          _board_attended),
    Check("engagement.annual_meeting.members", "Members at the Annual Meeting", ("engagement.annual_meeting.members",),
          _engaged(E.annual_meeting.is_(True))),
    Check("engagement.bilateral.members", "Members in bilateral meetings", ("engagement.bilateral.members",),
          _engaged(E.bilateral_meetings > 0)),
    Check("engagement.bilateral.total", "Bilateral meetings", ("engagement.bilateral.total",),
          _engaged_sum(E.bilateral_meetings)),
    Check("engagement.pilot.members", "Members in pilot projects", ("engagement.pilot.members",),
          _engaged(E.pilot_projects > 0)),
    Check("engagement.indicators_new.members", "Members analysed during the year",
          ("engagement.indicators_new.members",), _engaged(E.indicators_year == E.year),
          basis="rows whose indicators year is the year itself"),
    Check("engagement.learning.members", "Members in learning activities", ("engagement.learning.members",),
          _engaged(E.learning_activities > 0)),
    Check("engagement.learning.total", "Participations in learning activities", ("engagement.learning.total",),
          _engaged_sum(E.learning_activities)),
    Check("engagement.wmd_organiser.members", "Members organising WMD events", ("engagement.wmd_organiser.members",),
          _engaged(E.wmd_organiser > 0)),
    Check("engagement.wmd_organiser.total", "WMD events organised by members", ("engagement.wmd_organiser.total",),
          _engaged_sum(E.wmd_organiser)),
    Check("engagement.wmd_participation.members", "Members participating in WMD events",
          ("engagement.wmd_participation.members",), _engaged(E.wmd_participation > 0)),
    Check("engagement.wmd_participation.total", "Participations in WMD events", ("engagement.wmd_participation.total",),
          _engaged_sum(E.wmd_participation)),
    Check("engagement.call_endorsement.members", "Members endorsing the Call to rethink",
          ("engagement.call_endorsement.members",), _engaged(E.call_endorsement.is_(True))),
    # Section 4.2
    *(Check(f"website.{col}.{kind}", f"Website, {col.replace('_', ' ')}: {'sum' if kind == 'total' else 'members'}",
            (f"website.{col}.{kind}",), _website(getattr(W, col), total=kind == "total"))
      for col in ("news", "library_publications", "publication_mentions", "use_cases", "c4gh_initiatives")
      for kind in ("members", "total")),
    # Headline figures that derive from rows
    Check("members.total", "Member governments", ("members.total",), _members),
    Check("members.honorary", "Honorary members", ("members.honorary",),
          lambda s, y: _scalar(s, select(func.count(m.Member.id)).where(m.Member.honorary.is_(True)))),
    Check("members.new", "New members", ("members.new",), _new_members),
    Check("members.countries", "Countries of the members", ("members.countries",), _countries),
    Check("members.active_pct", "Share of members actively engaged", ("members.active_pct",),
          _share(_activated, _members), rule="percent0", basis="activated members / members"),
    Check("members.heads.women_pct", "Share of members governed by women", ("members.heads.women_pct",),
          _share(_governed_by_women, _members), rule="percent1"),
    Check("observatory.members", "Members analysed by the Observatory", ("observatory.members",), _analysed),
    Check("observatory.members_pct", "Share of members analysed by the Observatory", ("observatory.members_pct",),
          _share(_analysed, _members), rule="percent0"),
    Check("pilot.members", "Members in ongoing pilot projects", ("pilot.members",), _pilot_members),
    Check("pilot.projects", "Ongoing pilot projects", ("pilot.projects",),
          lambda s, y: _scalar(s, select(func.count(m.PilotProject.id)).where(m.PilotProject.ongoing_2020.is_(True)))),
    Check("wmd.member_organisers", "Members organising WMD events (headline)", ("wmd.member_organisers",),
          _engaged(E.wmd_organiser > 0)),
    Check("wmd.member_participants", "Members participating in WMD events (headline)", ("wmd.member_participants",),
          _engaged(E.wmd_participation > 0)),
    Check("wmd.events", "World Metropolitan Day events", ("wmd.events",), _wmd_events,
          basis="events of kind wmd in the year"),
    Check("wmd.events_by_role", "WMD events: organised + co-organised + by others",
          ("wmd.events_organised", "wmd.events_co_organised", "wmd.events_by_others"), _printed("wmd.events")),
    Check("learning.members", "Members in learning activities (headline)", ("learning.members",),
          _engaged(E.learning_activities > 0)),
    Check("use.members_sharing", "Members sharing USE practices", ("use.members_sharing",),
          _website(W.use_cases, total=False)),
    Check("use.new_practices", "New USE practices by members", ("use.new_practices",), _website(W.use_cases, total=True)),
    Check("c4gh.initiatives_from_members_pct", "Share of C4GH initiatives from members",
          ("c4gh.initiatives_from_members_pct",), _share(_website(W.c4gh_initiatives, total=True), _printed("c4gh.initiatives")),
          rule="percent0"),
    Check("c4gh.member_cities_pct", "Members among C4GH cities", ("c4gh.member_cities_pct",),
          _share(_website(W.c4gh_initiatives, total=False), _printed("c4gh.cities")), rule="percent0"),
    Check("general_assembly.members", "Members at the General Assembly", ("general_assembly.members",),
          _engaged(E.annual_meeting.is_(True))),
    Check("board.attendance_pct", "Attendance at Board meetings", ("board.attendance_pct",),
          _share(_board_attended, _board_seats), rule="percent0", basis="members attending / Board seats"),
    Check("call.members", "Members leading and supporting the Call to rethink", ("call.lead_members", "call.supporting_members"),
          _engaged(E.call_endorsement.is_(True))),
    # Printed figures that derive from other printed figures
    Check("fees.cashed", "Fees cashed = previous year's + current year's", ("fees.cashed",),
          _sum_indicators("fees.cashed_prior_year", "fees.cashed_current_year")),
    Check("fees.fees_vs_payers", "Fees cashed = members who paid + second fees",
          ("fees.prior_year_fees", "fees.current_year_fees"), _sum_indicators("fees.members_paid", "fees.members_paid_two")),
    Check("funds.shares", "Shares of the funds", ("funds.membership_fees_pct", "funds.partnerships_members_pct",
                                                 "funds.partnerships_others_pct"), lambda s, y: 100.0),
    Check("funds.with_in_kind.shares", "Shares of the funds including in-kind",
          ("funds.with_in_kind.membership_fees_pct", "funds.with_in_kind.partnerships_members_pct",
           "funds.with_in_kind.partnerships_others_pct", "funds.with_in_kind.in_kind_pct"), lambda s, y: 100.0),
    Check("secretariat.professionals", "Professionals = women + men", ("secretariat.professionals",),
          _sum_indicators("secretariat.professionals.women", "secretariat.professionals.men")),
    Check("secretariat.interns_by_gender", "Interns = women + men", ("secretariat.interns",),
          _sum_indicators("secretariat.interns.women", "secretariat.interns.men")),
)

REPORT_COLUMNS = ["code", "label", "printed", "recomputed", "rule", "status", "discrepancy", "basis"]


def _agrees(printed: float, recomputed: float, rule: str) -> bool:
    if rule == "percent0":
        return abs(printed - recomputed) < 0.5
    if rule == "percent1":
        return abs(printed - recomputed) < 0.05
    return abs(printed - recomputed) < 1e-6


def reconciliation_report(session: Session, *, year: int) -> pd.DataFrame:
    """Run every check for `year`.

    Columns: REPORT_COLUMNS. status is 'reconciled', 'discrepancy' (a mismatch with a recorded discrepancy
    of the same code) or 'unexplained' (a mismatch nobody recorded: a defect); checks whose printed figure is
    not in the store for that year are left out. Rows in check order.
    """
    recorded = set(session.scalars(select(m.Discrepancy.code)))
    rows = []
    for check in CHECKS:
        parts = [_indicator(session, code, year) for code in check.printed]
        if any(p is None for p in parts):
            continue
        printed = float(sum(parts))
        recomputed = check.recompute(session, year)
        if recomputed is None:
            continue
        if _agrees(printed, recomputed, check.rule):
            status = "reconciled"
        else:
            status = "discrepancy" if check.code in recorded else "unexplained"
        rows.append({"code": check.code, "label": check.label, "printed": printed,
                     "recomputed": round(recomputed, 2), "rule": check.rule, "status": status,
                     "discrepancy": check.code if check.code in recorded else "", "basis": check.basis})
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)
