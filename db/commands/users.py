"""Users: created, disabled and given new passwords by the Secretariat or the command line (never a default)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import models as m
from db.commands.base import Invalid, NotFound
from db.messages import Msg, plain
from db.reference import ROLES

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[a-z]{2,}$", re.IGNORECASE)


def create_user(session: Session, *, email: str, name: str, role: str, region: str | None,
                password_hash: str) -> m.UserAccount:
    """Create a user; Invalid names the bad field (bad e-mail, role, region, or an e-mail in use)."""
    email = email.strip().lower()
    errors = {}
    if not EMAIL.match(email):
        errors["email"] = Msg("Enter an e-mail address.")
    elif session.scalar(select(m.UserAccount.id).where(func.lower(m.UserAccount.email) == email)):
        errors["email"] = Msg("This e-mail already has an account.")
    if not 2 <= len(name.strip()) <= 200:
        errors["name"] = Msg("Enter the person's name.")
    if role not in ROLES:
        errors["role"] = Msg("Choose one of: %(values)s.", values=plain(ROLES))
    region_id = None
    if role == "regional_secretary":
        region_id = session.scalar(select(m.Region.id).where(m.Region.name == (region or "")))
        if region_id is None:
            errors["region"] = Msg("A regional secretary needs one of the five regions.")
    elif region:
        errors["region"] = Msg("Only a regional secretary has a region.")
    if errors:
        raise Invalid(errors)
    user = m.UserAccount(email=email, name=name.strip(), role=role, region_id=region_id, password_hash=password_hash,
                         active=True, created_at=dt.datetime.now(dt.UTC))
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, email: str) -> m.UserAccount:
    user = session.scalar(select(m.UserAccount).where(func.lower(m.UserAccount.email) == email.strip().lower()))
    if user is None:
        raise NotFound(Msg("No user with the e-mail %(email)s.", email=email[:80]))
    return user


def end_sessions(user: m.UserAccount) -> None:
    """End every session `user` has open: the cookies issued so far name an older generation and stop loading."""
    user.session_generation = (user.session_generation or 0) + 1


def set_active(session: Session, email: str, active: bool) -> m.UserAccount:
    """Enable or disable a user; disabling also ends every session the user has open."""
    user = find_user(session, email)
    user.active = active
    if not active:
        end_sessions(user)
    return user


def set_password(session: Session, email: str, password_hash: str) -> m.UserAccount:
    """Give a user a new password and end every session opened with the old one."""
    user = find_user(session, email)
    user.password_hash = password_hash
    end_sessions(user)
    return user
