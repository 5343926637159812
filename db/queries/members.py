"""Queries about members: the member list, one member's facts, name resolution."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from db import models as m
from db.queries.common import frame, source_columns

MEMBER_COLUMNS = [
    "name", "slug", "official_name", "region", "country", "country_code", "latitude", "longitude",
    "coord_source", "coord_note", "honorary", "member_since", "governed_by_woman", "governed_by_woman_as_of",
    "aliases",
]


def _latest_leadership():
    """Subquery: each member's most recent leadership row."""
    latest = (select(m.MemberLeadership.member_id, func.max(m.MemberLeadership.as_of).label("as_of"))
              .group_by(m.MemberLeadership.member_id).subquery())
    return (select(m.MemberLeadership.member_id, m.MemberLeadership.as_of, m.MemberLeadership.governed_by_woman)
            .join(latest, and_(latest.c.member_id == m.MemberLeadership.member_id,
                               latest.c.as_of == m.MemberLeadership.as_of))
            .subquery())


def member_list(session: Session, *, regions: Sequence[str] | None = None,
                include_honorary: bool = True) -> pd.DataFrame:
    """Every member with its region, location, flags, aliases and source.

    Columns: MEMBER_COLUMNS + source, source_document, source_section, source_locator.
    aliases is a '; '-separated string, sorted. Rows ordered by region position, then name.
    """
    src_cols, src = source_columns(m.Member)
    lead = _latest_leadership()
    aliases = (select(m.MemberAlias.member_id, func.aggregate_strings(m.MemberAlias.alias, "; ").label("aliases"))
               .group_by(m.MemberAlias.member_id).subquery())
    stmt = (
        select(m.Member.name, m.Member.slug, m.Member.official_name, m.Region.name.label("region"),
               m.Member.country, m.Member.country_code, m.Member.latitude, m.Member.longitude,
               m.Member.coord_source, m.Member.coord_note, m.Member.honorary, m.Member.member_since,
               lead.c.governed_by_woman, lead.c.as_of.label("governed_by_woman_as_of"),
               func.coalesce(aliases.c.aliases, "").label("aliases"), *src_cols)
        .join(m.Region, m.Region.id == m.Member.region_id)
        .join(src, src.id == m.Member.source_id)
        .outerjoin(lead, lead.c.member_id == m.Member.id)
        .outerjoin(aliases, aliases.c.member_id == m.Member.id)
        .order_by(m.Region.position, m.Member.name)
    )
    if regions is not None:
        stmt = stmt.where(m.Region.name.in_(regions))
    if not include_honorary:
        stmt = stmt.where(m.Member.honorary.is_(False))
    df = frame(session, stmt)
    df["aliases"] = df["aliases"].map(lambda s: "; ".join(sorted(a for a in s.split("; ") if a)))
    return df


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


def resolve_member(session: Session, text: str) -> str | None:
    """Return the slug of the member named `text` (name, slug or alias, accents and case ignored), or None."""
    return name_index(session).get(normalise_name(text))
