"""Load the curated seed files into an empty, migrated store, in one transaction.

Every file is parsed and checked (types, vocabularies, references between files, sha256 against
sources.toml) before the database is touched, so a malformed file stops the load with its file,
line and reason and leaves the database as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import logging
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator
from sqlalchemy import String, func, select
from sqlalchemy.orm import Session

from db import models as m
from db.migrate import upgrade
from db.reference import EVENT_KINDS, EVENT_ROLES, PILOT_ROLES, PLAN_LEVELS, REGIONS, SCOPES, STATUSES
from db.versioning import bump_data_version

logger = logging.getLogger(__name__)

SEED_DIR = Path(__file__).resolve().parent
SOURCES_FILE = "sources.toml"


class SeedError(ValueError):
    """A seed file is malformed; the message names the file, the line and the reason."""

    def __init__(self, file: str, line: int | None, reason: str):
        self.file, self.line, self.reason = file, line, reason
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {reason}")


def slugify(text: str) -> str:
    """Return a lowercase ASCII slug: 'Barcelona (city)' -> 'barcelona-city'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# ---- row models -------------------------------------------------------------------------------

def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and value.strip() == "" else value


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "false"}:
            return lowered == "true"
        raise ValueError("must be true or false")
    return value


Text = Annotated[str, BeforeValidator(_none_to_empty)]
Flag = Annotated[bool, BeforeValidator(_bool)]
OptFlag = Annotated[Optional[bool], BeforeValidator(lambda v: None if _blank_to_none(v) is None else _bool(v))]
OptInt = Annotated[Optional[int], BeforeValidator(_blank_to_none)]
OptFloat = Annotated[Optional[float], BeforeValidator(_blank_to_none)]
OptDate = Annotated[Optional[dt.date], BeforeValidator(_blank_to_none)]
OptStr = Annotated[Optional[str], BeforeValidator(_blank_to_none)]
Locator = Annotated[str, BeforeValidator(_none_to_empty)]

PLAN_CODE = re.compile(r"^L[1-3](M\d{1,2}(D\d)?|A\d(O\d{1,2})?)?$")


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Sourced(Row):
    source: str
    section: str
    locator: str

    @field_validator("section", "locator")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value:
            raise ValueError("provenance is required")
        return value


class MemberRow(Sourced):
    name: str
    slug: str
    official_name: str
    region: Literal[REGIONS]  # type: ignore[valid-type]
    region_ref: str
    country: str
    country_code: Annotated[str, BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v)]
    latitude: float
    longitude: float
    coord_source: str
    coord_note: Text = ""
    member_since: OptInt = None
    member_since_ref: Text = ""
    honorary: Flag
    note: Text = ""

    @field_validator("country_code")
    @classmethod
    def _iso2(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError("must be an ISO 3166-1 alpha-2 code")
        return value

    @field_validator("latitude")
    @classmethod
    def _lat(cls, value: float) -> float:
        if not -90 <= value <= 90:
            raise ValueError("must be between -90 and 90")
        return value

    @field_validator("longitude")
    @classmethod
    def _lon(cls, value: float) -> float:
        if not -180 <= value <= 180:
            raise ValueError("must be between -180 and 180")
        return value


class AliasRow(Sourced):
    member: str
    alias: str


class LeadershipRow(Sourced):
    member: str
    as_of: dt.date
    governed_by_woman: Flag


class BoardSeatRow(Sourced):
    mandate: str
    member: OptStr = None
    region: Literal[REGIONS]  # type: ignore[valid-type]
    position: str
    holder: str
    title: str
    note: Text = ""


# An empty cell in these columns is an unknown value (the report's cell is unreadable), stored as NULL, never 0.
UNKNOWN_ALLOWED = {
    "engagement.csv": ("board_meetings", "bilateral_meetings", "learning_activities", "wmd_participation",
                       "call_endorsement"),
    "fee_payments.csv": ("paid",),
}


class EngagementRow(Sourced):
    member: str
    year: int
    activated: Flag
    board_meetings: OptInt  # empty = unknown
    annual_meeting: Flag
    bilateral_meetings: OptInt  # empty = unknown
    pilot_role: Annotated[Optional[Literal[PILOT_ROLES]], BeforeValidator(_blank_to_none)] = None  # type: ignore[valid-type]
    pilot_projects: int
    indicators_year: OptInt = None
    learning_activities: OptInt  # empty = unknown
    wmd_organiser: int
    wmd_participation: OptInt  # empty = unknown
    call_endorsement: OptFlag  # empty = unknown
    note: Text = ""

    @field_validator("board_meetings", "bilateral_meetings", "pilot_projects", "learning_activities",
                     "wmd_organiser", "wmd_participation")
    @classmethod
    def _count(cls, value: Optional[int]) -> Optional[int]:
        if value is not None and value < 0:
            raise ValueError("must not be negative")
        return value


class FeeRow(Sourced):
    member: str
    fee_year: int
    paid: OptFlag  # empty = unknown (unreadable in the report), not "not paid"
    amount_eur: OptFloat = None
    note: Text = ""


class WebsiteRow(Sourced):
    member: str
    year: int
    news: int
    library_publications: int
    publication_mentions: int
    use_cases: int
    c4gh_initiatives: int
    note: Text = ""

    @field_validator("news", "library_publications", "publication_mentions", "use_cases", "c4gh_initiatives")
    @classmethod
    def _count(cls, value: int) -> int:
        if value < 0:
            raise ValueError("must not be negative")
        return value


class PlanRow(Sourced):
    code: str
    title: str
    start_year: int
    end_year: int


class PlanItemRow(Sourced):
    plan: str
    code: str
    level: Literal[PLAN_LEVELS]  # type: ignore[valid-type]
    parent: OptStr = None
    title: str
    position: int
    code_printed: Flag
    note: Text = ""

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not PLAN_CODE.match(value):
            raise ValueError("must look like L1, L1M2, L1M2D3, L1A2 or L1A2O3")
        return value


class StatusMarkRow(Row):
    mark: str
    glyphs: str
    status: Literal[STATUSES]  # type: ignore[valid-type]
    reading: str
    evidence: str


class PlanStatusRow(Sourced):
    plan: str
    code: str
    year: int
    status: Literal[STATUSES]  # type: ignore[valid-type]
    mark: OptStr = None
    printed: Text = ""
    comment: Text = ""


class EventRow(Sourced):
    slug: str
    title: str
    start_date: dt.date
    end_date: OptDate = None
    location: str
    online: OptFlag = None
    kind: Literal[EVENT_KINDS]  # type: ignore[valid-type]
    kind_basis: str
    metropolis_role: Literal[EVENT_ROLES]  # type: ignore[valid-type]
    role_basis: str
    source2: OptStr = None
    section2: Text = ""
    locator2: Text = ""
    note: Text = ""

    @field_validator("end_date")
    @classmethod
    def _order(cls, value: Optional[dt.date], info) -> Optional[dt.date]:
        start = info.data.get("start_date")
        if value is not None and start is not None and value < start:
            raise ValueError("is before start_date")
        return value


class EventMemberRow(Sourced):
    event_slug: str
    member: str


class EventDeliverableRow(Sourced):
    event_slug: str
    deliverable_code: str


class BilateralRow(Sourced):
    member: str
    month: dt.date
    online: Flag

    @field_validator("month")
    @classmethod
    def _first_of_month(cls, value: dt.date) -> dt.date:
        if value.day != 1:
            raise ValueError("must be the first day of the month")
        return value


class ActivationRow(Sourced):
    member: str
    period_start: dt.date
    period_end: dt.date


class PilotProjectRow(Sourced):
    slug: str
    name: str
    workshops: Text = ""
    ongoing_2020: Flag


class PilotMemberRow(Sourced):
    project: str
    member: str
    role: Literal[PILOT_ROLES]  # type: ignore[valid-type]


class IndicatorRow(Row):
    code: str
    name: str
    unit: str
    topic: str
    description: Text = ""


class IndicatorValueRow(Sourced):
    indicator: str
    scope: Literal[SCOPES]  # type: ignore[valid-type]
    region: OptStr = None
    member: OptStr = None
    year: int
    period_start: dt.date
    period_end: dt.date
    value: float
    qualifier: Annotated[Literal["", "more_than", "almost", "approximately"], BeforeValidator(_none_to_empty)] = ""
    printed: str
    note: Text = ""


class DiscrepancyRow(Sourced):
    code: str
    topic: str
    subject: str
    printed_value: str
    recomputed_value: str
    reading_kept: str
    explanation: str


@dataclass(frozen=True)
class FileSpec:
    file: str
    table: str
    row: type[Row]


# Load order follows the foreign keys.
FILES: tuple[FileSpec, ...] = (
    FileSpec("members.csv", "member", MemberRow),
    FileSpec("member_aliases.csv", "member_alias", AliasRow),
    FileSpec("member_leadership.csv", "member_leadership", LeadershipRow),
    FileSpec("board_seats.csv", "board_seat", BoardSeatRow),
    FileSpec("engagement.csv", "engagement", EngagementRow),
    FileSpec("fee_payments.csv", "fee_payment", FeeRow),
    FileSpec("website_presence.csv", "website_presence", WebsiteRow),
    FileSpec("action_plans.csv", "action_plan", PlanRow),
    FileSpec("plan_items.csv", "plan_item", PlanItemRow),
    FileSpec("status_marks.csv", "status_mark", StatusMarkRow),
    FileSpec("plan_item_statuses.csv", "plan_item_status", PlanStatusRow),
    FileSpec("events.csv", "event", EventRow),
    FileSpec("event_members.csv", "event_member", EventMemberRow),
    FileSpec("event_deliverables.csv", "event_deliverable", EventDeliverableRow),
    FileSpec("bilateral_meetings.csv", "bilateral_meeting", BilateralRow),
    FileSpec("member_activations.csv", "member_activation", ActivationRow),
    FileSpec("pilot_projects.csv", "pilot_project", PilotProjectRow),
    FileSpec("pilot_project_members.csv", "pilot_project_member", PilotMemberRow),
    FileSpec("indicators.csv", "indicator", IndicatorRow),
    FileSpec("indicator_values.csv", "indicator_value", IndicatorValueRow),
    FileSpec("discrepancies.csv", "discrepancy", DiscrepancyRow),
)


# ---- parsing ----------------------------------------------------------------------------------

@dataclass
class ParsedFile:
    spec: FileSpec
    sha256: str
    rows: list[tuple[int, Row]]


@dataclass
class SeedBundle:
    """Every seed file parsed and cross-checked, ready to load."""

    documents: list[dict[str, str]]
    files: dict[str, ParsedFile] = field(default_factory=dict)

    def rows(self, file: str) -> list[tuple[int, Any]]:
        return self.files[file].rows


DOCUMENT_KEYS = ("key", "file", "title", "citation", "publisher", "published", "description", "reading_notes")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_manifest(seed_dir: Path = SEED_DIR) -> dict[str, Any]:
    """Read sources.toml: its documents and its datasets (one per seed file)."""
    path = seed_dir / SOURCES_FILE
    try:
        manifest = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeedError(SOURCES_FILE, None, "file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise SeedError(SOURCES_FILE, None, f"not valid TOML: {err}") from None
    return manifest


def _parse_csv(path: Path, spec: FileSpec) -> list[tuple[int, Row]]:
    expected = list(spec.row.model_fields)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeedError(spec.file, None, "file not found") from None
    except UnicodeDecodeError as err:
        raise SeedError(spec.file, None, f"not UTF-8 text ({err.reason} at byte {err.start})") from None
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise SeedError(spec.file, 1, "empty file: a header row is required") from None
    except csv.Error as err:
        raise SeedError(spec.file, 1, f"malformed CSV: {err}") from None
    if sorted(header) != sorted(expected):
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        raise SeedError(spec.file, 1, f"header does not match: missing {missing}, unexpected {extra}")
    rows: list[tuple[int, Row]] = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise SeedError(spec.file, reader.line_num, f"malformed CSV: {err}") from None
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise SeedError(spec.file, line, f"{len(values)} fields, expected {len(header)}")
        try:
            rows.append((line, spec.row.model_validate(dict(zip(header, values)))))
        except ValidationError as err:
            first = err.errors()[0]
            column = ".".join(str(p) for p in first["loc"]) or "row"
            raise SeedError(spec.file, line, f"column {column!r}: {first['msg']}") from None
    return rows


def parse_seed(seed_dir: Path = SEED_DIR, *, verify_hashes: bool = True) -> SeedBundle:
    """Parse and check every seed file without touching a database; raise SeedError on the first problem."""
    manifest = read_manifest(seed_dir)
    documents = manifest.get("document", [])
    for i, doc in enumerate(documents, 1):
        missing = [k for k in DOCUMENT_KEYS if not str(doc.get(k, "")).strip()]
        if missing:
            raise SeedError(SOURCES_FILE, None, f"document #{i} lacks {missing}")
    datasets = {d.get("file"): d for d in manifest.get("dataset", [])}
    bundle = SeedBundle(documents=documents)
    for spec in FILES:
        entry = datasets.get(spec.file)
        if entry is None:
            raise SeedError(SOURCES_FILE, None, f"no [[dataset]] entry for {spec.file}")
        for key in ("table", "source", "sha256"):
            if not str(entry.get(key, "")).strip():
                raise SeedError(SOURCES_FILE, None, f"[[dataset]] {spec.file} lacks {key!r}")
        if entry["table"] != spec.table:
            raise SeedError(SOURCES_FILE, None, f"[[dataset]] {spec.file} says table {entry['table']!r}, expected {spec.table!r}")
        path = seed_dir / spec.file
        rows = _parse_csv(path, spec)
        digest = sha256_of(path)
        if verify_hashes and digest != entry["sha256"]:
            raise SeedError(spec.file, None, "sha256 does not match sources.toml: the file changed since it was "
                            "reviewed; review it, then run `python -m seed hash` to record the new hash")
        bundle.files[spec.file] = ParsedFile(spec, digest, rows)
    unknown = set(datasets) - {s.file for s in FILES}
    if unknown:
        raise SeedError(SOURCES_FILE, None, f"[[dataset]] entries for unknown files: {sorted(unknown)}")
    _cross_check(bundle)
    return bundle


def _cross_check(bundle: SeedBundle) -> None:
    """Check references between files: member names, sources, plan codes, events, uniqueness."""
    source_keys = {d["key"] for d in bundle.documents}
    members = {}
    for line, row in bundle.rows("members.csv"):
        if row.name in members:
            raise SeedError("members.csv", line, f"duplicate member {row.name!r}")
        members[row.name] = row
    slugs = [r.slug for _, r in bundle.rows("members.csv")]
    if len(set(slugs)) != len(slugs):
        raise SeedError("members.csv", None, "member slugs are not unique")
    plans = {r.code for _, r in bundle.rows("action_plans.csv")}
    plan_codes: dict[tuple[str, str], str] = {}
    for line, row in bundle.rows("plan_items.csv"):
        if row.plan not in plans:
            raise SeedError("plan_items.csv", line, f"unknown plan {row.plan!r}")
        if (row.plan, row.code) in plan_codes:
            raise SeedError("plan_items.csv", line, f"duplicate code {row.code!r} in plan {row.plan}")
        if row.parent is not None and (row.plan, row.parent) not in plan_codes:
            raise SeedError("plan_items.csv", line, f"parent {row.parent!r} must appear before its children")
        plan_codes[(row.plan, row.code)] = row.level
    marks = {r.mark for _, r in bundle.rows("status_marks.csv")}
    events = {r.slug for _, r in bundle.rows("events.csv")}
    if len(events) != len(bundle.rows("events.csv")):
        raise SeedError("events.csv", None, "event slugs are not unique")
    projects = {r.slug for _, r in bundle.rows("pilot_projects.csv")}
    indicators = {r.code for _, r in bundle.rows("indicators.csv")}
    if len(indicators) != len(bundle.rows("indicators.csv")):
        raise SeedError("indicators.csv", None, "indicator codes are not unique")

    def check(file: str, line: int, ok: bool, reason: str) -> None:
        if not ok:
            raise SeedError(file, line, reason)

    for spec in FILES:
        seen: set[tuple] = set()
        # a text longer than its column would load on SQLite but fail on PostgreSQL: refuse it here
        limits = {c.name: c.type.length for c in m.Base.metadata.tables[spec.table].columns
                  if isinstance(c.type, String) and c.type.length and c.name in spec.row.model_fields}
        for line, row in bundle.rows(spec.file):
            for column, limit in limits.items():
                value = getattr(row, column)
                check(spec.file, line, not isinstance(value, str) or len(value) <= limit,
                      f"column {column!r}: {len(value or '')} characters, at most {limit}")
            if isinstance(row, Sourced):
                check(spec.file, line, row.source in source_keys, f"unknown source {row.source!r}; known: {sorted(source_keys)}")
            if hasattr(row, "member") and row.member is not None:
                check(spec.file, line, row.member in members, f"unknown member {row.member!r} (use the name of members.csv)")
            if hasattr(row, "source2") and row.source2 is not None:
                check(spec.file, line, row.source2 in source_keys, f"unknown source2 {row.source2!r}")
            key = _unique_key(spec.file, row)
            if key is not None:
                check(spec.file, line, key not in seen, f"duplicate row for {key}")
                seen.add(key)
            if spec.file == "plan_item_statuses.csv":
                check(spec.file, line, (row.plan, row.code) in plan_codes, f"unknown plan item {row.plan} {row.code}")
                check(spec.file, line, row.mark is None or row.mark in marks, f"unknown mark {row.mark!r}")
            elif spec.file in ("event_members.csv", "event_deliverables.csv"):
                check(spec.file, line, row.event_slug in events, f"unknown event {row.event_slug!r}")
                if spec.file == "event_deliverables.csv":
                    check(spec.file, line, plan_codes.get(("2018-2020", row.deliverable_code)) == "deliverable",
                          f"unknown 2018-2020 deliverable {row.deliverable_code!r}")
            elif spec.file == "pilot_project_members.csv":
                check(spec.file, line, row.project in projects, f"unknown pilot project {row.project!r}")
            elif spec.file == "indicator_values.csv":
                check(spec.file, line, row.indicator in indicators, f"unknown indicator {row.indicator!r}")
                check(spec.file, line, row.period_end > row.period_start, "period_end must be after period_start")
                target_ok = {
                    "network": row.region is None and row.member is None,
                    "region": row.region in REGIONS and row.member is None,
                    "member": row.member is not None and row.region is None,
                }[row.scope]
                check(spec.file, line, target_ok, f"scope {row.scope!r} needs {'a region' if row.scope == 'region' else 'a member' if row.scope == 'member' else 'no region and no member'}")
            elif spec.file in UNKNOWN_ALLOWED:
                unknown = [c for c in UNKNOWN_ALLOWED[spec.file] if getattr(row, c) is None]
                check(spec.file, line, not unknown or bool(row.note),
                      f"empty (unknown) cells {unknown} need a note saying why they cannot be read")
            elif spec.file == "member_activations.csv":
                check(spec.file, line, row.period_end > row.period_start, "period_end must be after period_start")
            elif spec.file == "member_aliases.csv":
                check(spec.file, line, row.alias not in members, f"alias {row.alias!r} is already a member name")


def _unique_key(file: str, row: Any) -> tuple | None:
    return {
        "member_aliases.csv": lambda r: (r.alias.casefold(),),
        "member_leadership.csv": lambda r: (r.member, r.as_of),
        "engagement.csv": lambda r: (r.member, r.year),
        "fee_payments.csv": lambda r: (r.member, r.fee_year),
        "website_presence.csv": lambda r: (r.member, r.year),
        "plan_item_statuses.csv": lambda r: (r.plan, r.code, r.year),
        "event_members.csv": lambda r: (r.event_slug, r.member),
        "event_deliverables.csv": lambda r: (r.event_slug, r.deliverable_code),
        "member_activations.csv": lambda r: (r.member, r.period_start),
        "pilot_project_members.csv": lambda r: (r.project, r.member),
        "discrepancies.csv": lambda r: (r.code,),
        "status_marks.csv": lambda r: (r.mark,),
        "action_plans.csv": lambda r: (r.code,),
        "pilot_projects.csv": lambda r: (r.slug,),
    }.get(file, lambda r: None)(row)


# ---- loading ----------------------------------------------------------------------------------

def is_seeded(session: Session) -> bool:
    """Return True when the store already holds a loaded seed."""
    return session.scalar(select(func.count()).select_from(m.Dataset)) > 0


def changed_files(session: Session, bundle: SeedBundle) -> list[str]:
    """Return the seed files whose hash differs from the one recorded when the store was seeded."""
    loaded = dict(session.execute(select(m.Dataset.file, m.Dataset.sha256)).all())
    return sorted(f for f, p in bundle.files.items() if loaded.get(f) != p.sha256)


def load_bundle(session: Session, bundle: SeedBundle) -> dict[str, int]:
    """Insert every row of `bundle` through `session` (the caller owns the transaction); return row counts."""
    sources = {}
    for doc in bundle.documents:
        obj = m.Source(**{k: str(doc[k]).strip() for k in DOCUMENT_KEYS})
        session.add(obj)
        sources[doc["key"]] = obj
    regions = {}
    for position, name in enumerate(REGIONS, 1):
        obj = m.Region(name=name, slug=slugify(name), position=position)
        session.add(obj)
        regions[name] = obj
    session.flush()

    def prov(row: Sourced) -> dict[str, Any]:
        return {"source_id": sources[row.source].id, "section": row.section, "locator": row.locator}

    def add_all(file: str, build: Callable[[Any], m.Base]) -> list[m.Base]:
        objs = [build(row) for _, row in bundle.rows(file)]
        session.add_all(objs)
        session.flush()
        return objs

    members = {o.name: o for o in add_all("members.csv", lambda r: m.Member(
        name=r.name, slug=r.slug, official_name=r.official_name, region_id=regions[r.region].id,
        region_ref=r.region_ref, country=r.country, country_code=r.country_code, latitude=r.latitude,
        longitude=r.longitude, coord_source=r.coord_source, coord_note=r.coord_note, member_since=r.member_since,
        member_since_ref=r.member_since_ref, honorary=r.honorary, note=r.note, **prov(r)))}
    mid = lambda name: members[name].id  # noqa: E731
    add_all("member_aliases.csv", lambda r: m.MemberAlias(member_id=mid(r.member), alias=r.alias, **prov(r)))
    add_all("member_leadership.csv", lambda r: m.MemberLeadership(
        member_id=mid(r.member), as_of=r.as_of, governed_by_woman=r.governed_by_woman, **prov(r)))
    add_all("board_seats.csv", lambda r: m.BoardSeat(
        mandate=r.mandate, member_id=mid(r.member) if r.member else None, region_id=regions[r.region].id,
        position=r.position, holder=r.holder, title=r.title, note=r.note, **prov(r)))
    add_all("engagement.csv", lambda r: m.Engagement(
        member_id=mid(r.member), year=r.year, activated=r.activated, board_meetings=r.board_meetings,
        annual_meeting=r.annual_meeting, bilateral_meetings=r.bilateral_meetings, pilot_role=r.pilot_role,
        pilot_projects=r.pilot_projects, indicators_year=r.indicators_year, learning_activities=r.learning_activities,
        wmd_organiser=r.wmd_organiser, wmd_participation=r.wmd_participation, call_endorsement=r.call_endorsement,
        note=r.note, **prov(r)))
    add_all("fee_payments.csv", lambda r: m.FeePayment(
        member_id=mid(r.member), fee_year=r.fee_year, paid=r.paid, amount_eur=r.amount_eur, note=r.note, **prov(r)))
    add_all("website_presence.csv", lambda r: m.WebsitePresence(
        member_id=mid(r.member), year=r.year, news=r.news, library_publications=r.library_publications,
        publication_mentions=r.publication_mentions, use_cases=r.use_cases, c4gh_initiatives=r.c4gh_initiatives,
        note=r.note, **prov(r)))
    plans = {o.code: o for o in add_all("action_plans.csv", lambda r: m.ActionPlan(
        code=r.code, title=r.title, start_year=r.start_year, end_year=r.end_year, **prov(r)))}
    items: dict[tuple[str, str], m.PlanItem] = {}
    for _, r in bundle.rows("plan_items.csv"):  # one by one: a child needs its parent's id
        obj = m.PlanItem(plan_id=plans[r.plan].id, parent_id=items[(r.plan, r.parent)].id if r.parent else None,
                         level=r.level, code=r.code, title=r.title, position=r.position,
                         code_printed=r.code_printed, note=r.note, **prov(r))
        session.add(obj)
        session.flush()
        items[(r.plan, r.code)] = obj
    marks = {o.mark: o for o in add_all("status_marks.csv", lambda r: m.StatusMark(
        mark=r.mark, glyphs=r.glyphs, status=r.status, reading=r.reading, evidence=r.evidence))}
    add_all("plan_item_statuses.csv", lambda r: m.PlanItemStatus(
        plan_item_id=items[(r.plan, r.code)].id, year=r.year, status=r.status,
        mark_id=marks[r.mark].id if r.mark else None, printed=r.printed, comment=r.comment, **prov(r)))
    events = {o.slug: o for o in add_all("events.csv", lambda r: m.Event(
        slug=r.slug, title=r.title, start_date=r.start_date, end_date=r.end_date, location=r.location,
        online=r.online, kind=r.kind, kind_basis=r.kind_basis, metropolis_role=r.metropolis_role,
        role_basis=r.role_basis, also_source_id=sources[r.source2].id if r.source2 else None,
        also_section=r.section2, also_locator=r.locator2, note=r.note, **prov(r)))}
    add_all("event_members.csv", lambda r: m.EventMember(
        event_id=events[r.event_slug].id, member_id=mid(r.member), **prov(r)))
    add_all("event_deliverables.csv", lambda r: m.EventDeliverable(
        event_id=events[r.event_slug].id, plan_item_id=items[("2018-2020", r.deliverable_code)].id, **prov(r)))
    add_all("bilateral_meetings.csv", lambda r: m.BilateralMeeting(
        member_id=mid(r.member), month=r.month, online=r.online, **prov(r)))
    add_all("member_activations.csv", lambda r: m.MemberActivation(
        member_id=mid(r.member), period_start=r.period_start, period_end=r.period_end, **prov(r)))
    projects = {o.slug: o for o in add_all("pilot_projects.csv", lambda r: m.PilotProject(
        slug=r.slug, name=r.name, workshops=r.workshops, ongoing_2020=r.ongoing_2020, **prov(r)))}
    add_all("pilot_project_members.csv", lambda r: m.PilotProjectMember(
        project_id=projects[r.project].id, member_id=mid(r.member), role=r.role, **prov(r)))
    indicators = {o.code: o for o in add_all("indicators.csv", lambda r: m.Indicator(
        code=r.code, name=r.name, unit=r.unit, topic=r.topic, description=r.description))}
    add_all("indicator_values.csv", lambda r: m.IndicatorValue(
        indicator_id=indicators[r.indicator].id, scope=r.scope,
        region_id=regions[r.region].id if r.region else None, member_id=mid(r.member) if r.member else None,
        year=r.year, period_start=r.period_start, period_end=r.period_end, value=r.value, qualifier=r.qualifier,
        printed=r.printed, note=r.note, **prov(r)))
    add_all("discrepancies.csv", lambda r: m.Discrepancy(
        code=r.code, topic=r.topic, subject=r.subject, printed_value=r.printed_value,
        recomputed_value=r.recomputed_value, reading_kept=r.reading_kept, explanation=r.explanation, **prov(r)))
    now = dt.datetime.now(dt.UTC)
    session.add_all(m.Dataset(file=p.spec.file, table_name=p.spec.table, sha256=p.sha256, rows=len(p.rows),
                              loaded_at=now) for p in bundle.files.values())
    bump_data_version(session, now=now)
    session.flush()
    return {p.spec.table: len(p.rows) for p in bundle.files.values()}


def iter_provenance_rows(bundle: SeedBundle) -> Iterable[tuple[str, int, Sourced]]:
    """Yield (file, line, row) for every row that carries provenance."""
    for file, parsed in bundle.files.items():
        for line, row in parsed.rows:
            if isinstance(row, Sourced):
                yield file, line, row


# ---- one-transaction init -----------------------------------------------------------------------

@dataclass(frozen=True)
class InitResult:
    seeded: bool
    counts: dict[str, int]
    changed_files: list[str]


def init_store(engine, seed_dir: Path = SEED_DIR) -> InitResult:
    """Migrate the database of `engine` to head and, if it holds no seed yet, load the seed files.

    Runs as one transaction (an advisory lock on PostgreSQL, an immediate write lock on SQLite, so
    concurrent starts do not race). Files are parsed and checked first; on any error nothing is written.
    A store seeded earlier is left unchanged; seed files edited since then are reported, not reloaded.
    """
    bundle = parse_seed(seed_dir)
    with engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(8050141)")
            upgrade(conn)
            session = Session(bind=conn)
            try:
                if is_seeded(session):
                    changed = changed_files(session, bundle)
                    if changed:
                        logger.warning("seed files changed since the store was seeded (not reloaded): %s", changed)
                    return InitResult(seeded=False, counts={}, changed_files=changed)
                counts = load_bundle(session, bundle)
            finally:
                session.close()
    logger.info("seeded the store: %d rows in %d tables", sum(counts.values()), len(counts))
    return InitResult(seeded=True, counts=counts, changed_files=[])
