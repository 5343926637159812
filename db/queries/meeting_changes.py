"""What changed between two states of the store: a Board meeting and a later one, or a meeting and now.

Each side is a `db.asof.Frozen` (the store as the meeting froze it) or None (the store as it is). `state_of` reads
one side in SQL (the members, who was active and who paid in a year, the discrepancies); `diff_states` compares
two such states in pandas; `recorded_between` lists, from the audit log, the changes written between the two
sides' audit positions, one row per change set, with who, when and the regions they touch. `compare` does all
three for two sides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import pandas as pd
from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.orm import Session

from db import models as m
from db.asof import Frozen, reading_as_of
from db.queries.common import frame, restrict
from db.queries.engagement import engagement_rows
from db.session import Session as SessionFactory

MEMBER_FIELDS = ["name", "slug", "region"]
DISCREPANCY_FIELDS = ["code", "topic", "subject"]
# Tables whose writes are changes to the data (not the meetings, packs or accounts themselves), by what they are.
KINDS = {"event": "event", "event_member": "event", "event_deliverable": "event", "fee_payment": "fee_payment",
         "plan_item_status": "plan_status", "member": "member", "member_alias": "member",
         "member_leadership": "member", "bilateral_meeting": "bilateral_meeting", "indicator_value": "indicator",
         "member_activation": "member", "discrepancy": "discrepancy"}
KIND_ORDER = ("event", "fee_payment", "plan_status", "member", "bilateral_meeting", "indicator", "discrepancy")
RECORDED_COLUMNS = ["change_set", "at", "user_label", "action", "kind", "summary", "rows", "regions", "member",
                    "reverted", "fees"]


class State(NamedTuple):
    """One side of a comparison for one year and set of regions. `members`, `active` and `paid` are frames of
    MEMBER_FIELDS (`paid` None when fees were not read); `discrepancies` of DISCREPANCY_FIELDS."""

    members: pd.DataFrame
    active: pd.DataFrame
    paid: pd.DataFrame | None
    discrepancies: pd.DataFrame


class Changes(NamedTuple):
    """What changed from one state to the other: frames of MEMBER_FIELDS (joined, left, became_active,
    stopped_active, paid, payment_removed; the last two None when fees were not read), of DISCREPANCY_FIELDS
    (discrepancies_added, discrepancies_resolved), and the change sets recorded in between (`recorded`:
    RECORDED_COLUMNS, see recorded_between)."""

    joined: pd.DataFrame
    left: pd.DataFrame
    became_active: pd.DataFrame
    stopped_active: pd.DataFrame
    paid: pd.DataFrame | None
    payment_removed: pd.DataFrame | None
    discrepancies_added: pd.DataFrame
    discrepancies_resolved: pd.DataFrame
    recorded: pd.DataFrame


def _members_stmt():
    return (select(m.Member.name, m.Member.slug, m.Region.name.label("region"))
            .join(m.Region, m.Region.id == m.Member.region_id)
            .order_by(m.Region.position, m.Member.name))


def state_of(session: Session, *, year: int, regions: Sequence[str] | None = None,
             include_fees: bool = True) -> State:
    """The members (of `regions`; None: all), those active in `year` and those recorded as having paid the
    `year` fee (only with `include_fees`: otherwise the fee table is not read), and every discrepancy, as
    `session` reads the store. Frames ordered by region position, then name (discrepancies by code)."""
    members = frame(session, restrict(_members_stmt(), regions=regions), MEMBER_FIELDS)
    e = engagement_rows(session, year)
    active = frame(session, restrict(_members_stmt().join(e, e.c.member_id == m.Member.id)
                                     .where(e.c.activated.is_(True)), regions=regions), MEMBER_FIELDS)
    paid = None
    if include_fees:
        paid = frame(session, restrict(
            _members_stmt().join(m.FeePayment, and_(m.FeePayment.member_id == m.Member.id,
                                                    m.FeePayment.fee_year == year))
            .where(m.FeePayment.paid.is_(True)), regions=regions), MEMBER_FIELDS)
    d = m.Discrepancy
    discrepancies = frame(session, select(d.code, d.topic, d.subject).order_by(d.code), DISCREPANCY_FIELDS)
    return State(members, active, paid, discrepancies)


def _only_in(first: pd.DataFrame, second: pd.DataFrame, key: str) -> pd.DataFrame:
    """The rows of `first` whose `key` is not in `second` (in `first`'s order)."""
    return first[~first[key].isin(second[key])].reset_index(drop=True)


def diff_states(before: State, after: State) -> tuple[pd.DataFrame, ...]:
    """(joined, left, became_active, stopped_active, paid, payment_removed, discrepancies_added,
    discrepancies_resolved) from `before` to `after`; each row as its side reads it (a member that left, with
    its region then). paid and payment_removed are None unless both states read the fees."""
    fees = before.paid is not None and after.paid is not None
    return (_only_in(after.members, before.members, "slug"), _only_in(before.members, after.members, "slug"),
            _only_in(after.active, before.active, "slug"), _only_in(before.active, after.active, "slug"),
            _only_in(after.paid, before.paid, "slug") if fees else None,
            _only_in(before.paid, after.paid, "slug") if fees else None,
            _only_in(after.discrepancies, before.discrepancies, "code"),
            _only_in(before.discrepancies, after.discrepancies, "code"))


def _event_regions():
    """Subquery: each event id (as it is, or as it was before a change or a delete) with its region id."""
    event, history = m.Event.__table__, m.HISTORY_TABLES["event"]
    both = union_all(select(event.c.id, event.c.region_id),
                     select(history.c.id, history.c.region_id)).subquery()
    return select(both.c.id, func.max(both.c.region_id).label("region_id")).group_by(both.c.id).subquery()


def recorded_between(session: Session, after_position: int, until_position: int | None = None, *,
                     regions: Sequence[str] | None = None, limit: int = 1000) -> pd.DataFrame:
    """The change sets written to the data after audit entry `after_position`, up to `until_position`
    (included; None: up to now), newest first, at most `limit`: refusals, Board meetings and accounts left out.

    Columns (RECORDED_COLUMNS): change_set, at, user_label, action (of its first entry: create, update, revert
    ...), kind (event, fee_payment, plan_status, member, bilateral_meeting, indicator, discrepancy: the first of
    KIND_ORDER it touches), summary (its first entry's, as the command wrote it, in English), rows (entries),
    regions (sorted list of the regions of its members and events; [] for a network-wide change), member (the
    member's name when it touches exactly one, else ''), reverted (bool: a later change set of the same range
    reverted it), fees (bool: it touches a fee payment). With `regions`, only the change sets touching one of
    them, and the network-wide ones."""
    a = m.AuditEntry
    in_range = [a.id > after_position, a.table_name.in_(list(KINDS)), a.action != "refused"]
    if until_position is not None:
        in_range.append(a.id <= until_position)
    events = _event_regions()
    region_id = func.coalesce(m.Member.region_id, events.c.region_id)
    touched = (select(a.change_set, m.Region.name.label("region"))
               .select_from(a)
               .outerjoin(m.Member, m.Member.id == a.member_id)
               .outerjoin(events, and_(a.table_name == "event", events.c.id == a.row_id))
               .join(m.Region, m.Region.id == region_id)
               .where(*in_range).group_by(a.change_set, m.Region.name))
    per_region = frame(session, touched, ["change_set", "region"])
    sets = (select(a.change_set, func.min(a.id).label("first_id"), func.count(a.id).label("rows"),
                   func.max(a.reverted_by).label("reverted_by"),
                   func.count(func.distinct(a.member_id)).label("members"),
                   func.max(a.member_id).label("member_id"))
            .where(*in_range).group_by(a.change_set).subquery())
    stmt = (select(sets.c.change_set, a.at, a.user_label, a.action, a.summary, sets.c.rows, sets.c.reverted_by,
                   sets.c.members, func.coalesce(m.Member.name, "").label("member"))
            .join(a, a.id == sets.c.first_id)
            .outerjoin(m.Member, and_(m.Member.id == sets.c.member_id, sets.c.members == 1))
            .order_by(sets.c.first_id.desc()).limit(limit))
    if regions is not None:  # the change sets of these regions, and those of no region (network-wide)
        regional = touched.subquery()
        stmt = stmt.where(or_(
            sets.c.change_set.in_(select(regional.c.change_set).where(regional.c.region.in_(list(regions)))),
            sets.c.change_set.not_in(select(regional.c.change_set))))
    df = frame(session, stmt)
    tables = frame(session, select(a.change_set, a.table_name).where(*in_range).distinct(), ["change_set", "table"])
    kinds = tables.assign(kind=tables["table"].map(KINDS))
    order = {kind: i for i, kind in enumerate(KIND_ORDER)}
    first_kind = kinds.assign(rank=kinds["kind"].map(order)).sort_values("rank").groupby("change_set")["kind"].first()
    fee_sets = set(kinds.loc[kinds["kind"] == "fee_payment", "change_set"])
    regions_of = per_region.groupby("change_set")["region"].agg(lambda r: sorted(set(r)))
    if df.empty:
        return pd.DataFrame(columns=RECORDED_COLUMNS)
    in_this_range = set(df["change_set"]) | set(tables["change_set"])
    df["kind"] = df["change_set"].map(first_kind)
    df["regions"] = df["change_set"].map(lambda c: regions_of.get(c, []))
    df["reverted"] = df["reverted_by"].map(lambda r: r is not None and r in in_this_range)
    df["fees"] = df["change_set"].isin(fee_sets)
    df["rows"] = df["rows"].astype("int64")
    return df[RECORDED_COLUMNS].reset_index(drop=True)


def audit_position(session: Session) -> int:
    """The last audit entry's id (0 for none): the audit position of "now"."""
    return session.scalar(select(func.max(m.AuditEntry.id))) or 0


def compare(before: Frozen, after: Frozen | None, *, year: int, regions: Sequence[str] | None = None,
            include_fees: bool = True, session_factory: Callable[[], Session] = SessionFactory) -> Changes:
    """What changed from the meeting `before` to the meeting `after` (None: the store as it is now), for `year`
    and `regions` (None: all); the fee lists only with `include_fees`.

    Unlike the other queries this opens its sessions (from `session_factory`): each side is read by a session of
    its own, inside db.asof.reading_as_of, because a session reads one state of the store."""
    states = []
    for side in (before, after):
        with reading_as_of(side), session_factory() as session:
            states.append(state_of(session, year=year, regions=regions, include_fees=include_fees))
    # the audit log as written (reverts included), between the two sides' positions
    with reading_as_of(None), session_factory() as session:
        recorded = recorded_between(session, before.audit_position, after.audit_position if after else None,
                                    regions=regions)
    return Changes(*diff_states(*states), recorded=recorded)
