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
import math

from sqlalchemy import Integer, cast, extract, func, select, union
from sqlalchemy.orm import Session

from db import models as m
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
    today = today or dt.date.today()
    first = first_year(session)
    return (first if first is not None else today.year), today.year + 1


def check_year(session: Session, year: int, *, today: dt.date | None = None) -> str | None:
    """None if a write for `year` is accepted, else the message for the user naming the allowed range."""
    first, last = write_window(session, today=today)
    if first <= year <= last:
        return None
    return f"{year} is outside the years the dashboard records: enter a year from {first} to {last}."


def reported_years(session: Session) -> list[int]:
    """The years a report printed the engagement of the members (their figures stay as printed), ascending."""
    dashboard = dashboard_source_id(session)
    stmt = select(m.Engagement.year).distinct()
    if dashboard is not None:
        stmt = stmt.where(m.Engagement.source_id != dashboard)
    return sorted(int(y) for y in session.scalars(stmt))


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
    today = today or dt.date.today()
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
    today = today or dt.date.today()
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
