"""Queries about members: the member list, one member's facts, name resolution."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.orm import Session

from db import models as m
from db.queries import engagement as eng
from db.queries import events as ev
from db.queries.common import frame, latest_leadership, restrict, source_columns, year_bounds

MEMBER_COLUMNS = [
    "name", "slug", "official_name", "region", "country", "country_code", "latitude", "longitude",
    "coord_source", "coord_note", "honorary", "member_since", "governed_by_woman", "governed_by_woman_as_of",
    "aliases", "region_ref", "member_since_ref", "note",
]


def member_list(session: Session, *, regions: Sequence[str] | None = None, include_honorary: bool = True,
                slug: str | None = None) -> pd.DataFrame:
    """Every member with its region, location, flags, aliases and source.

    Columns: MEMBER_COLUMNS + source, source_document, source_section, source_locator.
    aliases is a '; '-separated string, sorted. Rows ordered by region position, then name.
    """
    src_cols, src = source_columns(m.Member)
    lead = latest_leadership()
    aliases = (select(m.MemberAlias.member_id, func.aggregate_strings(m.MemberAlias.alias, "; ").label("aliases"))
               .group_by(m.MemberAlias.member_id).subquery())
    stmt = (
        select(m.Member.name, m.Member.slug, m.Member.official_name, m.Region.name.label("region"),
               m.Member.country, m.Member.country_code, m.Member.latitude, m.Member.longitude,
               m.Member.coord_source, m.Member.coord_note, m.Member.honorary, m.Member.member_since,
               lead.c.governed_by_woman, lead.c.as_of.label("governed_by_woman_as_of"),
               func.coalesce(aliases.c.aliases, "").label("aliases"), m.Member.region_ref, m.Member.member_since_ref,
               m.Member.note, *src_cols)
        .join(m.Region, m.Region.id == m.Member.region_id)
        .join(src, src.id == m.Member.source_id)
        .outerjoin(lead, lead.c.member_id == m.Member.id)
        .outerjoin(aliases, aliases.c.member_id == m.Member.id)
        .order_by(m.Region.position, m.Member.name)
    )
    stmt = restrict(stmt, regions=regions, member_slug=slug)
    if not include_honorary:
        stmt = stmt.where(m.Member.honorary.is_(False))
    df = frame(session, stmt)
    df["aliases"] = df["aliases"].map(lambda s: "; ".join(sorted(a for a in s.split("; ") if a)))
    return df


def member_counts(session: Session, *, regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Members by honorary status and source. Columns: honorary (bool), members (int), source_citation,
    source_section; member governments first."""
    stmt = (select(m.Member.honorary, func.count(m.Member.id).label("members"),
                   m.Source.citation.label("source_citation"), m.Member.section.label("source_section"))
            .join(m.Source, m.Source.id == m.Member.source_id)
            .join(m.Region, m.Region.id == m.Member.region_id)
            .group_by(m.Member.honorary, m.Source.citation, m.Member.section)
            .order_by(m.Member.honorary, m.Source.citation, m.Member.section))
    df = frame(session, restrict(stmt, regions=regions))
    return df.astype({"honorary": bool, "members": "int64"})


def normalise_name(text: str) -> str:
    """Return `text` without accents, case, punctuation or spacing: 'Bogotá' -> 'bogota'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def name_index(session: Session) -> dict[str, str]:
    """Map every normalised member name, slug and alias to the member's slug."""
    index: dict[str, str] = {}
    for name, slug in session.execute(select(m.Member.name, m.Member.slug)):
        index[normalise_name(name)] = slug
        index[normalise_name(slug)] = slug
    for alias, slug in session.execute(select(m.MemberAlias.alias, m.Member.slug)
                                       .join(m.Member, m.Member.id == m.MemberAlias.member_id)):
        index.setdefault(normalise_name(alias), slug)
    return index


def member_slug(session: Session, name: str) -> str | None:
    """Return the slug of the member whose name is exactly `name`, or None."""
    return session.scalar(select(m.Member.slug).where(m.Member.name == name))


def resolve_member(session: Session, text: str) -> str | None:
    """Return the slug of the member named `text` (name, slug or alias, accents and case ignored), or None."""
    return name_index(session).get(normalise_name(text))


def governed_by_women_by_region(session: Session, *, year: int,
                                regions: Sequence[str] | None = None) -> pd.DataFrame:
    """Members governed by a woman per region, from the leadership rows dated in `year`.

    Columns: region, members (with a row that year), women (ints) + source columns of one row;
    regions in canonical order; only regions with rows.
    """
    start, end = year_bounds(year)
    lead = m.MemberLeadership
    src_cols, src = source_columns(lead)
    stmt = (
        select(m.Region.name.label("region"), func.count(lead.id).label("members"),
               func.count(lead.id).filter(lead.governed_by_woman.is_(True)).label("women"),
               *[func.min(c).label(c.key) for c in src_cols])
        .join(m.Member, m.Member.id == lead.member_id)
        .join(m.Region, m.Region.id == m.Member.region_id)
        .join(src, src.id == lead.source_id)
        .where(lead.as_of >= start, lead.as_of < end)
        .group_by(m.Region.name, m.Region.position)
        .order_by(m.Region.position)
    )
    stmt = restrict(stmt, regions=regions)
    return frame(session, stmt)


def member_profile(session: Session, slug: str, *, year: int, include_fees: bool = True) -> dict[str, pd.DataFrame] | None:
    """Everything the store holds about the member `slug`, with sources; None if there is no such member.

    Keys: member (one row of member_list), leadership, aliases, board_seats, engagement, fee, website, events,
    bilateral, activations, pilot_projects; each a frame with source columns, possibly empty. Without
    `include_fees`, fee is empty and engagement's fee_paid None.
    """
    member_id = session.scalar(select(m.Member.id).where(m.Member.slug == slug))
    if member_id is None:
        return None
    row = member_list(session, slug=slug)

    def sourced(name: str):
        return frame(session, _profile_stmt(name).params(member_id=member_id))

    lead, aliases, seats, fee = sourced("leadership"), sourced("aliases"), sourced("board_seats"), sourced("fee")
    if not include_fees:
        fee = fee.iloc[0:0]
    pilots = sourced("pilot_projects")
    return {
        "member": row, "leadership": lead, "aliases": aliases, "board_seats": seats, "fee": fee,
        "engagement": eng.engagement_by_member(session, year=year, member_slug=slug, include_fees=include_fees),
        "website": eng.website_presence_by_member(session, year=year, member_slug=slug),
        "events": ev.events_in_year(session, year=year, member_slug=slug),
        "bilateral": ev.bilateral_meetings_by_month(session, year=year, member_slug=slug),
        "activations": ev.member_activations(session, year=year, member_slug=slug),
        "pilot_projects": pilots,
    }


# The member page's own statements, built once with the member's id bound (issue 14: building them was a good part
# of each profile).
@functools.cache
def _profile_stmt(name: str):
    member_id = bindparam("member_id", type_=Integer)

    def sourced(model, *columns, order):
        src_cols, src = source_columns(model)
        return (select(*columns, *src_cols).join(src, src.id == model.source_id)
                .where(model.member_id == member_id).order_by(*order))

    if name == "leadership":
        return sourced(m.MemberLeadership, m.MemberLeadership.as_of, m.MemberLeadership.governed_by_woman,
                       order=[m.MemberLeadership.as_of])
    if name == "aliases":
        return sourced(m.MemberAlias, m.MemberAlias.alias, order=[m.MemberAlias.alias])
    if name == "board_seats":
        return sourced(m.BoardSeat, m.BoardSeat.mandate, m.BoardSeat.position, m.BoardSeat.holder, m.BoardSeat.title,
                       m.BoardSeat.note, order=[m.BoardSeat.mandate])
    if name == "fee":
        return sourced(m.FeePayment, m.FeePayment.fee_year, m.FeePayment.paid, m.FeePayment.amount_eur,
                       m.FeePayment.note, order=[m.FeePayment.fee_year])
    assert name == "pilot_projects", name
    pilots_src, psrc = source_columns(m.PilotProjectMember)
    return (select(m.PilotProject.name, m.PilotProject.ongoing_2020, m.PilotProject.workshops,
                   m.PilotProjectMember.role, *pilots_src)
            .join(m.PilotProject, m.PilotProject.id == m.PilotProjectMember.project_id)
            .join(psrc, psrc.id == m.PilotProjectMember.source_id)
            .where(m.PilotProjectMember.member_id == member_id).order_by(m.PilotProject.name))
