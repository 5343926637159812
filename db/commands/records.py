"""Recording activity: events with attendance, fee payments, bilateral meetings, action-plan statuses and member
details. Each command validates its input, checks the actor may write for the members' region, writes with
provenance ('entered by ...'), audits every row before and after, and bumps the data version."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from db import audit_text as audit
from db import models as m
from db.commands.base import (
    Actor,
    Change,
    Conflict,
    Invalid,
    NotFound,
    region_of,
    require_region,
    require_secretariat,
    require_writer,
    require_years,
    resolve_members,
    snapshot,
)
from db.messages import N_, Msg, plain
from db.queries.years import dashboard_source_id
from db.reference import EVENT_KINDS, STATUSES, STATUTORY_MEETINGS

RECORDED_ROLES = ("organised", "co_organised", "participated")


def _blank_none(value: Any) -> Any:
    return None if isinstance(value, str) and value.strip() == "" else value


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


# The bounds sit inside Optional: on the outer type pydantic applies them to None too (a TypeError, not a message).
Count = Annotated[Optional[Annotated[int, Field(ge=0, le=1_000_000)]], BeforeValidator(_blank_none)]
OptDate = Annotated[Optional[dt.date], BeforeValidator(_blank_none)]
Text = Annotated[str, BeforeValidator(lambda v: "" if v is None else _strip(v))]

MESSAGES = {
    "missing": N_("Required."),
    "date_from_datetime_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": N_("Enter a date as YYYY-MM-DD."),
    "int_parsing": N_("Enter a whole number."),
    "int_from_float": N_("Enter a whole number."),
    "float_parsing": N_("Enter a number."),
    "greater_than_equal": N_("Must not be negative."),
    "less_than_equal": N_("Too large."),
    "string_too_short": N_("Required."),
    "string_too_long": N_("Too long."),
    "literal_error": N_("Choose one of the listed values."),
    "bool_parsing": N_("Choose yes or no."),
}


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    def problems(self) -> dict[str, str]:
        """Checks across fields; each field is already valid on its own."""
        return {}


def validate(model: type[Input], data: dict) -> Any:
    """Parse `data` into `model`, or raise Invalid with one message per bad field (then the checks across
    fields, the model's `problems()`)."""
    try:
        form = model.model_validate(data if isinstance(data, dict) else {})
    except ValidationError as err:
        fields: dict[str, str] = {}
        for error in err.errors():
            name = str(error["loc"][0]) if error["loc"] else "form"
            if error["type"] == "extra_forbidden":
                fields.setdefault(name, Msg("Unknown field."))
                continue
            known = MESSAGES.get(error["type"])
            # pydantic's own text for a type this table does not name (English: a rare, developer-facing case)
            message = Msg(known) if known else str(error["msg"]).removeprefix("Value error, ")
            fields.setdefault(name, message)
        raise Invalid(fields) from None
    problems = form.problems()
    if problems:
        raise Invalid(problems)
    return form


def keep_printed(session: Session, row: Any, what: str) -> None:
    """Raise Conflict if `row` was read from a document: a reported year's printed values stay as printed (a
    record entered later is shown beside them, never written over them)."""
    if row is not None and row.source_id != dashboard_source_id(session):
        citation = session.scalar(select(m.Source.citation).where(m.Source.id == row.source_id)) or "a report"
        raise Conflict(Msg("%(what)s is printed in the %(citation)s; printed figures stay as printed. "
                           "If the document is wrong, the Secretariat records a discrepancy.",
                           what=what, citation=citation))


# ---- events -----------------------------------------------------------------------------------

class EventInput(Input):
    title: Annotated[str, Field(min_length=3, max_length=300)]
    start_date: dt.date
    end_date: OptDate = None
    online: bool = False
    location: Text = ""
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    metropolis_role: Literal[RECORDED_ROLES]  # type: ignore[valid-type]
    statutory_meeting: Annotated[Optional[Literal[STATUTORY_MEETINGS]], BeforeValidator(_blank_none)] = None  # type: ignore[valid-type]
    region: Annotated[Optional[str], BeforeValidator(_blank_none)] = None
    members: list[str] = []
    deliverables: list[str] = []
    speakers_women: Count = None
    speakers_men: Count = None
    speakers_unrecorded: Count = None
    participants_women: Count = None
    participants_men: Count = None
    participants_unrecorded: Count = None
    note: Annotated[Text, Field(max_length=2000)] = ""

    def problems(self) -> dict[str, str]:
        """Checks across fields (after each field is valid on its own)."""
        errors = {}
        if self.end_date is not None and self.end_date < self.start_date:
            errors["end_date"] = Msg("The end date is before the start date.")
        if not self.online and not self.location:
            errors["location"] = Msg("Give the location, or tick 'online'.")
        if self.statutory_meeting and self.kind != "statutory":
            errors["statutory_meeting"] = Msg("Only a statutory meeting has a statutory body.")
        return errors


def _slug(session: Session, start: dt.date, title: str) -> str:
    base = f"{start.isoformat()}-" + re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70]
    slug, n = base, 2
    while session.scalar(select(m.Event.id).where(m.Event.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _deliverables(session: Session, codes: list[str]) -> list[m.PlanItem]:
    items, unknown = [], []
    for code in dict.fromkeys(c.strip().upper() for c in codes if c.strip()):
        item = session.scalar(select(m.PlanItem).where(m.PlanItem.code == code,
                                                       m.PlanItem.level.in_(("deliverable", "outcome")))
                              .order_by(m.PlanItem.plan_id.desc()).limit(1))
        if item is None:
            unknown.append(code[:20])
        else:
            items.append(item)
    if unknown:
        raise Invalid({"deliverables": Msg("Unknown deliverable or outcome: %(codes)s.", codes=plain(unknown))})
    return items


def record_event(session: Session, actor: Actor | None, data: dict) -> dict:
    """Record an event with its activated members and deliverables; return {'slug', 'change_set'}."""
    actor = require_writer(actor)
    form = validate(EventInput, data)
    require_years(session, start_date=form.start_date, end_date=form.end_date)
    members = resolve_members(session, form.members, field_name="members")
    items = _deliverables(session, form.deliverables)
    region = form.region if actor.role == "secretariat" else (form.region or actor.region)
    regions = {r for r in session.scalars(select(m.Region.name))}
    if region is not None and region not in regions:
        raise Invalid({"region": Msg("Unknown region.")})
    require_region(actor, region, Msg("record an event"))
    for member in members:
        require_region(actor, region_of(session, member), Msg("record %(member)s's attendance", member=member.name))
    change = Change(session, actor)
    prov = change.provenance()
    event = m.Event(
        slug=_slug(session, form.start_date, form.title), title=form.title, start_date=form.start_date,
        end_date=form.end_date, location=form.location or "Online", online=form.online, kind=form.kind,
        kind_basis=f"recorded as {form.kind} by {actor.label}", metropolis_role=form.metropolis_role,
        role_basis=f"recorded as {form.metropolis_role} by {actor.label}", note=form.note,
        region_id=session.scalar(select(m.Region.id).where(m.Region.name == region)) if region else None,
        statutory_meeting=form.statutory_meeting,
        **{k: getattr(form, k) for k in ("speakers_women", "speakers_men", "speakers_unrecorded",
                                         "participants_women", "participants_men", "participants_unrecorded")},
        **prov)
    session.add(event)
    session.flush()
    change.record("create", event, summary=Msg(audit.EVENT_RECORDED, title=form.title, date=str(form.start_date)))
    for member in members:
        link = m.EventMember(event_id=event.id, member_id=member.id, **prov)
        session.add(link)
        session.flush()
        change.record("create", link, summary=Msg(audit.MEMBER_ACTIVATED, member=member.name, title=form.title), member_id=member.id)
    for item in items:
        link = m.EventDeliverable(event_id=event.id, plan_item_id=item.id, **prov)
        session.add(link)
        session.flush()
        change.record("create", link, summary=Msg(audit.DELIVERABLE_SERVED, title=form.title, code=item.code))
    return {"slug": event.slug, "change_set": change.finish()}


# ---- fee payments -----------------------------------------------------------------------------

class FeeInput(Input):
    member: str
    fee_year: int  # the window of accepted years is checked against the store (require_years)
    paid: bool
    amount_eur: Annotated[Optional[Annotated[float, Field(ge=0, le=10_000_000)]], BeforeValidator(_blank_none)] = None
    paid_on: OptDate = None
    note: Annotated[Text, Field(max_length=2000)] = ""

    def problems(self) -> dict[str, str]:
        if not self.paid and (self.amount_eur or self.paid_on):
            return {"paid": "An amount or a date is given: tick 'paid'."}
        return {}


def record_fee_payment(session: Session, actor: Actor | None, data: dict) -> dict:
    """Record (or correct) whether a member paid its fee for a year."""
    actor = require_writer(actor)
    form = validate(FeeInput, data)
    require_years(session, fee_year=form.fee_year)
    (member,) = resolve_members(session, [form.member], field_name="member")
    require_region(actor, region_of(session, member), Msg("record %(member)s's fee", member=member.name))
    change = Change(session, actor)
    existing = session.scalar(select(m.FeePayment).where(m.FeePayment.member_id == member.id,
                                                         m.FeePayment.fee_year == form.fee_year))
    keep_printed(session, existing, Msg("%(member)s's %(year)s fee", member=member.name, year=form.fee_year))
    values = {"paid": form.paid, "amount_eur": form.amount_eur, "paid_on": form.paid_on, "note": form.note}
    if existing is None:
        row = m.FeePayment(member_id=member.id, fee_year=form.fee_year, **values, **change.provenance())
        session.add(row)
        session.flush()
        change.record("create", row, summary=Msg(audit.FEE_PAID if form.paid else audit.FEE_NOT_PAID, member=member.name, year=form.fee_year),
                      member_id=member.id)
    else:
        before = snapshot(existing)
        for key, value in {**values, **change.provenance()}.items():
            setattr(existing, key, value)
        session.flush()
        change.record("update", existing, before=before, member_id=member.id,
                      summary=Msg(audit.FEE_PAID if form.paid else audit.FEE_NOT_PAID, member=member.name, year=form.fee_year))
    return {"change_set": change.finish()}


# ---- bilateral meetings -----------------------------------------------------------------------

class BilateralInput(Input):
    member: str
    date: dt.date
    online: bool = True
    note: Annotated[Text, Field(max_length=2000)] = ""


def record_bilateral_meeting(session: Session, actor: Actor | None, data: dict) -> dict:
    """Record a bilateral meeting with a member (stored by month, like the progress reports)."""
    actor = require_writer(actor)
    form = validate(BilateralInput, data)
    require_years(session, date=form.date)
    (member,) = resolve_members(session, [form.member], field_name="member")
    require_region(actor, region_of(session, member), Msg("record a meeting with %(member)s", member=member.name))
    change = Change(session, actor)
    row = m.BilateralMeeting(member_id=member.id, month=form.date.replace(day=1), online=form.online, note=form.note,
                             **change.provenance())
    session.add(row)
    session.flush()
    change.record("create", row, summary=Msg(audit.BILATERAL_MEETING, member=member.name, month=f"{form.date:%B %Y}"), member_id=member.id)
    return {"change_set": change.finish()}


# ---- action-plan statuses ---------------------------------------------------------------------

class PlanStatusInput(Input):
    plan: str
    code: str
    year: int  # checked against the store's window (require_years) and the plan's years
    status: Literal[STATUSES]  # type: ignore[valid-type]
    comment: Annotated[Text, Field(max_length=2000)] = ""


def set_plan_status(session: Session, actor: Actor | None, data: dict) -> dict:
    """Set the status of a deliverable or outcome for a year (network-wide: the Secretariat only)."""
    actor = require_secretariat(actor, Msg("set the status of the action plan"))
    form = validate(PlanStatusInput, data)
    require_years(session, year=form.year)
    plan = session.scalar(select(m.ActionPlan).where(m.ActionPlan.code == form.plan))
    if plan is None:
        raise Invalid({"plan": Msg("Unknown action plan.")})
    if not plan.start_year <= form.year <= plan.end_year:
        raise Invalid({"year": Msg("The %(plan)s plan runs from %(start)s to %(end)s.", plan=plan.code, start=plan.start_year,
                                   end=plan.end_year)})
    item = session.scalar(select(m.PlanItem).where(m.PlanItem.plan_id == plan.id, m.PlanItem.code == form.code.upper(),
                                                   m.PlanItem.level.in_(("deliverable", "outcome"))))
    if item is None:
        raise Invalid({"code": Msg("No deliverable or outcome %(code)s in the %(plan)s plan.", code=form.code[:20],
                                   plan=plan.code)})
    change = Change(session, actor)
    existing = session.scalar(select(m.PlanItemStatus).where(m.PlanItemStatus.plan_item_id == item.id,
                                                             m.PlanItemStatus.year == form.year))
    keep_printed(session, existing, Msg("The %(year)s status of %(code)s", year=form.year, code=item.code))
    if existing is None:
        row = m.PlanItemStatus(plan_item_id=item.id, year=form.year, status=form.status, mark_id=None, printed="",
                               comment=form.comment, **change.provenance())
        session.add(row)
        session.flush()
        change.record("create", row, summary=Msg(audit.PLAN_STATUS, code=item.code, year=form.year, status=form.status))
    else:
        before = snapshot(existing)
        for key, value in {"status": form.status, "comment": form.comment, "mark_id": None, "printed": "",
                           **change.provenance()}.items():
            setattr(existing, key, value)
        session.flush()
        change.record("update", existing, before=before, summary=Msg(audit.PLAN_STATUS, code=item.code, year=form.year, status=form.status))
    return {"change_set": change.finish()}


# ---- member details ---------------------------------------------------------------------------

class MemberUpdate(Input):
    official_name: Optional[Annotated[str, Field(min_length=2, max_length=300)]] = None
    latitude: Annotated[Optional[Annotated[float, Field(ge=-90, le=90)]], BeforeValidator(_blank_none)] = None
    longitude: Annotated[Optional[Annotated[float, Field(ge=-180, le=180)]], BeforeValidator(_blank_none)] = None
    coord_note: Optional[Annotated[str, Field(max_length=500)]] = None
    governed_by_woman: Optional[bool] = None
    governed_as_of: OptDate = None
    add_alias: Annotated[Optional[Annotated[str, Field(min_length=2, max_length=120)]], BeforeValidator(_blank_none)] = None
    note: Optional[Annotated[str, Field(max_length=2000)]] = None

    def problems(self) -> dict[str, str]:
        errors = {}
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = Msg("Give both latitude and longitude.")
        if self.governed_by_woman is not None and self.governed_as_of is None:
            errors["governed_as_of"] = Msg("Give the date this is true on.")
        return errors


def update_member(session: Session, actor: Actor | None, slug: str, data: dict) -> dict:
    """Edit a member's details (official name, location, leadership, aliases)."""
    actor = require_writer(actor)
    member = session.scalar(select(m.Member).where(m.Member.slug == slug))
    if member is None:
        raise NotFound(Msg("There is no member '%(slug)s'.", slug=slug[:60]))
    form = validate(MemberUpdate, data)
    require_years(session, governed_as_of=form.governed_as_of)
    require_region(actor, region_of(session, member), Msg("edit %(member)s", member=member.name))
    change = Change(session, actor)
    prov = change.provenance()
    did = False
    before = snapshot(member)
    changed = {k: v for k, v in {"official_name": form.official_name, "latitude": form.latitude,
                                 "longitude": form.longitude, "coord_note": form.coord_note,
                                 "note": form.note}.items() if v is not None and getattr(member, k) != v}
    if form.latitude is not None:
        changed["coord_source"] = "hand"
    if changed:
        for key, value in {**changed, **prov}.items():
            setattr(member, key, value)
        session.flush()
        change.record("update", member, before=before, member_id=member.id,
                      summary=Msg(audit.MEMBER_EDITED, member=member.name,
                                  fields=", ".join(sorted(k for k in changed if k != "coord_source"))))
        did = True
    if form.governed_by_woman is not None:
        lead = session.scalar(select(m.MemberLeadership).where(m.MemberLeadership.member_id == member.id,
                                                               m.MemberLeadership.as_of == form.governed_as_of))
        if lead is None:
            lead = m.MemberLeadership(member_id=member.id, as_of=form.governed_as_of,
                                      governed_by_woman=form.governed_by_woman, **prov)
            session.add(lead)
            session.flush()
            change.record("create", lead, member_id=member.id,
                          summary=Msg(audit.GOVERNED_BY_WOMAN if form.governed_by_woman else audit.NOT_GOVERNED_BY_WOMAN,
                                      member=member.name, date=str(form.governed_as_of)))
            did = True
        elif lead.governed_by_woman != form.governed_by_woman:
            lead_before = snapshot(lead)
            for key, value in {"governed_by_woman": form.governed_by_woman, **prov}.items():
                setattr(lead, key, value)
            session.flush()
            change.record("update", lead, before=lead_before, member_id=member.id,
                          summary=Msg(audit.GOVERNED_BY_WOMAN if form.governed_by_woman else audit.NOT_GOVERNED_BY_WOMAN,
                                      member=member.name, date=str(form.governed_as_of)))
            did = True
    if form.add_alias:
        taken = session.scalar(select(m.MemberAlias.id).where(func.lower(m.MemberAlias.alias) == form.add_alias.lower()))
        other = session.scalar(select(m.Member.id).where(and_(func.lower(m.Member.name) == form.add_alias.lower())))
        if taken or other:
            raise Invalid({"add_alias": Msg("This name is already in use.")})
        alias = m.MemberAlias(member_id=member.id, alias=form.add_alias, **prov)
        session.add(alias)
        session.flush()
        change.record("create", alias, member_id=member.id, summary=Msg(audit.ALIAS_ADDED, member=member.name, alias=form.add_alias))
        did = True
    if not did:
        raise Invalid({"form": Msg("Nothing to change.")})
    return {"change_set": change.finish()}
