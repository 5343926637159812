"""Years of the store: which a report printed (reported) and which are computed from the dashboard's records
(in progress), the window of years writes accept, and the year every page opens on by default.

A *reported* year has figures printed by a report (the engagement table of an annual report): its printed values
stay as printed, and records entered later are shown beside them. A *year in progress* is one after the latest
reported year; everything about it is computed from what was recorded in the dashboard.

The default year is the latest reported year until a later year in progress is worth showing: at least
DEFAULT_YEAR_MIN_SHARE of the member governments have a record in it (an event that activated them, a bilateral
meeting or a fee payment), and the year has begun. One stray record never moves every page to its year.
"""

from __future__ import annotations

import datetime as dt
import functools
import math

import pandas as pd
from sqlalchemy import Integer, cast, extract, func, literal_column, select, union, union_all
from sqlalchemy.orm import Session

from db import asof
from db import models as m
from db.messages import Msg
from db.reference import DASHBOARD_SOURCE_KEY

# A year in progress opens by default once this share of the member governments has a record in it.
DEFAULT_YEAR_MIN_SHARE = 0.25


def dashboard_source_id(session: Session) -> int | None:
    """The id of the DASHBOARD source (rows entered in the dashboard), or None in a store without it."""
    return session.scalar(select(m.Source.id).where(m.Source.key == DASHBOARD_SOURCE_KEY))


def _year_columns():
    """(model, year expression) of every table whose rows belong to a year."""
    return ((m.Engagement, m.Engagement.year), (m.WebsitePresence, m.WebsitePresence.year),
            (m.IndicatorValue, m.IndicatorValue.year), (m.FeePayment, m.FeePayment.fee_year),
            (m.PlanItemStatus, m.PlanItemStatus.year),
            (m.Event, cast(extract("year", m.Event.start_date), Integer)))


def first_year(session: Session) -> int | None:
    """The first year the store holds data read from a document (not entered in the dashboard), or None."""
    dashboard = dashboard_source_id(session)
    stmt = union(*(select(column.label("year")).where(model.source_id != dashboard) if dashboard is not None
                   else select(column.label("year")) for model, column in _year_columns())).subquery()
    value = session.scalar(select(func.min(stmt.c.year)))
    return int(value) if value is not None else None


def write_window(session: Session, *, today: dt.date | None = None) -> tuple[int, int]:
    """The years a write may be for: (the store's first year, the current year + 1), both included."""
    today = today or asof.today()
    first = first_year(session)
    return (first if first is not None else today.year), today.year + 1


def check_year(session: Session, year: int, *, today: dt.date | None = None) -> str | None:
    """None if a write for `year` is accepted, else the message for the user naming the allowed range."""
    first, last = write_window(session, today=today)
    if first <= year <= last:
        return None
    return Msg("%(year)s is outside the years the dashboard records: enter a year from %(first)s to %(last)s.",
               year=year, first=first, last=last)


def reported_years(session: Session) -> list[int]:
    """The years a report printed the engagement of the members (their figures stay as printed), ascending."""
    stmt = _printed_engagement(m.Engagement.year, dashboard_source_id(session)).distinct()
    return sorted(int(y) for y in session.scalars(stmt))


def _printed_engagement(column, dashboard: int | None):
    """`column` of the engagement rows a report printed (not entered in the dashboard, source id `dashboard`)."""
    stmt = select(column)
    return stmt.where(m.Engagement.source_id != dashboard) if dashboard is not None else stmt


def members_with_records(session: Session, year: int) -> int:
    """How many member governments have a record entered for `year`: an event of the year that activated them,
    a bilateral meeting in the year, or a fee payment for the year."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    ids = union(
        select(m.EventMember.member_id).join(m.Event, m.Event.id == m.EventMember.event_id)
        .where(m.Event.start_date >= start, m.Event.start_date < end),
        select(m.BilateralMeeting.member_id).where(m.BilateralMeeting.month >= start, m.BilateralMeeting.month < end),
        select(m.FeePayment.member_id).where(m.FeePayment.fee_year == year),
    ).subquery()
    return int(session.scalar(select(func.count()).select_from(ids)
                              .join(m.Member, m.Member.id == ids.c.member_id)
                              .where(m.Member.honorary.is_(False))) or 0)


def worth_showing(session: Session, year: int, *, today: dt.date | None = None) -> bool:
    """Whether the year in progress `year` has enough recorded to open by default (see the module's rule)."""
    today = today or asof.today()
    if year > today.year:
        return False
    members = session.scalar(select(func.count(m.Member.id)).where(m.Member.honorary.is_(False))) or 0
    needed = max(1, math.ceil(DEFAULT_YEAR_MIN_SHARE * members))
    return members_with_records(session, year) >= needed


def default_year(session: Session, years: list[int], *, today: dt.date | None = None) -> int | None:
    """The year pages open on when none is chosen, among `years` (available_years): the latest year in
    progress (after the latest reported year) that is worth showing, else the latest reported year, else the
    latest year that has begun, else None."""
    if not years:
        return None
    today = today or asof.today()
    reported = [y for y in reported_years(session) if y in years]
    latest_reported = max(reported) if reported else None
    for year in sorted(years, reverse=True):
        if latest_reported is not None and year <= latest_reported:
            break
        if worth_showing(session, year, today=today):
            return year
    if latest_reported is not None:
        return latest_reported
    begun = [y for y in years if y <= today.year]
    return max(begun) if begun else min(years)


# ---- what a year rests on -------------------------------------------------------------------------------

def year_kind(session: Session, year: int) -> str:
    """'reported' (a report printed the year's figures) or 'in_progress' (computed from the records)."""
    return "reported" if year in reported_years(session) else "in_progress"


def _region_members(regions):
    """Subquery (id) of the member governments of `regions` (all regions when None)."""
    stmt = select(m.Member.id).join(m.Region, m.Region.id == m.Member.region_id).where(m.Member.honorary.is_(False))
    if regions is not None:
        stmt = stmt.where(m.Region.name.in_(regions))
    return stmt


def _event_in_regions(regions):
    """Condition on Event: it activated a member of `regions` (always true when None)."""
    if regions is None:
        return m.Event.id.is_not(None)
    return m.Event.id.in_(select(m.EventMember.event_id).where(m.EventMember.member_id.in_(_region_members(regions))))


COVERAGE_KEYS = ("members", "events", "events_printed", "events_recorded", "members_activated", "fee_records",
                 "fees_paid", "bilateral_meetings", "plan_statuses", "gender_events", "indicator_values",
                 "activated_added", "fees_paid_added", "as_of", "report", "last_event")


def year_coverage(session: Session, *, year: int, regions=None) -> dict:
    """What the figures of `year` rest on, for the member governments of `regions` (None = all).

    Keys (COVERAGE_KEYS): kind ('reported' / 'in_progress'), members (member governments), events (of the year;
    with regions, those that activated one of their members), events_printed / events_recorded (read from a
    document / entered in the dashboard), members_activated (members with a recorded activity: an event, a
    bilateral meeting or a listed activation), fee_records (fee rows for the year), fees_paid, bilateral_meetings,
    plan_statuses (network-wide), gender_events (events with speakers' or participants' gender counts),
    indicator_values (member values of the year), activated_added (members a report did not print as active that
    records entered in the dashboard since show active: reported years only), fees_paid_added (paid fees entered
    in the dashboard), as_of (the last time a record of the year was entered in the dashboard, or None), report
    (the citation of the report that printed the year, '' for a year in progress), last_event (the latest start
    date of the year's events, or None).
    """
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    dashboard = dashboard_source_id(session)
    members = _region_members(regions)
    ev = m.Event
    in_year = (ev.start_date >= start, ev.start_date < end, _event_in_regions(regions))
    events = session.execute(select(
        func.count(ev.id), func.count(ev.id).filter(ev.source_id == dashboard),
        func.count(ev.id).filter(func.coalesce(ev.speakers_women, ev.speakers_men, ev.speakers_unrecorded,
                                               ev.participants_women, ev.participants_men,
                                               ev.participants_unrecorded).is_not(None)),
        func.max(ev.entered_at), func.max(ev.start_date)).where(*in_year)).one()
    # The other counts as scalar subqueries of one statement: one round trip instead of seven (issue 14)
    fee = m.FeePayment
    fee_of_year = (fee.fee_year == year, fee.member_id.in_(members))
    bil = m.BilateralMeeting
    bil_of_year = (bil.month >= start, bil.month < end, bil.member_id.in_(members))
    value = m.IndicatorValue
    values_of_year = (value.year == year, value.scope == "member", value.member_id.in_(members))
    active = union(
        select(m.EventMember.member_id.label("member_id")).join(ev, ev.id == m.EventMember.event_id)
        .where(ev.start_date >= start, ev.start_date < end),
        select(bil.member_id).where(bil.month >= start, bil.month < end),
        select(m.MemberActivation.member_id).where(m.MemberActivation.period_start >= start,
                                                   m.MemberActivation.period_start < end),
    ).subquery()
    reported = _printed_engagement(m.Engagement.id, dashboard).where(m.Engagement.year == year)
    counts = session.execute(select(*(stmt.scalar_subquery() for stmt in (
        select(func.count(fee.id)).where(*fee_of_year),
        select(func.count(fee.id).filter(fee.paid.is_(True))).where(*fee_of_year),
        select(func.count(fee.id).filter(fee.paid.is_(True), fee.source_id == dashboard)).where(*fee_of_year),
        select(func.max(fee.entered_at)).where(*fee_of_year),
        select(func.count(bil.id)).where(*bil_of_year),
        select(func.max(bil.entered_at)).where(*bil_of_year),
        select(func.max(m.EventMember.entered_at)).join(ev, ev.id == m.EventMember.event_id)
        .where(ev.start_date >= start, ev.start_date < end, m.EventMember.member_id.in_(members)),
        select(func.count(m.PlanItemStatus.id)).where(m.PlanItemStatus.year == year),
        select(func.max(m.PlanItemStatus.entered_at)).where(m.PlanItemStatus.year == year),
        select(func.count(value.id)).where(*values_of_year),
        select(func.max(value.entered_at)).where(*values_of_year),
        select(func.count()).select_from(active).where(active.c.member_id.in_(members)),
        select(func.count()).select_from(members.subquery()),
        select(func.count()).select_from(reported.limit(1).subquery()),
    )))).one()
    (fee_records, fees_paid, fees_paid_added, fees_at, bilateral_meetings, bilateral_at, links, plan_statuses,
     statuses_at, indicator_values, values_at, members_activated, n_members, is_reported) = counts
    stamps = [s for s in (events[3], fees_at, bilateral_at, links, statuses_at, values_at) if s is not None]
    kind = "reported" if is_reported else "in_progress"  # year_kind's rule (_printed_engagement), in this statement
    return {
        "kind": kind, "members": int(n_members),
        "events": int(events[0]), "events_printed": int(events[0] - events[1]), "events_recorded": int(events[1]),
        "members_activated": int(members_activated or 0), "fee_records": int(fee_records),
        "fees_paid": int(fees_paid or 0), "bilateral_meetings": int(bilateral_meetings),
        "plan_statuses": int(plan_statuses), "gender_events": int(events[2]), "indicator_values": int(indicator_values),
        "activated_added": _activation_additions(session, year, regions, dashboard) if kind == "reported" else 0,
        "fees_paid_added": int(fees_paid_added or 0), "as_of": max(stamps) if stamps else None,
        "report": _report_citation(session, year, dashboard) if kind == "reported" else "",
        "last_event": events[4],
    }


def report_citation(session: Session, year: int) -> str:
    """The document(s) that printed the engagement of `year` ('Metropolis Annual Report 2020'), or ''."""
    return _report_citation(session, year, dashboard_source_id(session))


def _report_citation(session: Session, year: int, dashboard: int | None) -> str:
    stmt = (select(m.Source.citation).join(m.Engagement, m.Engagement.source_id == m.Source.id)
            .where(m.Engagement.year == year, m.Engagement.source_id != dashboard).distinct()
            .order_by(m.Source.citation))
    return "; ".join(session.scalars(stmt))


@functools.lru_cache(maxsize=32)  # a statement of 11 selects, the same for the same year: built once (issue 14)
def _recorded_activity(year: int, dashboard: int | None):
    """Union subquery (member_id, dimension, section, entered_at, n): each piece of activity entered in the
    dashboard for `year` (event attendance by the event's kind or statutory body, bilateral meetings, paid fees,
    indicator values)."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    ev, em = m.Event, m.EventMember
    dims = (("learning_activities", ev.kind == "learning"), ("wmd_participation", ev.kind == "wmd"),
            ("board_meetings", ev.statutory_meeting == "board"),
            ("annual_meeting", ev.statutory_meeting == "annual_meeting"), ("activated", ev.id.is_not(None)))
    parts = [select(em.member_id.label("member_id"), literal_column(f"'{name}'").label("dimension"),
                    em.section.label("section"), em.entered_at.label("entered_at"))
             .join(ev, ev.id == em.event_id)
             .where(em.source_id == dashboard, ev.start_date >= start, ev.start_date < end, condition)
             for name, condition in dims]
    b = m.BilateralMeeting
    for name in ("bilateral_meetings", "activated"):
        parts.append(select(b.member_id, literal_column(f"'{name}'"), b.section, b.entered_at)
                     .where(b.source_id == dashboard, b.month >= start, b.month < end))
    f = m.FeePayment
    parts.append(select(f.member_id, literal_column("'fee_paid'"), f.section, f.entered_at)
                 .where(f.source_id == dashboard, f.fee_year == year, f.paid.is_(True)))
    v = m.IndicatorValue
    parts.append(select(v.member_id, literal_column("'indicators_year'"), v.section, v.entered_at)
                 .where(v.source_id == dashboard, v.scope == "member", v.year == year))
    return union_all(*parts).subquery()


def recorded_additions_by_member(session: Session, *, year: int, regions=None,
                                 member_slug: str | None = None) -> pd.DataFrame:
    """What records entered in the dashboard add to the members' engagement of `year`, per member and dimension.

    Columns: member, slug, region, dimension (an engagement column: activated, fee_paid, board_meetings,
    annual_meeting, bilateral_meetings, indicators_year, learning_activities, wmd_participation), added (int:
    records), entered_by (the latest record's 'by <who> on <date>'), entered_at (its time). Ordered by region
    position, member, dimension. Empty when nothing was entered for the year.
    """
    dashboard = dashboard_source_id(session)
    if dashboard is None:
        return pd.DataFrame(columns=["member", "slug", "region", "dimension", "added", "entered_by", "entered_at"])
    act = _recorded_activity(year, dashboard)
    stmt = (select(m.Member.name.label("member"), m.Member.slug, m.Region.name.label("region"), act.c.dimension,
                   func.count().label("added"), func.max(act.c.section).label("entered_by"),
                   func.max(act.c.entered_at).label("entered_at"))
            .select_from(act).join(m.Member, m.Member.id == act.c.member_id)
            .join(m.Region, m.Region.id == m.Member.region_id)
            .group_by(m.Member.name, m.Member.slug, m.Region.name, m.Region.position, act.c.dimension)
            .order_by(m.Region.position, m.Member.name, act.c.dimension))
    if regions is not None:
        stmt = stmt.where(m.Region.name.in_(regions))
    if member_slug is not None:
        stmt = stmt.where(m.Member.slug == member_slug)
    result = session.execute(stmt)
    df = pd.DataFrame(result.all(), columns=list(result.keys()))
    df["added"] = df["added"].astype("int64")
    return df


def recorded_activation_additions(session: Session, *, year: int, regions=None) -> int:
    """Member governments of `regions` that the report of `year` did not print as active, and that activity
    entered in the dashboard since shows active."""
    return _activation_additions(session, year, regions, dashboard_source_id(session))


def _activation_additions(session: Session, year: int, regions, dashboard: int | None) -> int:
    if dashboard is None:
        return 0
    act = _recorded_activity(year, dashboard)
    printed_active = select(m.Engagement.member_id).where(m.Engagement.year == year, m.Engagement.activated.is_(True))
    stmt = (select(func.count(func.distinct(act.c.member_id))).where(
        act.c.dimension == "activated", act.c.member_id.in_(_region_members(regions)),
        act.c.member_id.not_in(printed_active)))
    return int(session.scalar(stmt) or 0)


def events_to_date(session: Session, *, year: int, until: dt.date, regions=None) -> int:
    """Events of `year` that started before the day and month of `until` (a to-date count), for comparing a year in
    progress with the same months of another year. With regions, events that activated one of their members."""
    start = dt.date(year, 1, 1)
    try:
        end = until.replace(year=year)
    except ValueError:  # 29 February
        end = until.replace(year=year, day=28)
    return int(session.scalar(select(func.count(m.Event.id)).where(
        m.Event.start_date >= start, m.Event.start_date < end, _event_in_regions(regions))) or 0)
