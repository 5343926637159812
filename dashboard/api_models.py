"""What /api/v1 accepts and answers, as pydantic models: each read endpoint's query parameters (parsed by the
functions of dashboard/validation.py against the values the store holds), the rows and bodies it answers, and the
error bodies. The same models validate the requests and make the OpenAPI description (dashboard/openapi.py)."""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any, ClassVar, Generic, Literal, Optional, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.fields import FieldInfo
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from dashboard.i18n import CANDIDATE_LOCALES, _
from dashboard.validation import (
    InvalidInput,
    parse_choice,
    parse_choices,
    parse_lang,
    parse_regions,
    parse_year,
    reject_unknown,
    text_value,
)
from db.queries import indicators, provenance
from db.queries.common import available_years, plan_codes, region_names
from db.reference import EVENT_KINDS, SCOPES

FORMATS = ("json", "csv")


class Allowed:
    """Marks a parameter whose valid values the store holds (`key` names them in Choices.allowed)."""

    def __init__(self, key: str):
        self.key = key


class Choices:
    """The values the store allows for each parameter, read at most once per request from `session`."""

    def __init__(self, session: Session):
        self.session = session

    @functools.cached_property
    def regions(self) -> list[str]:
        return region_names(self.session)

    @functools.cached_property
    def years(self) -> list[int]:
        return available_years(self.session)

    @functools.cached_property
    def plans(self) -> list[str]:
        return plan_codes(self.session)

    @functools.cached_property
    def _indicators(self):
        return indicators.indicator_values(self.session)

    @functools.cached_property
    def indicator_topics(self) -> list[str]:
        return sorted(self._indicators["topic"].unique())

    @functools.cached_property
    def indicator_codes(self) -> list[str]:
        return sorted(self._indicators["code"].unique())

    @functools.cached_property
    def discrepancy_topics(self) -> list[str]:
        return sorted(provenance.discrepancies_table(self.session)["topic"].unique())

    def allowed(self, key: str) -> list:
        """The values a parameter marked Allowed(key) accepts (regions: names, slugs and 'all')."""
        if key == "regions":
            slugs = [re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") for name in self.regions]
            return list(dict.fromkeys([*self.regions, *slugs, "all"]))
        if key == "locales":
            return list(CANDIDATE_LOCALES)
        return list(getattr(self, key))


def _parsed(parse):
    """A validator running `parse(raw, choices)` (a dashboard.validation parser) on the raw query value."""
    return BeforeValidator(lambda raw, info: parse(raw, info.context))


Format = Annotated[Literal[FORMATS], _parsed(lambda raw, c: parse_choice("format", raw, FORMATS, default="json")),  # type: ignore[valid-type]
                   Field(description="json (default): {meta, data}; csv: the same rows as CSV under '#' lines.")]
Lang = Annotated[Optional[str], Allowed("locales"), _parsed(lambda raw, _choices: parse_lang(raw)),
                 Field(description="Language of the titles and messages (else the browser's, else English; a "
                                   "language not translated yet answers in English).")]
Regions = Annotated[Optional[list[str]], Allowed("regions"), _parsed(lambda raw, c: parse_regions(raw, c.regions)),
                    Field(description="Regions by name or slug, any case; repeat it or separate with commas; "
                                      "all (the default) for every region.")]
Year = Annotated[Optional[int], Allowed("years"), _parsed(lambda raw, c: parse_year(raw, c.years)),
                 Field(description="A year the store holds (default: the latest).")]
OptionalYear = Annotated[Optional[int], Allowed("years"), _parsed(lambda raw, c: parse_year(raw, c.years)),
                         Field(description="A year the store holds (default: every year).")]
AsOf = Annotated[Optional[str], _parsed(lambda raw, _choices: text_value(raw, limit=80) or None),
                 Field(description="A Board meeting (its slug, e.g. 2021-03-12, from /meetings): the answer as the "
                                   "store stood when the meeting was recorded (404 for an unknown meeting).")]


class BaseQuery(BaseModel):
    """Query parameters: each field is one, validated by a dashboard.validation parser (unknown names refused)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    empty_means_default: ClassVar[bool] = True  # the parsers read a blank value as the parameter left out

    lang: Lang = None
    as_of: AsOf = None

    @classmethod
    def repeatable(cls, name: str) -> bool:
        """Whether the parameter is a list (repeated or comma-separated)."""
        return "list[" in str(cls.model_fields[name].annotation)

    def filters(self, **resolved: object) -> dict[str, object]:
        """What this query selects, by parameter name in the model's order (format and lang say how to answer,
        not what), with `resolved` values (the year a missing `year` stood for) in place: an answer's meta."""
        return {name: resolved.get(name, getattr(self, name)) for name in type(self).model_fields
                if name not in ("format", "lang")}

    @classmethod
    def parse(cls, args: MultiDict, choices: Choices):
        """Validate the query string `args`; raise InvalidInput naming the first bad parameter and its valid values."""
        reject_unknown(args, cls.model_fields)
        raw = {name: args.getlist(name) if cls.repeatable(name) else args.get(name) for name in args}
        try:
            return cls.model_validate(raw, context=choices)
        except ValidationError as err:
            raise _invalid_input(err) from None


def _invalid_input(err: ValidationError) -> InvalidInput:
    """The InvalidInput a parser raised inside the validation, or one made from pydantic's first error."""
    first = err.errors()[0]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, InvalidInput):
        return cause
    name = str(first["loc"][0]) if first["loc"] else "query"
    return InvalidInput(name, _("The value of '%(parameter)s' cannot be used.", parameter=name))


class Query(BaseQuery):
    """The query parameters every data endpoint accepts; subclasses add their own."""

    format: Format = "json"


class IndexQuery(BaseQuery):
    """The index takes only the language."""


class MembersQuery(Query):
    region: Regions = None


class YearRegionsQuery(Query):
    region: Regions = None
    year: Year = None


class EventsQuery(YearRegionsQuery):
    kind: Annotated[Optional[list[Literal[EVENT_KINDS]]], _parsed(lambda raw, c: parse_choices("kind", raw, EVENT_KINDS)),  # type: ignore[valid-type]
                    Field(description="Event kinds; repeat it or separate with commas (default: every kind).")] = None


class ActionPlanQuery(Query):
    plan: Annotated[Optional[str], Allowed("plans"), _parsed(lambda raw, c: parse_choice("plan", raw, c.plans)),
                    Field(description="One action plan (default: every plan).")] = None
    year: OptionalYear = None


class IndicatorsQuery(Query):
    scope: Annotated[Optional[Literal[SCOPES]], _parsed(lambda raw, c: parse_choice("scope", raw, SCOPES)),  # type: ignore[valid-type]
                     Field(description="Network, region or member values (default: all).")] = None
    year: OptionalYear = None
    topic: Annotated[Optional[str], Allowed("indicator_topics"),
                     _parsed(lambda raw, c: parse_choice("topic", raw, c.indicator_topics)),
                     Field(description="One topic (default: every topic).")] = None
    code: Annotated[Optional[list[str]], Allowed("indicator_codes"),
                    _parsed(lambda raw, c: parse_choices("code", raw, c.indicator_codes)),
                    Field(description="Indicator codes; repeat it or separate with commas.")] = None
    region: Regions = None


class DiscrepanciesQuery(Query):
    topic: Annotated[Optional[str], Allowed("discrepancy_topics"),
                     _parsed(lambda raw, c: parse_choice("topic", raw, c.discrepancy_topics)),
                     Field(description="One topic (default: every topic).")] = None


class YearQuery(Query):
    year: Year = None


class MeetingsQuery(Query):
    """The list of Board meetings takes the common parameters only (with `as_of`: the meetings recorded up to it)."""


class MeetingQuery(BaseQuery):
    """One Board meeting takes the language only (and `as_of`, as every endpoint)."""


def allowed_key(field: FieldInfo) -> str | None:
    """The Choices key of a field marked Allowed, else None."""
    return next((item.key for item in field.metadata if isinstance(item, Allowed)), None)


# ---- answers ------------------------------------------------------------------------------------

class Row(BaseModel):
    """One row of an answer (documentation only: rows are built from the queries' frames)."""

    model_config = ConfigDict(extra="forbid")


Text = Optional[str]


class MemberRow(Row):
    name: str
    slug: str
    official_name: Text = None
    region: str
    country: Text = None
    country_code: Text = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    coord_source: Text = None
    coord_note: Text = None
    honorary: bool
    new_member: bool
    member_since: Optional[int] = None
    governed_by_woman: Optional[bool] = None
    governed_by_woman_as_of: Text = Field(None, description="ISO date")
    aliases: list[str]
    source: Text = None
    source_document: Text = None
    source_section: Text = None
    source_locator: Text = None


class EngagementRow(Row):
    member: str
    slug: str
    region: str
    year: int
    activated: Optional[bool] = None
    fee_paid: Optional[bool] = Field(None, description="null for anonymous visitors (fees are never public)")
    board_meetings: Optional[int] = None
    annual_meeting: Optional[bool] = None
    bilateral_meetings: Optional[int] = None
    pilot_project: Text = None
    pilot_projects: Optional[int] = None
    indicators_year: Optional[int] = None
    learning_activities: Optional[int] = None
    wmd_organiser: Optional[int] = None
    wmd_participation: Optional[int] = None
    call_endorsement: Optional[bool] = None
    unknown_cells: str = Field("", description="the columns of the row the report prints unreadably (unknown, "
                                                "not 0), comma-separated; fee_paid only for signed-in users")
    note: Text = None
    source: Text = None
    source_document: Text = None
    source_section: Text = None
    source_locator: Text = None


class WebsiteRow(Row):
    member: str
    slug: str
    region: str
    year: int
    news: Optional[int] = None
    library_publications: Optional[int] = None
    publication_mentions: Optional[int] = None
    use_cases: Optional[int] = None
    c4gh_initiatives: Optional[int] = None
    note: Text = None
    source: Text = None
    source_document: Text = None
    source_section: Text = None
    source_locator: Text = None


class EventRow(Row):
    slug: str
    title: str
    start_date: str = Field(description="ISO date")
    end_date: Text = Field(None, description="ISO date")
    location: Text = None
    online: Optional[bool] = None
    kind: str
    metropolis_role: Text = None
    members: list[str]
    member_count: int
    deliverables: list[str]
    kind_basis: Text = None
    role_basis: Text = None
    note: Text = None
    source: Text = None
    source_document: Text = None
    source_section: Text = None
    source_locator: Text = None


class PlanRow(Row):
    plan: str
    code: str
    level: str
    line: Text = None
    measure: Text = None
    axis: Text = None
    parent: Text = None
    title: Text = None
    status: Text = None
    mark: Text = None
    printed: Text = None
    status_year: Optional[int] = None
    code_printed: Optional[bool] = None
    note: Text = None
    source: Text = None
    source_document: Text = None
    source_section: Text = None
    source_locator: Text = None


class IndicatorRow(Row):
    code: str
    name: Text = None
    unit: Text = None
    topic: Text = None
    scope: str
    region: Text = None
    member: Text = None
    year: Optional[int] = None
    period_start: Text = None
    period_end: Text = None
    value: Optional[float] = None
    qualifier: Text = None
    printed: Text = None
    note: Text = None
    source: Text = None
    source_document: Text = None
    source_section: Text = None
    source_locator: Text = None


class DiscrepancyRow(Row):
    code: str
    topic: Text = None
    subject: Text = None
    printed_value: Text = None
    recomputed_value: Text = None
    reading_kept: Text = None
    explanation: Text = None
    source: Text = None
    source_document: Text = None
    source_section: Text = None
    source_locator: Text = None


class ReconciliationRow(Row):
    code: str
    label: Text = None
    printed: Optional[float] = None
    period_start: Text = Field(None, description="ISO date: the start of the period the printed figure covers")
    period_end: Text = Field(None, description="ISO date: the end of that period (excluded)")
    recomputed: Optional[float] = Field(None, description="recomputed from the rows' known cells")
    unknown: int = Field(0, description="cells the recomputation could not read (unreadable in the report)")
    recomputed_text: Text = Field(None, description="both read out, e.g. '77 known + 1 unknown'")
    rule: Text = None
    status: str
    discrepancy: Text = None
    basis: Text = None


class SourceRow(Row):
    key: str
    file: Text = None
    title: Text = None
    citation: Text = None
    publisher: Text = None
    published: Text = None
    description: Text = None
    reading_notes: Text = None


class MeetingRow(Row):
    slug: str = Field(description="what `as_of` takes, e.g. 2021-03-12")
    name: str
    held_on: str = Field(description="ISO date of the meeting")
    note: Text = None
    recorded_by: str = Field(description="who recorded it (role and name)")
    frozen_at: str = Field(description="ISO date-time: when the store was frozen for it")
    data_version: int = Field(description="the data version it froze")
    as_presented: str = Field(description="the overview as presented to the Board (every page, export and API "
                                          "address takes the same `as_of`)")
    changes: str = Field(description="the page of what changed since the meeting")


class MeetingAnswer(BaseModel):
    """One Board meeting."""

    data: MeetingRow


class MeetingInput(BaseModel):
    """A Board meeting to record (the Secretariat): the store is frozen as it stands when it is recorded."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200)]
    held_on: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", json_schema_extra={"format": "date"},
                                  description="the meeting's date, YYYY-MM-DD")]
    note: Annotated[str, Field(max_length=2000)] = ""


class MeetingRecorded(BaseModel):
    """A Board meeting recorded: its slug (what `as_of` takes) and the data version it froze."""

    slug: str
    data_version: int
    change_set: str


class Meta(BaseModel):
    title: str
    count: int
    filters: str
    source_note: str
    data_as_of: Text = Field(None, description="when the store last changed (ISO date-time)")
    url: str


RowT = TypeVar("RowT", bound=Row)


class Listing(BaseModel, Generic[RowT]):
    """A JSON answer: what was asked (meta) and the rows."""

    meta: Meta
    data: list[RowT]


class EndpointInfo(BaseModel):
    url: str
    parameters: list[str]
    description: str


class Index(BaseModel):
    endpoints: list[EndpointInfo]
    formats: list[str]
    event_kinds: list[str]
    scopes: list[str]
    regions: list[str]
    years: list[int]
    plans: list[str]


class ErrorDetail(BaseModel):
    status: int
    message: str = Field(description="for the user, in their language")
    parameter: Text = Field(None, description="the query parameter that could not be used")
    valid: Optional[list[str]] = Field(None, description="the values that parameter accepts")
    fields: Optional[dict[str, str]] = Field(None, description="a message per invalid field of a body")


class ErrorBody(BaseModel):
    """Every error answer of /api/v1."""

    error: ErrorDetail


def error_body(status: int, message: str, **extra: Any) -> dict:
    """The JSON of an error answer (ErrorBody), without the details that do not apply."""
    return ErrorBody(error=ErrorDetail(status=status, message=message, **extra)).model_dump(exclude_none=True)


# ---- the write endpoints' answers and query parameters ------------------------------------------

class Version(BaseModel):
    version: int = Field(description="bumped by every write")
    changed_at: Text = Field(None, description="ISO date-time of the last write")


class Written(BaseModel):
    """A write done: its change set (in the audit log)."""

    change_set: str
    slug: Text = Field(None, description="the new event's address (events only)")


class Reverted(BaseModel):
    change_set: str = Field(description="the revert's own change set")
    reverted: str = Field(description="the change set undone")


class ImportLine(BaseModel):
    line: int = Field(description="as a spreadsheet shows it (the header is line 1)")
    ok: bool
    message: str


class ImportAnswer(BaseModel):
    kind: str
    rows: int
    problems: list[ImportLine]
    preview: list[ImportLine] = Field(description="the first 200 rows")
    committed: bool
    change_set: Text = None


class AuditRow(BaseModel):
    id: int
    change_set: str
    at: str = Field(description="ISO date-time")
    user_label: str
    action: str
    table_name: str
    row_id: Optional[int] = None
    member: str
    summary: str
    before: Text = Field(None, description="the row before, as JSON")
    after: Text = Field(None, description="the row after, as JSON")
    reverted_by: Text = None


class AuditLog(BaseModel):
    data: list[AuditRow]


class WriteQuery(BaseModel):
    """Query parameters of a write endpoint: a bad one answers 400 with a message per parameter (as fields)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ChangesQuery(WriteQuery):
    member: Annotated[Optional[str], Field(max_length=120, description="a member's slug: its history only")] = None
    limit: Annotated[int, Field(ge=1, le=5000, description="at most this many entries, newest first")] = 500


class ImportQuery(WriteQuery):
    mode: Annotated[Literal["preview", "commit"], Field(
        description="preview: check every row and list the problems; commit: write every row or none")] = "preview"


class PackFile(BaseModel):
    """One file of a Board pack and the job making it."""

    kind: Literal["deck", "pdf", "csv"] = Field(description="deck: every page's slides (.pptx); pdf: the printed "
                                                            "pages; csv: a zip of every chart's CSV with a README")
    status: Literal["missing", "queued", "running", "done", "failed", "stalled"] = Field(
        description="missing: never made; stalled: its job stopped answering (start the pack again)")
    progress: int = Field(description="steps done (slides, printed pages, CSV files)")
    total: int = Field(description="steps in all (0 until the file's making begins)")
    filename: str
    size: Optional[int] = Field(None, description="bytes, once made")
    error: str = Field(description="why it failed (empty otherwise)")
    started_at: Text = Field(None, description="ISO date-time")
    finished_at: Text = Field(None, description="ISO date-time")
    download: Text = Field(None, description="its address, once made (signed-in users)")
    media_type: str


class PackStatus(BaseModel):
    """A meeting's Board pack: its three files; `started` says whether this request started the job."""

    meeting: str
    started: bool = False
    running: bool = Field(description="a job is making some of it")
    files: list[PackFile]
