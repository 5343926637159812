"""SQLAlchemy 2.0 typed models of the Metropolis store."""

from __future__ import annotations

import datetime as dt
from typing import Optional

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.reference import (
    AUDIT_ACTIONS,
    EVENT_KINDS,
    EVENT_ROLES,
    PILOT_ROLES,
    PLAN_LEVELS,
    ROLES,
    SCOPES,
    STATUSES,
    STATUTORY_MEETINGS,
)

# Alembic's recommended naming convention, so constraint names are stable across databases.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    """Return a CHECK expression restricting `column` to `values` (constants, never user input)."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """A table whose earlier states are kept, so the store can be read as it stood at a data version (a Board
    meeting: db/asof.py). `row_version` is the data version that wrote the row's current state (0: the seed); each
    state a write replaces or deletes is copied to the table's `<name>_history` twin with `valid_to`, the version
    that replaced it (db/history.py)."""

    row_version: Mapped[int] = mapped_column(default=0, server_default="0")


class Source(Versioned, Base):
    """A document the data was read from (annual report, progress report, action plan, web page)."""

    __tablename__ = "source"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    file: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    citation: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(200))
    published: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    reading_notes: Mapped[str] = mapped_column(Text)


class Provenance:
    """Columns naming where a fact row was read: document, section and line(s) of the text. A row entered in the
    dashboard names the DASHBOARD source, who entered it (section) and the change (locator), and keeps the user
    and time in entered_by_id / entered_at."""

    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    section: Mapped[str] = mapped_column(String(300))
    locator: Mapped[str] = mapped_column(String(200))
    entered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    entered_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))


class UserAccount(Base):
    """A person who can sign in: a Board member, a regional secretary (with a region) or the Secretariat."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("region.id"))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    # Part of every session cookie's user id; bumped on sign-out, disable and password change, so every session
    # issued before that no longer loads (Flask-Login's alternative-token pattern).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint("(role = 'regional_secretary') = (region_id IS NOT NULL)", name="region_for_secretaries"),
    )


class AuditEntry(Base):
    """One row changed by one user action (a change set groups the rows of one action), with before and after."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    change_set: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    user_label: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(20))
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[Optional[int]]
    member_id: Mapped[Optional[int]] = mapped_column(ForeignKey("member.id"), index=True)
    summary: Mapped[str] = mapped_column(Text)
    before: Mapped[Optional[str]] = mapped_column(Text)
    after: Mapped[Optional[str]] = mapped_column(Text)
    reverted_by: Mapped[Optional[str]] = mapped_column(String(36))

    __table_args__ = (CheckConstraint(_in("action", AUDIT_ACTIONS), name="action"),)


class Region(Versioned, Base):
    __tablename__ = "region"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(unique=True)


class Member(Provenance, Versioned, Base):
    """A member government (141 in 2020) or the honorary member. Provenance = the official list."""

    __tablename__ = "member"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    official_name: Mapped[str] = mapped_column(String(300))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    region_ref: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(80))
    country_code: Mapped[str] = mapped_column(String(2))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    coord_source: Mapped[str] = mapped_column(String(120))
    coord_note: Mapped[str] = mapped_column(Text, default="")
    member_since: Mapped[Optional[int]]
    member_since_ref: Mapped[str] = mapped_column(String(200), default="")
    honorary: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    region: Mapped[Region] = relationship()
    aliases: Mapped[list[MemberAlias]] = relationship(back_populates="member")

    __table_args__ = (
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )


class MemberAlias(Provenance, Versioned, Base):
    """Another spelling of a member's name, as printed in one of the documents."""

    __tablename__ = "member_alias"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    alias: Mapped[str] = mapped_column(String(120), unique=True)

    member: Mapped[Member] = relationship(back_populates="aliases")


class MemberLeadership(Provenance, Versioned, Base):
    """Whether a member was governed by a woman on a given date."""

    __tablename__ = "member_leadership"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    governed_by_woman: Mapped[bool]

    __table_args__ = (UniqueConstraint("member_id", "as_of"),)


class BoardSeat(Provenance, Versioned, Base):
    """A seat on the Board of Directors for one mandate, with its holder as the reports print them."""

    __tablename__ = "board_seat"
    id: Mapped[int] = mapped_column(primary_key=True)
    mandate: Mapped[str] = mapped_column(String(20))
    member_id: Mapped[Optional[int]] = mapped_column(ForeignKey("member.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    position: Mapped[str] = mapped_column(String(60))
    holder: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")


class Engagement(Provenance, Versioned, Base):
    """One member's engagement in one year: the eleven columns of annual report section 4.1 (fee apart).
    NULL in a count or flag is an unknown cell (unreadable in the report), never a zero: SUM and COUNT skip it,
    and the pages say "unknown"."""

    __tablename__ = "engagement"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    activated: Mapped[bool]
    board_meetings: Mapped[Optional[int]]
    annual_meeting: Mapped[bool]
    bilateral_meetings: Mapped[Optional[int]]
    pilot_role: Mapped[Optional[str]] = mapped_column(String(10))
    pilot_projects: Mapped[int]
    indicators_year: Mapped[Optional[int]]
    learning_activities: Mapped[Optional[int]]
    wmd_organiser: Mapped[int]
    wmd_participation: Mapped[Optional[int]]
    call_endorsement: Mapped[Optional[bool]]
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("member_id", "year"),
        CheckConstraint(_in("pilot_role", PILOT_ROLES), name="pilot_role"),
        CheckConstraint(
            "board_meetings >= 0 AND bilateral_meetings >= 0 AND pilot_projects >= 0 AND learning_activities >= 0"
            " AND wmd_organiser >= 0 AND wmd_participation >= 0",
            name="non_negative",
        ),
    )


class FeePayment(Provenance, Versioned, Base):
    """Whether a member paid its membership fee for a year (amount only where a document gives it); paid NULL is
    an unknown cell (the report's cell is unreadable), not "not paid"."""

    __tablename__ = "fee_payment"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    fee_year: Mapped[int] = mapped_column(index=True)
    paid: Mapped[Optional[bool]]
    amount_eur: Mapped[Optional[float]] = mapped_column(Float)
    paid_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("member_id", "fee_year"),)


class WebsitePresence(Provenance, Versioned, Base):
    """How often a member appeared on the Metropolis website in a year (annual report section 4.2)."""

    __tablename__ = "website_presence"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    news: Mapped[int]
    library_publications: Mapped[int]
    publication_mentions: Mapped[int]
    use_cases: Mapped[int]
    c4gh_initiatives: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("member_id", "year"),
        CheckConstraint(
            "news >= 0 AND library_publications >= 0 AND publication_mentions >= 0 AND use_cases >= 0"
            " AND c4gh_initiatives >= 0",
            name="non_negative",
        ),
    )


class ActionPlan(Provenance, Versioned, Base):
    __tablename__ = "action_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    start_year: Mapped[int]
    end_year: Mapped[int]


class PlanItem(Provenance, Versioned, Base):
    """A node of an action plan: line > measure > deliverable (2018-2020) or line > axis > outcome (2021-2023)."""

    __tablename__ = "plan_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plan.id"), index=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("plan_item.id"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int]
    code_printed: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint(_in("level", PLAN_LEVELS), name="level"),
    )


class StatusMark(Versioned, Base):
    """How a printed implementation mark (check, cross, ...) was read."""

    __tablename__ = "status_mark"
    id: Mapped[int] = mapped_column(primary_key=True)
    mark: Mapped[str] = mapped_column(String(20), unique=True)
    glyphs: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20))
    reading: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)

    __table_args__ = (CheckConstraint(_in("status", STATUSES), name="status"),)


class PlanItemStatus(Provenance, Versioned, Base):
    """The implementation status of a plan item in a year."""

    __tablename__ = "plan_item_status"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id"), index=True)
    year: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    mark_id: Mapped[Optional[int]] = mapped_column(ForeignKey("status_mark.id"))
    printed: Mapped[str] = mapped_column(String(20), default="")
    comment: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("plan_item_id", "year"),
        CheckConstraint(_in("status", STATUSES), name="status"),
    )


class Event(Provenance, Versioned, Base):
    """An event of the calendar or of a progress report."""

    __tablename__ = "event"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(Text)
    start_date: Mapped[dt.date] = mapped_column(Date, index=True)
    end_date: Mapped[Optional[dt.date]] = mapped_column(Date)
    location: Mapped[str] = mapped_column(String(200))
    online: Mapped[Optional[bool]]
    kind: Mapped[str] = mapped_column(String(20))
    kind_basis: Mapped[str] = mapped_column(Text)
    metropolis_role: Mapped[str] = mapped_column(String(20))
    role_basis: Mapped[str] = mapped_column(Text)
    also_source_id: Mapped[Optional[int]] = mapped_column(ForeignKey("source.id"))
    also_section: Mapped[str] = mapped_column(String(300), default="")
    also_locator: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # Recorded in the dashboard (the 2020 reports give none of these per event):
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("region.id"), index=True)
    statutory_meeting: Mapped[Optional[str]] = mapped_column(String(20))
    speakers_women: Mapped[Optional[int]]
    speakers_men: Mapped[Optional[int]]
    speakers_unrecorded: Mapped[Optional[int]]
    participants_women: Mapped[Optional[int]]
    participants_men: Mapped[Optional[int]]
    participants_unrecorded: Mapped[Optional[int]]

    __table_args__ = (
        CheckConstraint(_in("kind", EVENT_KINDS), name="kind"),
        CheckConstraint(_in("statutory_meeting", STATUTORY_MEETINGS), name="statutory_meeting"),
        CheckConstraint(
            "COALESCE(speakers_women, 0) >= 0 AND COALESCE(speakers_men, 0) >= 0"
            " AND COALESCE(speakers_unrecorded, 0) >= 0 AND COALESCE(participants_women, 0) >= 0"
            " AND COALESCE(participants_men, 0) >= 0 AND COALESCE(participants_unrecorded, 0) >= 0",
            name="counts_non_negative"),
        CheckConstraint(_in("metropolis_role", EVENT_ROLES), name="metropolis_role"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="date_order"),
    )


class EventMember(Provenance, Versioned, Base):
    """A member activated by an event."""

    __tablename__ = "event_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))

    # Both directions, each holding both columns (index-only scans, migration 0006): the unique constraint serves
    # "the members of these events", the index "the events of these members" (a region's, one member's).
    __table_args__ = (UniqueConstraint("event_id", "member_id"),
                      Index("ix_event_member_member_id_event_id", "member_id", "event_id"))


class EventDeliverable(Provenance, Versioned, Base):
    """An action-plan item an event served."""

    __tablename__ = "event_deliverable"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    plan_item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id"), index=True)

    __table_args__ = (UniqueConstraint("event_id", "plan_item_id"),)


class BilateralMeeting(Provenance, Versioned, Base):
    """A bilateral meeting with a member in a month (the progress reports list them by month)."""

    __tablename__ = "bilateral_meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    month: Mapped[dt.date] = mapped_column(Date, index=True)
    online: Mapped[bool]
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class MemberActivation(Provenance, Versioned, Base):
    """A member listed as activated in a reporting period [period_start, period_end)."""

    __tablename__ = "member_activation"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (
        UniqueConstraint("member_id", "period_start"),
        CheckConstraint("period_end > period_start", name="period_order"),
    )


class PilotProject(Provenance, Versioned, Base):
    __tablename__ = "pilot_project"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    workshops: Mapped[str] = mapped_column(Text, default="")
    ongoing_2020: Mapped[bool]


class PilotProjectMember(Provenance, Versioned, Base):
    __tablename__ = "pilot_project_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("pilot_project.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))

    __table_args__ = (
        UniqueConstraint("project_id", "member_id"),
        CheckConstraint(_in("role", PILOT_ROLES), name="role"),
    )


class Indicator(Versioned, Base):
    """What an indicator measures: code, name, unit."""

    __tablename__ = "indicator"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(40))
    topic: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text, default="")


class IndicatorValue(Provenance, Versioned, Base):
    """One value of an indicator for a period [period_start, period_end) and a scope."""

    __tablename__ = "indicator_value"
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    scope: Mapped[str] = mapped_column(String(10))
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("region.id"))
    member_id: Mapped[Optional[int]] = mapped_column(ForeignKey("member.id"))
    year: Mapped[int] = mapped_column(index=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    qualifier: Mapped[str] = mapped_column(String(20), default="")
    printed: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        CheckConstraint(_in("scope", SCOPES), name="scope"),
        CheckConstraint(
            "(scope = 'network' AND region_id IS NULL AND member_id IS NULL)"
            " OR (scope = 'region' AND region_id IS NOT NULL AND member_id IS NULL)"
            " OR (scope = 'member' AND member_id IS NOT NULL)",
            name="scope_target",
        ),
        CheckConstraint("period_end > period_start", name="period_order"),
        CheckConstraint(_in("qualifier", ("", "more_than", "almost", "approximately")), name="qualifier"),
    )


class Discrepancy(Provenance, Versioned, Base):
    """A place where the documents disagree with themselves or with their rows, and the reading kept."""

    __tablename__ = "discrepancy"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    topic: Mapped[str] = mapped_column(String(40), index=True)
    subject: Mapped[str] = mapped_column(Text)
    printed_value: Mapped[str] = mapped_column(String(200))
    recomputed_value: Mapped[str] = mapped_column(String(200))
    reading_kept: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)


class DataVersion(Base):
    """One row: a counter every write to the store increments in its own transaction, and when.
    Caches are keyed by it, and open pages poll it, so a change shows everywhere within seconds."""

    __tablename__ = "data_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int]
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class Dataset(Base):
    """A seed file loaded into the store, with the hash it had when loaded."""

    __tablename__ = "dataset"
    id: Mapped[int] = mapped_column(primary_key=True)
    file: Mapped[str] = mapped_column(String(120), unique=True)
    table_name: Mapped[str] = mapped_column(String(60))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int]
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class BoardMeeting(Base):
    """A Board meeting recorded by the Secretariat: it freezes the store as it stood (the data version, the audit
    log's last entry and the moment), so `?as_of=<slug>` reads every page, export and answer as the Board saw it."""

    __tablename__ = "board_meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    data_version: Mapped[int]
    data_changed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    audit_position: Mapped[int]
    frozen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    recorded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    recorded_by: Mapped[str] = mapped_column(String(300))


class BoardPackFile(Base):
    """A file of a meeting's Board pack (the deck, the printed pages, the CSVs), kept in the store so that every
    worker serves it; `status` follows the background job that makes the pack (one row per meeting and kind)."""

    __tablename__ = "board_pack_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("board_meeting.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    progress: Mapped[int] = mapped_column(default=0, server_default="0")
    total: Mapped[int] = mapped_column(default=0, server_default="0")
    filename: Mapped[str] = mapped_column(String(200), default="", server_default="")
    content: Mapped[Optional[bytes]] = mapped_column(LargeBinary)
    error: Mapped[str] = mapped_column(Text, default="", server_default="")
    started_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("meeting_id", "kind"),
                      CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"))


def _history_table(table: Table) -> Table:
    """The `<name>_history` twin of a versioned table: the same columns (no constraints), each row one earlier
    state with `valid_to`, the data version that replaced or deleted it."""
    return Table(
        f"{table.name}_history", Base.metadata,
        Column("history_id", Integer, primary_key=True),
        *(Column(c.name, c.type, nullable=True) for c in table.columns),
        Column("valid_to", Integer, nullable=False),
        Index(f"ix_{table.name}_history_id_valid_to", "id", "valid_to"),
    )


VERSIONED_TABLES: dict[str, Table] = {
    mapper.local_table.name: mapper.local_table
    for mapper in sorted(Base.registry.mappers, key=lambda mp: mp.local_table.name)
    if issubclass(mapper.class_, Versioned)
}
HISTORY_TABLES: dict[str, Table] = {name: _history_table(table) for name, table in VERSIONED_TABLES.items()}
