"""Queries about user accounts: one account by id or e-mail, and the account list with regions."""

from __future__ import annotations

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from db import models as m


def account_by_id(session: Session, user_id: int) -> m.UserAccount | None:
    """The account with this id (an ORM row the caller may update in its write session), or None."""
    return session.get(m.UserAccount, user_id)


def account_by_email(session: Session, email: str) -> m.UserAccount | None:
    """The account whose e-mail is `email` (stored lower-cased; give it lower-cased), or None."""
    return session.scalar(select(m.UserAccount).where(m.UserAccount.email == email))


def account_region(session: Session, account: m.UserAccount) -> str | None:
    """The name of the account's region (a regional secretary's), or None."""
    if account.region_id is None:
        return None
    return session.scalar(select(m.Region.name).where(m.Region.id == account.region_id))


def account_list(session: Session) -> list[Row]:
    """Every account as rows of email, name, role, region (None but for a regional secretary), active (bool);
    ordered by e-mail."""
    u = m.UserAccount
    stmt = (select(u.email, u.name, u.role, m.Region.name.label("region"), u.active)
            .outerjoin(m.Region, m.Region.id == u.region_id).order_by(u.email))
    return list(session.execute(stmt).all())
