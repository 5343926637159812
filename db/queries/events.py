"""Queries about events: the calendar, activated members, deliverables served, activations by month."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Integer, and_, cast, exists, extract, func, select
from sqlalchemy.orm import Session

from db import models as m
from db.queries.common import frame, restrict, source_columns, year_bounds

EVENT_COLUMNS = ["slug", "title", "start_date", "end_date", "location", "online", "kind", "metropolis_role",
                 "members", "member_count", "deliverables"]


def _chosen_events(*, year: int, regions: Sequence[str] | None = None, kinds: Sequence[str] | None = None,
                   member_slug: str | None = None, with_members: bool = False):
    """Subquery (id): the events starting in `year` that pass the filters (see events_in_year); with
    `with_members`, only events that activated at least one member."""
    start, end = year_bounds(year)
    stmt = select(m.Event.id).where(m.Event.start_date >= start, m.Event.start_date < end)
    if regions is not None:
        in_region = (select(m.EventMember.id)
                     .join(m.Member, m.Member.id == m.EventMember.member_id)
                     .join(m.Region, m.Region.id == m.Member.region_id)
                     .where(m.EventMember.event_id == m.Event.id, m.Region.name.in_(regions)))
        stmt = stmt.where(exists(in_region))
    if kinds is not None:
        stmt = stmt.where(m.Event.kind.in_(kinds))
    if member_slug is not None:
        by_member = (select(m.EventMember.id).join(m.Member, m.Member.id == m.EventMember.member_id)
                     .where(m.EventMember.event_id == m.Event.id, m.Member.slug == member_slug))
        stmt = stmt.where(exists(by_member))
    if with_members:
        stmt = stmt.where(exists(select(m.EventMember.id).where(m.EventMember.event_id == m.Event.id)))
    return stmt.subquery()


def event_sources(session: Session, *, year: int, regions: Sequence[str] | None = None,
                  with_members: bool = False) -> pd.DataFrame:
    """How many events of `year` (filtered as in events_in_year; with `with_members`, only events that name
    their activated members) each source gives. Columns: source_citation, source_section, events; most first."""
    chosen = _chosen_events(year=year, regions=regions, with_members=with_members)
    stmt = (select(m.Source.citation.label("source_citation"), m.Event.section.label("source_section"),
                   func.count(m.Event.id).label("events"))
            .join(chosen, chosen.c.id == m.Event.id)
            .join(m.Source, m.Source.id == m.Event.source_id)
            .group_by(m.Source.citation, m.Event.section)
            .order_by(func.count(m.Event.id).desc(), m.Source.citation, m.Event.section))
    return frame(session, stmt).astype({"events": "int64"})


def events_in_year(session: Session, *, year: int, regions: Sequence[str] | None = None,
                   kinds: Sequence[str] | None = None, member_slug: str | None = None) -> pd.DataFrame:
    """Events starting in `year`, with their activated members and the deliverables they served.

    With `regions`, only events that activated at least one member of those regions (members lists all
    activated members); with `member_slug`, only events that activated that member. Columns: EVENT_COLUMNS + kind_basis, role_basis, note + source columns;
    members and deliverables are '; '-separated, sorted; ordered by start date, then title.
    """
    chosen = _chosen_events(year=year, regions=regions, kinds=kinds, member_slug=member_slug)
    src_cols, src = source_columns(m.Event)
    # aggregate the members and deliverables of the chosen events only (a year is a small part of the store)
    members = (select(m.EventMember.event_id, func.aggregate_strings(m.Member.name, "; ").label("members"),
                      func.count(m.EventMember.member_id).label("member_count"))
               .join(m.Member, m.Member.id == m.EventMember.member_id)
               .where(m.EventMember.event_id.in_(select(chosen.c.id)))
               .group_by(m.EventMember.event_id).subquery())
    deliverables = (select(m.EventDeliverable.event_id,
                           func.aggregate_strings(m.PlanItem.code, "; ").label("deliverables"))
                    .join(m.PlanItem, m.PlanItem.id == m.EventDeliverable.plan_item_id)
                    .where(m.EventDeliverable.event_id.in_(select(chosen.c.id)))
                    .group_by(m.EventDeliverable.event_id).subquery())
    stmt = (
        select(m.Event.slug, m.Event.title, m.Event.start_date, m.Event.end_date, m.Event.location,
               m.Event.online, m.Event.kind, m.Event.metropolis_role,
               func.coalesce(members.c.members, "").label("members"),
               func.coalesce(members.c.member_count, 0).label("member_count"),
               func.coalesce(deliverables.c.deliverables, "").label("deliverables"),
               m.Event.kind_basis, m.Event.role_basis, m.Event.note, *src_cols)
        .join(chosen, chosen.c.id == m.Event.id)
        .join(src, src.id == m.Event.source_id)
        .outerjoin(members, members.c.event_id == m.Event.id)
        .outerjoin(deliverables, deliverables.c.event_id == m.Event.id)
        .order_by(m.Event.start_date, m.Event.title)
    )
    df = frame(session, stmt)
    for col in ("members", "deliverables"):
        df[col] = df[col].map(lambda s: "; ".join(sorted(x for x in s.split("; ") if x)))
    df["member_count"] = df["member_count"].astype("int64")
    return df


def activations_by_region_month(session: Session, *, year: int,
                                regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Member activations by events, per region and month of the event's start, in `year`.

    An activation is one (event, member) pair. Columns: region, month (1-12), activations, members
    (distinct members activated); only months with activations; ordered by region position, month.
    """
    start, end = year_bounds(year)
    month = cast(extract("month", m.Event.start_date), Integer)
    stmt = (
        select(m.Region.name.label("region"), month.label("month"),
               func.count(m.EventMember.id).label("activations"),
               func.count(func.distinct(m.EventMember.member_id)).label("members"))
        .select_from(m.EventMember)
        .join(m.Event, m.Event.id == m.EventMember.event_id)
        .join(m.Member, m.Member.id == m.EventMember.member_id)
        .join(m.Region, m.Region.id == m.Member.region_id)
        .where(m.Event.start_date >= start, m.Event.start_date < end)
        .group_by(m.Region.name, m.Region.position, month)
        .order_by(m.Region.position, month)
    )
    stmt = restrict(stmt, regions=regions)
    return frame(session, stmt).astype({"month": "int64", "activations": "int64", "members": "int64"})


def events_by_kind(session: Session, *, year: int) -> pd.DataFrame:
    """Number of events of each kind and Metropolis role starting in `year`.

    Columns: kind, metropolis_role, events; ordered by kind, role.
    """
    start, end = year_bounds(year)
    stmt = (select(m.Event.kind, m.Event.metropolis_role, func.count(m.Event.id).label("events"))
            .where(m.Event.start_date >= start, m.Event.start_date < end)
            .group_by(m.Event.kind, m.Event.metropolis_role)
            .order_by(m.Event.kind, m.Event.metropolis_role))
    return frame(session, stmt)


def bilateral_meetings_by_month(session: Session, *, year: int, regions: Sequence[str] | None = None,
                                member_slug: str | None = None) -> pd.DataFrame:
    """Bilateral meetings listed per month in `year`.

    Columns: member, slug, region, month (date, first day), online + source columns; ordered by month, member.
    """
    start, end = year_bounds(year)
    src_cols, src = source_columns(m.BilateralMeeting)
    b = m.BilateralMeeting
    stmt = (select(m.Member.name.label("member"), m.Member.slug, m.Region.name.label("region"), b.month, b.online,
                   *src_cols)
            .join(m.Member, m.Member.id == b.member_id)
            .join(m.Region, m.Region.id == m.Member.region_id)
            .join(src, src.id == b.source_id)
            .where(b.month >= start, b.month < end)
            .order_by(b.month, m.Member.name))
    return frame(session, restrict(stmt, regions=regions, member_slug=member_slug))


def member_activations(session: Session, *, year: int, regions: Sequence[str] | None = None,
                       member_slug: str | None = None) -> pd.DataFrame:
    """Members listed as activated in a reporting period that starts in `year`.

    Columns: member, slug, region, period_start, period_end + source columns.
    """
    start, end = year_bounds(year)
    src_cols, src = source_columns(m.MemberActivation)
    a = m.MemberActivation
    stmt = (select(m.Member.name.label("member"), m.Member.slug, m.Region.name.label("region"), a.period_start,
                   a.period_end, *src_cols)
            .join(m.Member, m.Member.id == a.member_id)
            .join(m.Region, m.Region.id == m.Member.region_id)
            .join(src, src.id == a.source_id)
            .where(and_(a.period_start >= start, a.period_start < end))
            .order_by(a.period_start, m.Region.position, m.Member.name))
    return frame(session, restrict(stmt, regions=regions, member_slug=member_slug))
