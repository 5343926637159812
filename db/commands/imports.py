"""Bulk imports: event attendance lists and the Observatory's indicator values per member.

`preview` checks every row and lists each row's problem; `commit` writes every row in one change set, or
nothing if any row has a problem. Member names go through the aliases; an unknown name is that row's error,
never a new member."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models as m
from db.commands.base import Actor, Change, Invalid, member_index, require_writer, snapshot
from db.queries.members import normalise_name
from db.queries.years import check_year

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
        raise Invalid({"kind": f"Unknown import '{kind[:30]}'. Choose one of: {', '.join(KINDS)}."})
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS[kind] if c not in names]
    unknown = [h for h in names if h and h not in COLUMNS[kind] + OPTIONAL[kind]]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing column(s): " + ", ".join(missing))
        if unknown:
            parts.append("unknown column(s): " + ", ".join(h[:30] for h in unknown[:5]))
        raise Invalid({"file": "The file's header is not right (" + "; ".join(parts) + "). Expected: "
                               + ", ".join(COLUMNS[kind] + OPTIONAL[kind]) + "."})


def run_import(session: Session, actor: Actor | None, kind: str, rows: Sequence[tuple[int, Mapping[str, object]]],
               *, commit: bool) -> ImportReport:
    """Check (and with `commit`, write) the rows; `rows` are (line number, {column: value}) pairs."""
    actor = require_writer(actor)
    if not rows:
        raise Invalid({"file": "The file has no data rows."})
    if len(rows) > MAX_ROWS:
        raise Invalid({"file": f"The file has {len(rows):,} rows; at most {MAX_ROWS:,} can be imported at once."})
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
            report.rows.append(RowResult(line, False, "The event and the member are both required."))
            continue
        event = events_by_slug.get(event_text)
        if event is None:
            matches = events_by_title.get(normalise_name(event_text), [])
            if len(matches) == 1:
                event = matches[0]
            elif len(matches) > 1:
                report.rows.append(RowResult(line, False, f"Several events are called '{event_text[:80]}': use the "
                                                          "event's code (its slug)."))
                continue
        if event is None:
            report.rows.append(RowResult(line, False, f"Unknown event '{event_text[:80]}'."))
            continue
        member = members.get(normalise_name(member_text))
        if member is None:
            report.rows.append(RowResult(line, False, f"Unknown member '{member_text[:80]}' (use a name or alias)."))
            continue
        region = regions[member.region_id]
        if not actor.may_write_region(region):
            report.rows.append(RowResult(line, False, f"{member.name} is in {region}: not your region."))
            continue
        if event.region_id is not None and not actor.may_write_region(regions[event.region_id]):
            report.rows.append(RowResult(line, False, f"'{event.title[:60]}' is an event of another region."))
            continue
        key = (event.id, member.id)
        if key in existing or key in seen:
            report.rows.append(RowResult(line, True, f"{member.name} at '{event.title[:60]}': already recorded, skipped."))
            continue
        seen.add(key)
        report.rows.append(RowResult(line, True, f"{member.name} at '{event.title[:60]}'."))

        def write(change, prov, event=event, member=member):
            link = m.EventMember(event_id=event.id, member_id=member.id, **prov)
            change.session.add(link)
            change.session.flush()
            change.record("create", link, member_id=member.id,
                          summary=f"{member.name} activated by '{event.title}' (import)")
        writes.append(write)
    return writes


def _plan_indicators(session, actor, rows, report):
    members = member_index(session)
    regions = _regions(session)
    indicators = {code: ind for code, ind in ((i.code, i) for i in session.scalars(
        select(m.Indicator).where(m.Indicator.topic == INDICATOR_TOPIC)))}
    writes = []
    seen: set[tuple[str, int, int]] = set()
    for line, row in rows:
        code, member_text = _text(row.get("indicator")), _text(row.get("member"))
        year_text, value_text = _text(row.get("year")), _text(row.get("value")).replace(",", "")
        note = _text(row.get("note"))[:500]
        indicator = indicators.get(code)
        if indicator is None:
            report.rows.append(RowResult(line, False, f"Unknown indicator '{code[:40]}'. Known: "
                                                      + ", ".join(sorted(indicators)) + "."))
            continue
        member = members.get(normalise_name(member_text)) if member_text else None
        if member is None:
            report.rows.append(RowResult(line, False, f"Unknown member '{member_text[:80]}' (use a name or alias)."))
            continue
        if not actor.may_write_region(regions[member.region_id]):
            report.rows.append(RowResult(line, False, f"{member.name} is in {regions[member.region_id]}: not your region."))
            continue
        try:
            year = int(float(year_text))
            assert float(year_text) == year
        except (ValueError, AssertionError, OverflowError):
            report.rows.append(RowResult(line, False, f"'{year_text[:20]}' is not a year."))
            continue
        outside = check_year(session, year)
        if outside:
            report.rows.append(RowResult(line, False, outside))
            continue
        try:
            value = float(value_text)
            assert math.isfinite(value)
        except (ValueError, AssertionError):
            report.rows.append(RowResult(line, False, f"'{value_text[:20]}' is not a number."))
            continue
        if indicator.unit == "percent" and not 0 <= value <= 100:
            report.rows.append(RowResult(line, False, f"{value:g} is not a percentage (0-100)."))
            continue
        key = (code, member.id, year)
        if key in seen:
            report.rows.append(RowResult(line, False, f"{member.name} {code} {year} appears twice in the file."))
            continue
        seen.add(key)
        report.rows.append(RowResult(line, True, f"{member.name}: {indicator.name} {year} = {value:g}"))

        def write(change, prov, indicator=indicator, member=member, year=year, value=value, note=note):
            session_ = change.session
            existing = session_.scalar(select(m.IndicatorValue).where(
                m.IndicatorValue.indicator_id == indicator.id, m.IndicatorValue.member_id == member.id,
                m.IndicatorValue.year == year, m.IndicatorValue.scope == "member"))
            if existing is None:
                row_ = m.IndicatorValue(indicator_id=indicator.id, scope="member", member_id=member.id, year=year,
                                        period_start=dt.date(year, 1, 1), period_end=dt.date(year + 1, 1, 1),
                                        value=value, qualifier="", printed=f"{value:g}", note=note, **prov)
                session_.add(row_)
                session_.flush()
                change.record("create", row_, member_id=member.id,
                              summary=f"{member.name}: {indicator.name} {year} = {value:g} (import)")
            else:
                before = snapshot(existing)
                for key_, val in {"value": value, "printed": f"{value:g}", "note": note, **prov}.items():
                    setattr(existing, key_, val)
                session_.flush()
                change.record("update", existing, before=before, member_id=member.id,
                              summary=f"{member.name}: {indicator.name} {year} = {value:g} (import)")
        writes.append(write)
    return writes

