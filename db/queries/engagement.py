"""Queries about member engagement: the section 4.1 columns, fees, website presence, by member or region.

A year printed in an annual report (2020) takes its rows as printed. A later year, recorded in the dashboard,
computes them in SQL from its records: events (activations, learning, World Metropolitan Day, statutory
meetings), bilateral meetings, listed activations, fees and indicator values. Dimensions nobody records there
(pilot projects, WMD organisers, endorsements) are 0 for such years, and the row's note says so.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Boolean, Integer, String, and_, case, cast, false, func, literal, select, true
from sqlalchemy.orm import Session

from db import models as m
from db.queries.common import SOURCE_COLUMNS, frame, latest_leadership, restrict, source_columns, year_bounds

ENGAGEMENT_COLUMNS = [
    "member", "slug", "region", "year", "activated", "fee_paid", "board_meetings", "annual_meeting",
    "bilateral_meetings", "pilot_project", "pilot_projects", "indicators_year", "learning_activities",
    "wmd_organiser", "wmd_participation", "call_endorsement", "unknown_cells", "note",
]

WEBSITE_COLUMNS = ["member", "slug", "region", "year", "news", "library_publications", "publication_mentions",
                   "use_cases", "c4gh_initiatives", "note"]

DERIVED_NOTE = ("Computed from the records entered in the dashboard for this year (events, bilateral meetings, "
                "fees, indicators); pilot projects, World Metropolitan Day speakers and endorsements are not "
                "recorded there.")
DERIVED_SOURCE = "Computed from the records entered in the dashboard"

DIMENSIONS = 11  # the columns of annual report section 4.1, the fee among them


def dimension_count(*, include_fees: bool) -> int:
    """How many engagement dimensions a breadth counts: all eleven, or ten without the fee (whose per-member
    value is not public)."""
    return DIMENSIONS if include_fees else DIMENSIONS - 1

_FIELDS = ["activated", "board_meetings", "annual_meeting", "bilateral_meetings", "pilot_role", "pilot_projects",
           "indicators_year", "learning_activities", "wmd_organiser", "wmd_participation", "call_endorsement", "note"]

# Columns whose NULL is an unknown cell (unreadable in the report), never a zero: the frames keep None there.
UNKNOWN_COUNT_COLUMNS = ("board_meetings", "bilateral_meetings", "learning_activities", "wmd_participation")
UNKNOWN_FLAG_COLUMNS = ("call_endorsement",)


def has_printed_engagement(session: Session, year: int) -> bool:
    """Whether a report printed the engagement of `year` (then its rows are used as printed)."""
    return session.scalar(select(func.count(m.Engagement.id)).where(m.Engagement.year == year)) > 0


def _printed_rows(year: int):
    """Subquery: the printed engagement rows of `year`, with their provenance."""
    e = m.Engagement
    src_cols, src = source_columns(e)
    return (select(e.member_id, *[getattr(e, f) for f in _FIELDS], *src_cols)
            .join(src, src.id == e.source_id).where(e.year == year).subquery())


def _derived_rows(year: int, member_slug: str | None = None):
    """Subquery: one row per member for a year without a printed table, computed from the year's records
    (only the member `member_slug`, if given: its page need not aggregate everyone's records)."""
    start, end = year_bounds(year)
    ev, em = m.Event, m.EventMember
    one = (select(m.Member.id).where(m.Member.slug == member_slug).scalar_subquery()
           if member_slug is not None else None)

    def only(stmt, column):
        return stmt.where(column == one) if one is not None else stmt

    events = (select(em.member_id,
                     func.count(em.id).label("events"),
                     func.count(em.id).filter(ev.kind == "learning").label("learning"),
                     func.count(em.id).filter(ev.kind == "wmd").label("wmd"),
                     func.count(em.id).filter(ev.statutory_meeting == "board").label("board"),
                     func.count(em.id).filter(ev.statutory_meeting == "annual_meeting").label("annual"))
              .join(ev, ev.id == em.event_id).where(ev.start_date >= start, ev.start_date < end))
    events = only(events, em.member_id).group_by(em.member_id).subquery()
    bilateral = (select(m.BilateralMeeting.member_id, func.count(m.BilateralMeeting.id).label("n"))
                 .where(m.BilateralMeeting.month >= start, m.BilateralMeeting.month < end))
    bilateral = only(bilateral, m.BilateralMeeting.member_id).group_by(m.BilateralMeeting.member_id).subquery()
    listed = (select(m.MemberActivation.member_id, func.count(m.MemberActivation.id).label("n"))
              .where(m.MemberActivation.period_start >= start, m.MemberActivation.period_start < end))
    listed = only(listed, m.MemberActivation.member_id).group_by(m.MemberActivation.member_id).subquery()
    measured = (select(m.IndicatorValue.member_id, func.max(m.IndicatorValue.year).label("year"))
                .join(m.Indicator, m.Indicator.id == m.IndicatorValue.indicator_id)
                .where(m.IndicatorValue.scope == "member", m.Indicator.topic == "observatory",
                       m.IndicatorValue.year == year))  # analysed this year: an earlier analysis is not this year's
    measured = only(measured, m.IndicatorValue.member_id).group_by(m.IndicatorValue.member_id).subquery()
    activity = (func.coalesce(events.c.events, 0) + func.coalesce(bilateral.c.n, 0) + func.coalesce(listed.c.n, 0))
    indicators_year = measured.c.year
    return (select(
        m.Member.id.label("member_id"), (activity > 0).label("activated"),
        func.coalesce(events.c.board, 0).label("board_meetings"),
        (func.coalesce(events.c.annual, 0) > 0).label("annual_meeting"),
        func.coalesce(bilateral.c.n, 0).label("bilateral_meetings"), cast(literal(None), String).label("pilot_role"),
        literal(0).label("pilot_projects"), indicators_year.label("indicators_year"),
        func.coalesce(events.c.learning, 0).label("learning_activities"), literal(0).label("wmd_organiser"),
        func.coalesce(events.c.wmd, 0).label("wmd_participation"), false().label("call_endorsement"),
        literal(DERIVED_NOTE).label("note"), literal(DERIVED_SOURCE).label("source"),
        literal("Entered in the dashboard").label("source_citation"), literal("").label("source_document"),
        literal(f"{year} records").label("source_section"), literal("").label("source_locator"))
        .outerjoin(events, events.c.member_id == m.Member.id)
        .outerjoin(bilateral, bilateral.c.member_id == m.Member.id)
        .outerjoin(listed, listed.c.member_id == m.Member.id)
        .outerjoin(measured, measured.c.member_id == m.Member.id)
        .where(m.Member.honorary.is_(False))
        .where(m.Member.id == one if one is not None else true())
        .subquery())


def engagement_rows(session: Session, year: int, member_slug: str | None = None):
    """Subquery of the year's engagement rows (member_id, the eleven dimensions but the fee, note, source
    columns): printed rows if a report printed the year, else rows computed from the records (of one member
    only, with `member_slug`; the caller still filters the printed rows)."""
    return _printed_rows(year) if has_printed_engagement(session, year) else _derived_rows(year, member_slug)


def engagement_source(session: Session, *, year: int) -> pd.DataFrame:
    """Where the engagement of `year` comes from: the printed table's sources, or the records of the year.
    Columns: source_citation, source_section (distinct pairs; one row for a computed year)."""
    if not has_printed_engagement(session, year):
        return pd.DataFrame([{"source_citation": "Entered in the dashboard", "source_section": f"{year} records"}])
    e = m.Engagement
    stmt = (select(m.Source.citation.label("source_citation"), e.section.label("source_section"))
            .join(m.Source, m.Source.id == e.source_id).where(e.year == year).distinct()
            .order_by(m.Source.citation, e.section))
    return frame(session, stmt)


def engagement_by_member(session: Session, *, year: int, regions: Sequence[str] | None = None,
                         member_slug: str | None = None, include_fees: bool = True) -> pd.DataFrame:
    """The eleven engagement columns of each member for `year`.

    Columns: ENGAGEMENT_COLUMNS + source columns. fee_paid is True/False from the fee record of that year, None
    where there is none or where its cell is unknown, and always None without `include_fees` (the fee table is then
    not read); pilot_project is 'L', 'P' or ''. A count or flag the report prints unreadably is None (object
    columns: never NaN or 0), and unknown_cells lists those columns of the row (fee_paid included only with
    `include_fees`), comma-separated ('' for none). Ordered by region position, member.
    """
    e = engagement_rows(session, year, member_slug)
    fee_paid = m.FeePayment.paid if include_fees else cast(literal(None), Boolean)
    fee_id = m.FeePayment.id if include_fees else cast(literal(None), Integer)
    stmt = (
        select(m.Member.name.label("member"), m.Member.slug, m.Region.name.label("region"), literal(year).label("year"),
               e.c.activated, fee_paid.label("fee_paid"), fee_id.label("fee_id"),
               e.c.board_meetings, e.c.annual_meeting,
               e.c.bilateral_meetings,
               case((e.c.pilot_role == "leader", "L"), (e.c.pilot_role == "partner", "P"), else_="").label("pilot_project"),
               e.c.pilot_projects, e.c.indicators_year, e.c.learning_activities, e.c.wmd_organiser,
               e.c.wmd_participation, e.c.call_endorsement, e.c.note, e.c.source, e.c.source_citation,
               e.c.source_document, e.c.source_section, e.c.source_locator)
        .select_from(e)
        .join(m.Member, m.Member.id == e.c.member_id)
        .join(m.Region, m.Region.id == m.Member.region_id)
        .order_by(m.Region.position, m.Member.name)
    )
    if include_fees:
        stmt = stmt.outerjoin(m.FeePayment, and_(m.FeePayment.member_id == m.Member.id, m.FeePayment.fee_year == year))
    df = frame(session, restrict(stmt, regions=regions, member_slug=member_slug))
    for col in ("activated", "annual_meeting"):
        df[col] = df[col].astype(bool)
    for col in UNKNOWN_FLAG_COLUMNS:
        df[col] = _nullable(df[col], bool)
    for col in (*UNKNOWN_COUNT_COLUMNS, "fee_paid"):
        df[col] = _nullable(df[col], int if col != "fee_paid" else bool)
    # over plain lists: .iloc per cell cost ~10 ms a call (issue 14)
    fee_unknown = (df["fee_id"].notna() & df["fee_paid"].isna()).tolist()
    unknown = [(col, df[col].isna().tolist()) for col in (*UNKNOWN_COUNT_COLUMNS, *UNKNOWN_FLAG_COLUMNS)]
    df["unknown_cells"] = [
        ",".join([*(["fee_paid"] if fee_unknown[i] else []), *(col for col, isna in unknown if isna[i])])
        for i in range(len(df))]
    df["year"] = df["year"].astype("int64")
    return df[[*ENGAGEMENT_COLUMNS, *SOURCE_COLUMNS]]


def _nullable(series: pd.Series, kind: type) -> pd.Series:
    """`series` as an object column of Python ints/bools, None where the value is unknown (not NaN, not 0)."""
    return pd.Series([None if v is None or pd.isna(v) else kind(v) for v in series.tolist()], index=series.index,
                     dtype=object)


def _count_true(column) -> object:
    return func.coalesce(func.sum(case((column.is_(True), 1), else_=0)), 0)


def engagement_by_region(session: Session, *, year: int, regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Members and engaged members per region for `year` (the honorary member apart).

    Columns: region, members, activated, fee_paid, fee_unknown, annual_meeting, learning, wmd, indicators, endorsed
    (ints); regions in canonical order, every requested region present (zeros where it has no members). A count
    of members counts those known to qualify: an unknown cell (NULL) is not counted, and fee_unknown says how
    many fee cells are unknown (a fee record whose 'paid' is NULL).
    """
    e = engagement_rows(session, year)
    stmt = (
        select(m.Region.name.label("region"),
               func.count(m.Member.id).label("members"),
               _count_true(e.c.activated).label("activated"),
               _count_true(m.FeePayment.paid).label("fee_paid"),
               func.count(m.FeePayment.id).filter(m.FeePayment.paid.is_(None)).label("fee_unknown"),
               _count_true(e.c.annual_meeting).label("annual_meeting"),
               func.count(m.Member.id).filter(e.c.learning_activities > 0).label("learning"),
               func.count(m.Member.id).filter((e.c.wmd_organiser + e.c.wmd_participation) > 0).label("wmd"),
               func.count(e.c.indicators_year).label("indicators"),
               _count_true(e.c.call_endorsement).label("endorsed"))
        .select_from(m.Region)
        .outerjoin(m.Member, and_(m.Member.region_id == m.Region.id, m.Member.honorary.is_(False)))
        .outerjoin(e, e.c.member_id == m.Member.id)
        .outerjoin(m.FeePayment, and_(m.FeePayment.member_id == m.Member.id, m.FeePayment.fee_year == year))
        .group_by(m.Region.name, m.Region.position)
        .order_by(m.Region.position)
    )
    df = frame(session, restrict(stmt, regions=regions))
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


def _unknown_dimensions(e, fee):
    """SQL expression: in how many of the eleven dimensions a member's cell is unknown (NULL in a printed row);
    the fee is left out when `fee` is None."""
    flags = [*([case((fee.id.is_not(None) & fee.paid.is_(None), 1), else_=0)] if fee is not None else []),
             *(case((e.c[c].is_(None) & e.c.member_id.is_not(None), 1), else_=0)
               for c in (*UNKNOWN_COUNT_COLUMNS, *UNKNOWN_FLAG_COLUMNS))]
    total = flags[0]
    for flag in flags[1:]:
        total = total + flag
    return total


def _breadth(e, fee):
    """SQL expression: in how many of the eleven dimensions a member is known to have engaged (0-11; an unknown
    cell does not count: see _unknown_dimensions); without the fee when `fee` is None (0-10)."""
    flags = [
        case((e.c.activated.is_(True), 1), else_=0),
        *([case((fee.paid.is_(True), 1), else_=0)] if fee is not None else []),
        case((e.c.board_meetings > 0, 1), else_=0),
        case((e.c.annual_meeting.is_(True), 1), else_=0),
        case((e.c.bilateral_meetings > 0, 1), else_=0),
        case((e.c.pilot_projects > 0, 1), else_=0),
        case((e.c.indicators_year.is_not(None), 1), else_=0),
        case((e.c.learning_activities > 0, 1), else_=0),
        case((e.c.wmd_organiser > 0, 1), else_=0),
        case((e.c.wmd_participation > 0, 1), else_=0),
        case((e.c.call_endorsement.is_(True), 1), else_=0),
    ]
    total = flags[0]
    for flag in flags[1:]:
        total = total + flag
    return total


def member_engagement_summary(session: Session, *, year: int, regions: Sequence[str] | None = None,
                              include_fees: bool = True) -> pd.DataFrame:
    """Each member (and the honorary member) with location and its engagement breadth in `year`.

    Columns: name, slug, official_name, region, country, country_code, latitude, longitude, honorary, member_since,
    activated
    (bool or None without a row), fee_paid (bool or None: no record, or unknown), fee_unknown (bool: the fee cell
    is unreadable), breadth (0-11 dimensions known to be engaged, 0 without a row), unknown (0-11 dimensions whose
    cell is unknown), learning_activities (0 without a row, None where unknown), annual_meeting, governed_by_woman
    (latest record, or None). Ordered by region position, name. Without `include_fees` the fee table is not read:
    fee_paid is None, fee_unknown False and breadth and unknown count the other ten dimensions (0-10), so nothing
    in the frame depends on a member's fee payment.
    """
    e, fee = engagement_rows(session, year), (m.FeePayment if include_fees else None)
    lead = latest_leadership()
    stmt = (
        select(m.Member.name, m.Member.slug, m.Member.official_name, m.Region.name.label("region"), m.Member.country,
               m.Member.country_code, m.Member.latitude, m.Member.longitude, m.Member.honorary, m.Member.member_since, e.c.activated,
               (fee.paid if fee is not None else cast(literal(None), Boolean)).label("fee_paid"),
               ((fee.id.is_not(None) & fee.paid.is_(None)) if fee is not None else literal(False)).label("fee_unknown"),
               func.coalesce(_breadth(e, fee), 0).label("breadth"),
               func.coalesce(_unknown_dimensions(e, fee), 0).label("unknown"),
               # 0 for a member without an engagement row; an unknown cell stays NULL (not turned into 0)
               case((e.c.member_id.is_(None), 0), else_=e.c.learning_activities).label("learning_activities"),
               e.c.annual_meeting,
               lead.c.governed_by_woman)
        .join(m.Region, m.Region.id == m.Member.region_id)
        .outerjoin(lead, lead.c.member_id == m.Member.id)
        .outerjoin(e, e.c.member_id == m.Member.id)
        .order_by(m.Region.position, m.Member.name)
    )
    if fee is not None:
        stmt = stmt.outerjoin(fee, and_(fee.member_id == m.Member.id, fee.fee_year == year))
    df = frame(session, restrict(stmt, regions=regions))
    df["breadth"] = df["breadth"].astype("int64")
    df["unknown"] = df["unknown"].astype("int64")
    df["fee_unknown"] = df["fee_unknown"].map(lambda v: bool(v) if v is not None and v == v else False).astype(bool)
    df["activated"] = df["activated"].map(lambda v: None if v is None or v != v else bool(v))
    df["learning_activities"] = _nullable(df["learning_activities"], int)
    return df

