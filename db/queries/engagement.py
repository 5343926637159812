"""Queries about member engagement: the section 4.1 columns, fees, website presence, by member or region."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Integer, and_, case, cast, func, select
from sqlalchemy.orm import Session

from db import models as m
from db.queries.common import frame, latest_leadership, restrict, source_columns

ENGAGEMENT_COLUMNS = [
    "member", "slug", "region", "year", "activated", "fee_paid", "board_meetings", "annual_meeting",
    "bilateral_meetings", "pilot_project", "pilot_projects", "indicators_year", "learning_activities",
    "wmd_organiser", "wmd_participation", "call_endorsement", "note",
]

WEBSITE_COLUMNS = ["member", "slug", "region", "year", "news", "library_publications", "publication_mentions",
                   "use_cases", "c4gh_initiatives", "note"]


def engagement_by_member(session: Session, *, year: int, regions: Sequence[str] | None = None,
                         member_slug: str | None = None) -> pd.DataFrame:
    """The eleven engagement columns of each member for `year`.

    Columns: ENGAGEMENT_COLUMNS + source columns. fee_paid is True/False from the fee record of that year,
    None where there is none; pilot_project is 'L', 'P' or ''. Rows ordered by region position, then member.
    """
    src_cols, src = source_columns(m.Engagement)
    stmt = (
        select(m.Member.name.label("member"), m.Member.slug, m.Region.name.label("region"), m.Engagement.year,
               m.Engagement.activated, m.FeePayment.paid.label("fee_paid"), m.Engagement.board_meetings,
               m.Engagement.annual_meeting, m.Engagement.bilateral_meetings,
               case((m.Engagement.pilot_role == "leader", "L"), (m.Engagement.pilot_role == "partner", "P"),
                    else_="").label("pilot_project"),
               m.Engagement.pilot_projects, m.Engagement.indicators_year, m.Engagement.learning_activities,
               m.Engagement.wmd_organiser, m.Engagement.wmd_participation, m.Engagement.call_endorsement,
               m.Engagement.note, *src_cols)
        .join(m.Member, m.Member.id == m.Engagement.member_id)
        .join(m.Region, m.Region.id == m.Member.region_id)
        .join(src, src.id == m.Engagement.source_id)
        .outerjoin(m.FeePayment, and_(m.FeePayment.member_id == m.Member.id, m.FeePayment.fee_year == year))
        .where(m.Engagement.year == year)
        .order_by(m.Region.position, m.Member.name)
    )
    return frame(session, restrict(stmt, regions=regions, member_slug=member_slug))


def _count_true(column) -> object:
    return func.coalesce(func.sum(cast(column, Integer)), 0)


def engagement_by_region(session: Session, *, year: int, regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Members and engaged members per region for `year` (the honorary member apart).

    Columns: region, members, activated, fee_paid, annual_meeting, learning, wmd, indicators, endorsed (ints);
    regions in canonical order, every requested region present (zeros where it has no members).
    """
    e = m.Engagement
    stmt = (
        select(m.Region.name.label("region"),
               func.count(m.Member.id).label("members"),
               _count_true(e.activated).label("activated"),
               _count_true(m.FeePayment.paid).label("fee_paid"),
               _count_true(e.annual_meeting).label("annual_meeting"),
               func.count(m.Member.id).filter(e.learning_activities > 0).label("learning"),
               func.count(m.Member.id).filter((e.wmd_organiser + e.wmd_participation) > 0).label("wmd"),
               func.count(e.indicators_year).label("indicators"),
               _count_true(e.call_endorsement).label("endorsed"))
        .select_from(m.Region)
        .outerjoin(m.Member, and_(m.Member.region_id == m.Region.id, m.Member.honorary.is_(False)))
        .outerjoin(e, and_(e.member_id == m.Member.id, e.year == year))
        .outerjoin(m.FeePayment, and_(m.FeePayment.member_id == m.Member.id, m.FeePayment.fee_year == year))
        .group_by(m.Region.name, m.Region.position)
        .order_by(m.Region.position)
    )
    stmt = restrict(stmt, regions=regions)
    df = frame(session, stmt)
    return df.astype({c: "int64" for c in df.columns if c != "region"})


def website_presence_by_member(session: Session, *, year: int, regions: Sequence[str] | None = None,
                               member_slug: str | None = None) -> pd.DataFrame:
    """Each member's presence on the Metropolis website in `year` (annual report section 4.2).

    Columns: WEBSITE_COLUMNS + source columns; ordered by region position, then member.
    """
    src_cols, src = source_columns(m.WebsitePresence)
    w = m.WebsitePresence
    stmt = (
        select(m.Member.name.label("member"), m.Member.slug, m.Region.name.label("region"), w.year, w.news,
               w.library_publications, w.publication_mentions, w.use_cases, w.c4gh_initiatives, w.note, *src_cols)
        .join(m.Member, m.Member.id == w.member_id)
        .join(m.Region, m.Region.id == m.Member.region_id)
        .join(src, src.id == w.source_id)
        .where(w.year == year)
        .order_by(m.Region.position, m.Member.name)
    )
    return frame(session, restrict(stmt, regions=regions, member_slug=member_slug))


def _breadth(e, fee):
    """SQL expression: in how many of the eleven dimensions a member engaged (0-11)."""
    flags = [
        case((e.activated.is_(True), 1), else_=0),
        case((fee.paid.is_(True), 1), else_=0),
        case((e.board_meetings > 0, 1), else_=0),
        case((e.annual_meeting.is_(True), 1), else_=0),
        case((e.bilateral_meetings > 0, 1), else_=0),
        case((e.pilot_projects > 0, 1), else_=0),
        case((e.indicators_year.is_not(None), 1), else_=0),
        case((e.learning_activities > 0, 1), else_=0),
        case((e.wmd_organiser > 0, 1), else_=0),
        case((e.wmd_participation > 0, 1), else_=0),
        case((e.call_endorsement.is_(True), 1), else_=0),
    ]
    total = flags[0]
    for flag in flags[1:]:
        total = total + flag
    return total


def member_engagement_summary(session: Session, *, year: int, regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Each member (and the honorary member) with location and its engagement breadth in `year`.

    Columns: name, slug, official_name, region, country, latitude, longitude, honorary, member_since, activated
    (bool or None without a row), fee_paid (bool or None), breadth (0-11 dimensions engaged, 0 without a row),
    learning_activities, annual_meeting, governed_by_woman (latest record, or None). Ordered by region position, name.
    """
    e, fee = m.Engagement, m.FeePayment
    lead = latest_leadership()
    stmt = (
        select(m.Member.name, m.Member.slug, m.Member.official_name, m.Region.name.label("region"), m.Member.country,
               m.Member.latitude, m.Member.longitude, m.Member.honorary, m.Member.member_since, e.activated,
               fee.paid.label("fee_paid"), func.coalesce(_breadth(e, fee), 0).label("breadth"),
               func.coalesce(e.learning_activities, 0).label("learning_activities"), e.annual_meeting,
               lead.c.governed_by_woman)
        .join(m.Region, m.Region.id == m.Member.region_id)
        .outerjoin(lead, lead.c.member_id == m.Member.id)
        .outerjoin(e, and_(e.member_id == m.Member.id, e.year == year))
        .outerjoin(fee, and_(fee.member_id == m.Member.id, fee.fee_year == year))
        .order_by(m.Region.position, m.Member.name)
    )
    stmt = restrict(stmt, regions=regions)
    df = frame(session, stmt)
    df["breadth"] = df["breadth"].astype("int64")
    return df
