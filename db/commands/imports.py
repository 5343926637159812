"""Bulk imports: event attendance lists and the Observatory's indicator values per member.

`preview` checks every row and lists each row's problem; `commit` writes every row in one change set, or
nothing if any row has a problem. Member names go through the aliases; an unknown name is that row's error,
never a new member."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import audit_text as audit
from db import models as m
from db.commands.base import Actor, Change, Invalid, member_index, require_writer, snapshot
from db.messages import Joined, Msg, plain
from db.queries.members import normalise_name
from db.queries.years import check_year
from db.reference import METROPOLITAN_INDICATORS, UNIT_RANGES

KINDS = ("attendance", "indicators")
COLUMNS = {"attendance": ("event", "member"), "indicators": ("indicator", "member", "year", "value")}
OPTIONAL = {"attendance": (), "indicators": ("note",)}
MAX_ROWS = 20_000
INDICATOR_TOPIC = "observatory"


@dataclass
class RowResult:
    line: int
    ok: bool
    message: str


@dataclass
class ImportReport:
    kind: str
    rows: list[RowResult] = field(default_factory=list)
    committed: bool = False
    change_set: str | None = None

    @property
    def problems(self) -> list[RowResult]:
        return [r for r in self.rows if not r.ok]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "rows": len(self.rows), "problems": [r.__dict__ for r in self.problems],
                "preview": [r.__dict__ for r in self.rows[:200]], "committed": self.committed,
                "change_set": self.change_set}


def check_columns(kind: str, header: Sequence[str]) -> None:
    """Raise Invalid unless `header` has the kind's required columns and no unknown ones."""
    if kind not in KINDS:
        raise Invalid({"kind": Msg("Unknown import '%(kind)s'. Choose one of: %(values)s.", kind=kind[:30],
                                   values=plain(KINDS))})
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS[kind] if c not in names]
    unknown = [h for h in names if h and h not in COLUMNS[kind] + OPTIONAL[kind]]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(Msg("missing column(s): %(columns)s", columns=plain(missing)))
        if unknown:
            parts.append(Msg("unknown column(s): %(columns)s", columns=plain(h[:30] for h in unknown[:5])))
        raise Invalid({"file": Msg("The file's header is not right (%(problems)s). Expected: %(columns)s.",
                                   problems=Joined("; ", parts), columns=plain(COLUMNS[kind] + OPTIONAL[kind]))})


def run_import(session: Session, actor: Actor | None, kind: str, rows: Sequence[tuple[int, Mapping[str, object]]],
               *, commit: bool) -> ImportReport:
    """Check (and with `commit`, write) the rows; `rows` are (line number, {column: value}) pairs."""
    actor = require_writer(actor)
    if not rows:
        raise Invalid({"file": Msg("The file has no data rows.")})
    if len(rows) > MAX_ROWS:
        raise Invalid({"file": Msg("The file has %(rows)s rows; at most %(max)s can be imported at once.",
                                   rows=f"{len(rows):,}", max=f"{MAX_ROWS:,}")})
    change = Change(session, actor)
    report = ImportReport(kind)
    planned = (_plan_attendance if kind == "attendance" else _plan_indicators)(session, actor, rows, report)
    if commit and not report.problems:
        prov = change.provenance()
        for write in planned:
            write(change, prov)
        report.committed = True
        report.change_set = change.finish()
    return report


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _regions(session: Session) -> dict[int, str]:
    return dict(session.execute(select(m.Region.id, m.Region.name)).all())


def _plan_attendance(session, actor, rows, report):
    members = member_index(session)
    regions = _regions(session)
    events_by_slug = {e.slug: e for e in session.scalars(select(m.Event))}
    events_by_title: dict[str, list[m.Event]] = {}
    for event in events_by_slug.values():
        events_by_title.setdefault(normalise_name(event.title), []).append(event)
    existing = set(session.execute(select(m.EventMember.event_id, m.EventMember.member_id)).all())
    seen: set[tuple[int, int]] = set()
    writes = []
    for line, row in rows:
        event_text, member_text = _text(row.get("event")), _text(row.get("member"))
        if not event_text or not member_text:
            report.rows.append(RowResult(line, False, Msg("The event and the member are both required.")))
            continue
        event = events_by_slug.get(event_text)
        if event is None:
            matches = events_by_title.get(normalise_name(event_text), [])
            if len(matches) == 1:
                event = matches[0]
            elif len(matches) > 1:
                report.rows.append(RowResult(line, False, Msg("Several events are called '%(event)s': use the "
                                                              "event's code (its slug).", event=event_text[:80])))
                continue
        if event is None:
            report.rows.append(RowResult(line, False, Msg("Unknown event '%(event)s'.", event=event_text[:80])))
            continue
        member = members.get(normalise_name(member_text))
        if member is None:
            report.rows.append(RowResult(line, False, Msg("Unknown member '%(member)s' (use a name or alias).",
                                                      member=member_text[:80])))
            continue
        region = regions[member.region_id]
        if not actor.may_write_region(region):
            report.rows.append(RowResult(line, False, Msg("%(member)s is in %(region)s: not your region.", member=member.name,
                                                      region=Msg(region))))
            continue
        if event.region_id is not None and not actor.may_write_region(regions[event.region_id]):
            report.rows.append(RowResult(line, False, Msg("'%(event)s' is an event of another region.", event=event.title[:60])))
            continue
        key = (event.id, member.id)
        if key in existing or key in seen:
            report.rows.append(RowResult(line, True, Msg("%(member)s at '%(event)s': already recorded, skipped.",
                                                     member=member.name, event=event.title[:60])))
            continue
        seen.add(key)
        report.rows.append(RowResult(line, True, Msg("%(member)s at '%(event)s'.", member=member.name, event=event.title[:60])))

        def write(change, prov, event=event, member=member):
            link = m.EventMember(event_id=event.id, member_id=member.id, **prov)
            change.session.add(link)
            change.session.flush()
            change.record("create", link, member_id=member.id,
                          summary=Msg(audit.MEMBER_ACTIVATED_IMPORT, member=member.name, title=event.title))
        writes.append(write)
    return writes


THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 2,642 or 1,234.5: commas only between thousands


def _indicator_year(session: Session, text: str) -> tuple[int | None, str]:
    """(year, '') or (None, the problem with the year field); the year must be in the write window of every
    write (db.queries.years.check_year)."""
    if not text:
        return None, Msg("year: required.")
    try:
        number = float(text)
    except ValueError:
        return None, Msg("year: '%(text)s' is not a year.", text=text[:20])
    if not math.isfinite(number) or not number.is_integer():
        return None, Msg("year: '%(text)s' is not a year.", text=text[:20])
    outside = check_year(session, int(number))
    if outside:
        return None, Msg("year: %(problem)s", problem=outside)
    return int(number), ""


def _indicator_value(text: str, indicator: m.Indicator | None) -> tuple[float | None, str]:
    """(value, '') or (None, the problem with the value field), checked against the indicator's unit."""
    if not text:
        return None, Msg("value: required.")
    if "," in text and not THOUSANDS.match(text):
        return None, Msg("value: '%(text)s' is not a number (write decimals with a point: 7.5).", text=text[:20])
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None, Msg("value: '%(text)s' is not a number.", text=text[:20])
    if not math.isfinite(value):
        return None, Msg("value: '%(text)s' is not a number.", text=text[:20])
    if indicator is None or indicator.unit not in UNIT_RANGES:
        return value, ""
    low, low_allowed, high, high_allowed, words = UNIT_RANGES[indicator.unit]
    below = low is not None and (value < low or (value == low and not low_allowed))
    above = high is not None and (value > high or (value == high and not high_allowed))
    if below or above:
        return None, Msg("value: %(value)s is out of range: %(indicator)s must be %(range)s.", value=f"{value:g}",
                         indicator=indicator.name, range=Msg(words))
    return value, ""


def _plan_indicators(session, actor, rows, report):
    """Check each row field by field (indicator, member, year, value against the indicator's unit); a row with
    problems gets one message naming each field that is wrong."""
    members = member_index(session)
    regions = _regions(session)
    indicators = {i.code: i for i in session.scalars(select(m.Indicator).where(m.Indicator.topic == INDICATOR_TOPIC))}
    per_member = [code for code in METROPOLITAN_INDICATORS if code in indicators]
    writes = []
    seen: dict[tuple[str, int, int], int] = {}
    for line, row in rows:
        code, member_text = _text(row.get("indicator")), _text(row.get("member"))
        year_text, value_text = _text(row.get("year")), _text(row.get("value"))
        note = _text(row.get("note"))[:500]
        problems = []
        indicator = indicators.get(code)
        if not code:
            problems.append(Msg("indicator: required."))
        elif indicator is None:
            problems.append(Msg("indicator: unknown indicator '%(code)s'. Known: %(known)s.", code=code[:40],
                                 known=plain(per_member)))
        elif code not in per_member:
            problems.append(Msg("indicator: %(code)s is a figure for the whole network, not per member. Per-member "
                                "values: %(known)s.", code=code, known=plain(per_member)))
            indicator = None
        member = members.get(normalise_name(member_text)) if member_text else None
        if not member_text:
            problems.append(Msg("member: required."))
        elif member is None:
            problems.append(Msg("member: unknown member '%(member)s' (use a name or alias).", member=member_text[:80]))
        elif not actor.may_write_region(regions[member.region_id]):
            problems.append(Msg("member: %(member)s is in %(region)s: not your region.", member=member.name,
                                region=Msg(regions[member.region_id])))
        year, problem = _indicator_year(session, year_text)
        if problem:
            problems.append(problem)
        value, problem = _indicator_value(value_text, indicator)
        if problem:
            problems.append(problem)
        if problems:
            report.rows.append(RowResult(line, False, Joined(" ", problems)))
            continue
        key = (code, member.id, year)
        if key in seen:
            report.rows.append(RowResult(line, False, Msg(
                "indicator, member, year: %(member)s %(code)s %(year)s appears twice in the file (first on line "
                "%(first)s).", member=member.name, code=code, year=year, first=seen[key])))
            continue
        seen[key] = line
        printed = value_text[:100]  # as the file gives it (no rounding)
        report.rows.append(RowResult(line, True, f"{member.name}: {indicator.name} {year} = {printed}"))

        def write(change, prov, indicator=indicator, member=member, year=year, value=value, note=note,
                  printed=printed):
            session_ = change.session
            existing = session_.scalar(select(m.IndicatorValue).where(
                m.IndicatorValue.indicator_id == indicator.id, m.IndicatorValue.member_id == member.id,
                m.IndicatorValue.year == year, m.IndicatorValue.scope == "member"))
            if existing is None:
                row_ = m.IndicatorValue(indicator_id=indicator.id, scope="member", member_id=member.id, year=year,
                                        period_start=dt.date(year, 1, 1), period_end=dt.date(year + 1, 1, 1),
                                        value=value, qualifier="", printed=printed, note=note, **prov)
                session_.add(row_)
                session_.flush()
                change.record("create", row_, member_id=member.id,
                              summary=Msg(audit.INDICATOR_IMPORTED, member=member.name, indicator=indicator.name,
                                          year=year, printed=printed))
            else:
                before = snapshot(existing)
                for key_, val in {"value": value, "printed": printed, "note": note, **prov}.items():
                    setattr(existing, key_, val)
                session_.flush()
                change.record("update", existing, before=before, member_id=member.id,
                              summary=Msg(audit.INDICATOR_IMPORTED, member=member.name, indicator=indicator.name,
                                          year=year, printed=printed))
        writes.append(write)
    return writes

