"""What every write shares: who acts (Actor), typed errors, the permission rules, provenance and audit entries.

A command validates, checks permissions, then writes inside the caller's `Session.begin()` transaction; a
refused or invalid command raises before anything is written (and the transaction rolls back).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from db import models as m
from db.asof import frozen
from db.messages import N_, Msg, plain
from db.queries.members import normalise_name
from db.queries.years import check_year
from db.reference import DASHBOARD_SOURCE_KEY
from db.session import Session as SessionFactory
from db.session import write_session
from db.versioning import bump_data_version

logger = logging.getLogger(__name__)

# msgids: the audit log keeps the English label ('Regional secretary for Europe (Barbara)'); the interface translates
# it where it is shown (dashboard.years.actor_words)
ROLE_LABELS = {"board": N_("Board member"), "regional_secretary": N_("Regional secretary"),
               "secretariat": N_("Secretariat")}
ANONYMOUS = N_("anonymous visitor")


@dataclass(frozen=True)
class Actor:
    """Who is writing: a signed-in user's id, name, role and (for a regional secretary) region."""

    user_id: int | None
    name: str
    role: str
    region: str | None = None

    @property
    def label(self) -> str:
        role = ROLE_LABELS.get(self.role, self.role)
        where = f" for {self.region}" if self.region else ""
        return f"{role}{where} ({self.name})"

    @property
    def can_write(self) -> bool:
        return self.role in ("secretariat", "regional_secretary")

    def may_write_region(self, region: str | None) -> bool:
        """Secretariat: any region; a regional secretary: only theirs (and never network-wide records)."""
        if self.role == "secretariat":
            return True
        return self.role == "regional_secretary" and region is not None and region == self.region


class CommandError(Exception):
    """A write that cannot be done; `str(err)` is a message for the user."""

    status = 400


class Forbidden(CommandError):
    status = 403


class NotFound(CommandError):
    status = 404


class Conflict(CommandError):
    status = 409


class Invalid(CommandError):
    """Input that fails validation: `fields` maps each bad field to its message (nothing was written)."""

    def __init__(self, fields: Mapping[str, str], message: str = Msg("Some fields need correcting.")):
        super().__init__(message)
        self.fields = dict(fields)


def require_writer(actor: Actor | None) -> Actor:
    if actor is None:
        raise Forbidden(Msg("Sign in to record data."))
    if not actor.can_write:
        raise Forbidden(Msg("Your role can read the dashboard but not record data."))
    return actor


def require_secretariat(actor: Actor | None, what: str) -> Actor:
    require_writer(actor)
    if actor.role != "secretariat":
        raise Forbidden(Msg("Only the Secretariat can %(what)s.", what=what))
    return actor


def require_region(actor: Actor, region: str | None, what: str) -> None:
    if not actor.may_write_region(region):
        mine = Msg(actor.region) if actor.region else actor.region  # a region is translated where shown
        if region is None:
            raise Forbidden(Msg("As regional secretary for %(region)s, you cannot %(what)s for the whole network.",
                                region=mine, what=what))
        raise Forbidden(Msg("As regional secretary for %(region)s, you cannot %(what)s for %(where)s.",
                            region=mine, what=what, where=Msg(region)))


# ---- members ------------------------------------------------------------------------------------

def member_index(session: Session) -> dict[str, m.Member]:
    """Normalised names, slugs and aliases -> member (the honorary member included)."""
    index: dict[str, m.Member] = {}
    members = {mem.id: mem for mem in session.scalars(select(m.Member))}
    for mem in members.values():
        index[normalise_name(mem.name)] = mem
        index[normalise_name(mem.slug)] = mem
    for alias in session.scalars(select(m.MemberAlias)):
        index.setdefault(normalise_name(alias.alias), members[alias.member_id])
    return index


def region_of(session: Session, member: m.Member) -> str:
    return session.scalar(select(m.Region.name).where(m.Region.id == member.region_id))


# ---- one change ---------------------------------------------------------------------------------

def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    """The column values of an ORM object, JSON-ready (not its `row_version`, the store's own bookkeeping)."""
    return {attr.key: _jsonable(getattr(obj, attr.key)) for attr in inspect(obj).mapper.column_attrs
            if attr.key != "row_version"}


@dataclass
class Change:
    """One user action: its change-set id, time, provenance for the rows it writes, and its audit entries."""

    session: Session
    actor: Actor
    change_set: str = field(default_factory=lambda: str(uuid.uuid4()))
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def provenance(self) -> dict[str, Any]:
        source_id = self.session.scalar(select(m.Source.id).where(m.Source.key == DASHBOARD_SOURCE_KEY))
        if source_id is None:
            raise CommandError(Msg("The store has no DASHBOARD source: run `python -m db migrate`."))
        return {"source_id": source_id, "section": f"by {self.actor.label} on {self.at:%Y-%m-%d}",
                "locator": f"change {self.change_set[:8]}", "entered_by_id": self.actor.user_id,
                "entered_at": self.at}

    def record(self, action: str, obj: Any, *, summary: str, before: dict | None = None,
               member_id: int | None = None) -> None:
        """Add an audit entry for `obj` (after its flush), with its state before and after."""
        after = None if action == "delete" else snapshot(obj)
        self.session.add(m.AuditEntry(
            change_set=self.change_set, at=self.at, user_id=self.actor.user_id, user_label=self.actor.label,
            action=action, table_name=obj.__tablename__, row_id=getattr(obj, "id", None), member_id=member_id,
            summary=summary, before=json.dumps(before) if before is not None else None,
            after=json.dumps(after) if after is not None else None))

    def finish(self) -> str:
        """Bump the data version (caches and open pages follow it); return the change-set id."""
        self.session.flush()
        bump_data_version(self.session, now=self.at)
        return self.change_set


_after_write: list[Callable[[], None]] = []


def on_write(listener: Callable[[], None]) -> Callable[[], None]:
    """Call `listener()` after every write that `run_command` commits (the dashboard pre-warms its cache there;
    db/ cannot import dashboard/, so the dashboard registers itself). Returns `listener`."""
    if listener not in _after_write:
        _after_write.append(listener)
    return listener


def _written() -> None:
    for listener in list(_after_write):
        try:
            listener()
        except Exception:  # noqa: BLE001 - the write is committed; a failing listener must not turn it into an error
            logger.exception("after-write listener %r failed", listener)


def run_command(command, actor: Actor | None, *args: Any, what: str, member_slug: str | None = None,
                session_factory=SessionFactory, changes_data: bool = True, **kwargs: Any) -> Any:
    """Run a write command as `actor` in one write transaction (it waits for other writers; see
    db.session.write_session) and return its result. A refused write is logged in the audit log, in its own
    transaction (the refused one is rolled back), and Forbidden is raised again. Every writer (the JSON API,
    the Record and Audit pages) goes through here; after a committed write it calls the `on_write` listeners,
    unless `changes_data` is False (a write of bookkeeping, such as a Board pack's claim: nothing to pre-warm)."""
    if frozen() is not None:
        raise Conflict(Msg("A Board meeting's data cannot be changed: leave the meeting's view to record or "
                           "correct data (a correction shows as a change since the meeting)."))
    try:
        with write_session(session_factory) as session:
            result = command(session, actor, *args, **kwargs)
    except Forbidden as err:
        member_id = None
        if member_slug:
            with session_factory() as session:
                member_id = session.scalar(select(m.Member.id).where(m.Member.slug == member_slug))
        log_refusal(session_factory, actor, f"{what}: {err}", member_id=member_id)
        raise
    if changes_data:
        _written()
    return result


def log_refusal(session_factory, actor: Actor | None, what: str, *, member_id: int | None = None) -> None:
    """Record a refused write in the audit log, in its own transaction (the refused one rolled back)."""
    label = actor.label if actor else ANONYMOUS
    logger.warning("refused write by %s: %s", label, what)
    with write_session(session_factory) as session:
        session.add(m.AuditEntry(
            change_set=str(uuid.uuid4()), at=dt.datetime.now(dt.UTC), user_id=actor.user_id if actor else None,
            user_label=label, action="refused", table_name="-", row_id=None, member_id=member_id,
            summary=what[:1000], before=None, after=None))


def resolve_members(session: Session, names: Iterable[str], *, field_name: str) -> list[m.Member]:
    """Members named by `names` (names, slugs or aliases); Invalid names the unknown ones, never creates one."""
    index = member_index(session)
    found, unknown = [], []
    for name in names:
        member = index.get(normalise_name(str(name)))
        if member is None:
            unknown.append(str(name)[:80])
        elif member not in found:
            found.append(member)
    if unknown:
        raise Invalid({field_name: Msg("Unknown member: %(names)s. Use a member's name or alias.", names=plain(unknown))})
    return found


def require_years(session: Session, **values: int | dt.date | None) -> None:
    """Raise Invalid naming each field whose year (a year, or a date's year) is outside the window writes accept
    (the store's first year to the current year + 1), with the allowed range in the message."""
    problems = {}
    for name, value in values.items():
        if value is None:
            continue
        message = check_year(session, value.year if isinstance(value, dt.date) else int(value))
        if message:
            problems[name] = message
    if problems:
        raise Invalid(problems, Msg("A year is outside the years the dashboard records."))
