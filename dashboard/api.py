"""Read-only data API under /api/v1: JSON by default, CSV with ?format=csv; bad input answers 400. Each endpoint's
parameters and rows are pydantic models (dashboard/api_models.py) that also make /api/v1/openapi.json."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
from collections.abc import Callable, Sequence

import pandas as pd
from flask import Blueprint, Response, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from dashboard import openapi, urls
from dashboard.api_models import (
    FORMATS,
    ActionPlanQuery,
    BaseQuery,
    Choices,
    DiscrepanciesQuery,
    DiscrepancyRow,
    EngagementRow,
    EventRow,
    EventsQuery,
    Index,
    IndexQuery,
    IndicatorRow,
    IndicatorsQuery,
    Listing,
    MeetingAnswer,
    MeetingQuery,
    MeetingRow,
    MeetingsQuery,
    MemberRow,
    MembersQuery,
    PlanRow,
    Query,
    ReconciliationRow,
    Row,
    SourceRow,
    WebsiteRow,
    YearQuery,
    YearRegionsQuery,
)
from dashboard.auth import fees_visible
from dashboard.health import DATABASE_UNREACHABLE, database_unreachable
from dashboard.i18n import _, current_locale
from dashboard.responses import csv_response, csv_text, json_error
from dashboard.urls import current_url
from dashboard.validation import InvalidInput
from db import asof
from db.queries import action_plan, engagement, events, indicators, meetings, members, provenance, reconciliation
from db.queries.common import available_years, plan_codes, region_names, year_choices
from db.reference import EVENT_KINDS, SCOPES
from db.session import Session

logger = logging.getLogger(__name__)

api = Blueprint("api", __name__, url_prefix=openapi.API_PREFIX)

LIST_FIELDS = {"aliases", "members", "deliverables"}


# ---- helpers ----------------------------------------------------------------------------------

def _plain(value):
    """Convert a pandas/numpy value to a JSON-ready Python value."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def _records(df: pd.DataFrame, fields: Sequence[str]) -> list[dict]:
    rows = []
    for raw in df[list(fields)].to_dict(orient="records"):
        row = {k: _plain(v) for k, v in raw.items()}
        for key in LIST_FIELDS & row.keys():
            row[key] = [x for x in (row[key] or "").split("; ") if x]
        rows.append(row)
    return rows


def _csv_response(rows: list[dict], fields: Sequence[str], name: str, meta: dict) -> Response:
    meta = {key: meta.get(key) for key in ("title", "filters", "source_note", "data_as_of", "url")}
    return csv_response(csv_text(rows, fields, meta), filename=f"{name}.csv")


def _respond(df: pd.DataFrame, fields: Sequence[str], *, name: str, title: str, fmt: str,
             filters: dict) -> Response:
    rows = _records(df, fields)
    with Session() as session:
        loaded = provenance.last_change(session)
    described = ", ".join(f"{k}={'; '.join(map(str, v)) if isinstance(v, list) else v}"
                          for k, v in filters.items() if v not in (None, [], ""))
    meta = {"title": title, "count": len(rows), "filters": described or _("none"),
            "source_note": _("Each row names its document, section and line in its source fields."),
            "data_as_of": loaded.isoformat() if loaded else None,
            "url": current_url()}
    if fmt == "csv":
        return _csv_response(rows, fields, name, meta)
    return jsonify({"meta": meta, "data": rows})


def read(rule: str, *, query: type[BaseQuery], rows: type[Row] | None = None, answer: type | None = None):
    """Route a GET endpoint at `rule` that takes its query parameters as the validated `query` model (unknown
    names and bad values answer 400 naming the parameter and its valid values) and answers a listing of `rows`
    (JSON, or CSV with ?format=csv) or `answer`; the same models describe it in /api/v1/openapi.json."""
    def decorate(func: Callable[..., Response]) -> Callable[[], Response]:
        @functools.wraps(func)
        def wrapper() -> Response:
            try:
                with Session() as session:
                    params = query.parse(request.args, Choices(session))
                return func(params)
            except InvalidInput as err:
                return json_error(400, err.message, parameter=err.parameter, valid=err.valid)

        summary, description = openapi.summary_and_description(func)
        openapi.register(openapi.Operation(
            method="GET", rule=rule, summary=summary, description=description, query=query,
            ok={200: Listing[rows] if rows is not None else answer}, csv=rows is not None))
        api.get(rule)(wrapper)
        return wrapper
    return decorate


def fields_of(rows: type[Row]) -> list[str]:
    """The columns of an answer, in order: the fields of its row model."""
    return list(rows.model_fields)



def _latest(year: int | None, session) -> int:
    """The year asked for, else the default year (db.queries.years: the latest reported year, until a year in
    progress has enough records)."""
    return year if year is not None else year_choices(session)[1]


# ---- endpoints --------------------------------------------------------------------------------

@read("/members", query=MembersQuery, rows=MemberRow)
def members_endpoint(q: MembersQuery) -> Response:
    """Every member (and the honorary member), with official name, region, location, flags and aliases."""
    with Session() as session:
        latest = year_choices(session)[1]
        df = members.member_list(session, regions=q.region)
    df["new_member"] = df["member_since"].map(lambda y: bool(y == latest) if pd.notna(y) else False)
    df["member_since"] = df["member_since"].astype("Int64")
    return _respond(df, fields_of(MemberRow), name="members", title=_("Members"), fmt=q.format,
                    filters=q.filters())


@read("/engagement", query=YearRegionsQuery, rows=EngagementRow)
def engagement_endpoint(q: YearRegionsQuery) -> Response:
    """Engagement of each member in a year (annual report section 4.1)."""
    with Session() as session:
        year = _latest(q.year, session)
        # a member's fee payments are never public: signed-in users only (fee_paid is null otherwise)
        df = engagement.engagement_by_member(session, year=year, regions=q.region, include_fees=fees_visible())
    df["indicators_year"] = df["indicators_year"].astype("Int64")
    return _respond(df, fields_of(EngagementRow), name=f"engagement-{year}", title=_("Engagement of the members"),
                    fmt=q.format, filters=q.filters(year=year))


@read("/website-mentions", query=YearRegionsQuery, rows=WebsiteRow)
def website_mentions_endpoint(q: YearRegionsQuery) -> Response:
    """Presence of each member on the Metropolis website in a year (annual report section 4.2)."""
    with Session() as session:
        year = _latest(q.year, session)
        df = engagement.website_presence_by_member(session, year=year, regions=q.region)
    return _respond(df, fields_of(WebsiteRow), name=f"website-mentions-{year}", title=_("Members on the website"),
                    fmt=q.format, filters=q.filters(year=year))


@read("/events", query=EventsQuery, rows=EventRow)
def events_endpoint(q: EventsQuery) -> Response:
    """Events of a year with activated members and deliverables; `region` keeps events that activated a
    member of the region; `kind` filters by kind."""
    with Session() as session:
        year = _latest(q.year, session)
        df = events.events_in_year(session, year=year, regions=q.region, kinds=q.kind)
    return _respond(df, fields_of(EventRow), name=f"events-{year}", title=_("Events"), fmt=q.format,
                    filters=q.filters(year=year))


@read("/action-plan", query=ActionPlanQuery, rows=PlanRow)
def action_plan_endpoint(q: ActionPlanQuery) -> Response:
    """Items of the action plans with their implementation status (all plans unless `plan` is given)."""
    with Session() as session:
        frames = []
        for code in [q.plan] if q.plan else plan_codes(session):
            df = action_plan.plan_items(session, plan=code, year=q.year)
            frames.append(df.assign(plan=code))
    df = pd.concat(frames, ignore_index=True)
    df["measure"] = df.apply(lambda r: r["parent"] if r["level"] == "deliverable" else
                             (r["code"] if r["level"] == "measure" else ""), axis=1)
    df["axis"] = df.apply(lambda r: r["parent"] if r["level"] == "outcome" else
                          (r["code"] if r["level"] == "axis" else ""), axis=1)
    df["status_year"] = df["status_year"].astype("Int64")
    return _respond(df, fields_of(PlanRow), name=f"action-plan-{q.plan or 'all'}", title=_("Action plan"),
                    fmt=q.format, filters=q.filters())


@read("/indicators", query=IndicatorsQuery, rows=IndicatorRow)
def indicators_endpoint(q: IndicatorsQuery) -> Response:
    """Indicator values (printed aggregates) by scope, year, topic and code."""
    with Session() as session:
        df = indicators.indicator_values(session, scope=q.scope, year=q.year, topic=q.topic, codes=q.code,
                                         regions=q.region)
    return _respond(df, fields_of(IndicatorRow), name="indicators", title=_("Indicators"), fmt=q.format,
                    filters=q.filters())


@read("/discrepancies", query=DiscrepanciesQuery, rows=DiscrepancyRow)
def discrepancies_endpoint(q: DiscrepanciesQuery) -> Response:
    """Where the documents disagree with their rows or with each other, and the reading kept."""
    with Session() as session:
        df = provenance.discrepancies_table(session, topic=q.topic)
    return _respond(df, fields_of(DiscrepancyRow), name="discrepancies", title=_("Discrepancies"), fmt=q.format,
                    filters=q.filters())


@read("/reconciliation", query=YearQuery, rows=ReconciliationRow)
def reconciliation_endpoint(q: YearQuery) -> Response:
    """Every printed total recomputed from the rows: reconciled, or a recorded discrepancy."""
    with Session() as session:
        year = _latest(q.year, session)
        df = reconciliation.reconciliation_report(session, year=year)
    return _respond(df, fields_of(ReconciliationRow), name=f"reconciliation-{year}", title=_("Reconciliation"),
                    fmt=q.format, filters=q.filters(year=year))


@read("/sources", query=Query, rows=SourceRow)
def sources_endpoint(q: Query) -> Response:
    """The source documents and how each was read."""
    with Session() as session:
        df = provenance.sources_table(session)
    return _respond(df, fields_of(SourceRow), name="sources", title=_("Sources"), fmt=q.format, filters=q.filters())


def utc(moment: dt.datetime) -> dt.datetime:
    """`moment` with its time zone: the store writes UTC, and SQLite gives it back without one."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def meeting_row(row: dict) -> dict:
    """A Board meeting as the API answers it (MeetingRow): its fields, and the addresses of its pages."""
    return {"slug": row["slug"], "name": row["name"], "held_on": row["held_on"].isoformat(), "note": row["note"],
            "recorded_by": row["recorded_by"], "frozen_at": utc(row["frozen_at"]).isoformat(),
            "data_version": row["data_version"], "as_presented": urls.as_presented(row["slug"], absolute=True),
            "changes": urls.meeting_changes(row["slug"], absolute=True)}


@read("/meetings", query=MeetingsQuery, rows=MeetingRow)
def meetings_endpoint(q: MeetingsQuery) -> Response:
    """The Board meetings, latest first: each froze the store when it was recorded, and `as_of=<slug>` on any
    page, export or API address shows it as it stood then."""
    with Session() as session:
        rows = meetings.meeting_rows(session, as_of=asof.frozen())
    df = pd.DataFrame([meeting_row(r) for r in rows], columns=fields_of(MeetingRow))
    return _respond(df, fields_of(MeetingRow), name="board-meetings", title=_("Board meetings"), fmt=q.format,
                    filters=q.filters())


MEETING_SLUG = {"type": "string", "minLength": 1, "maxLength": 80}


def meeting_endpoint(slug: str) -> Response:
    """One Board meeting (404 for a meeting that does not exist, or was recorded after the one read with `as_of`)."""
    try:
        with Session() as session:
            MeetingQuery.parse(request.args, Choices(session))
    except InvalidInput as err:
        return json_error(400, err.message, parameter=err.parameter, valid=err.valid)
    with Session() as session:
        found = meetings.meeting(session, slug[:80]) if len(slug) <= 80 else None
    viewed = asof.frozen()
    if found is None or (viewed is not None and found["frozen_at"] > viewed.frozen_at):
        return json_error(404, _("There is no Board meeting %(meeting)s.", meeting=slug[:80]))
    return jsonify({"data": meeting_row(found)})


_summary, _description = openapi.summary_and_description(meeting_endpoint)
openapi.register(openapi.Operation(
    method="GET", rule="/meetings/<slug>", summary=_summary, description=_description, query=MeetingQuery,
    ok={200: MeetingAnswer}, errors=(400, 404), path_params={"slug": MEETING_SLUG}))
api.get("/meetings/<slug>")(meeting_endpoint)


@read("/", query=IndexQuery, answer=Index)
def index_endpoint(_q: IndexQuery) -> Response:
    """List the endpoints, their parameters and the values the filters accept."""
    with Session() as session:
        info = {"regions": region_names(session), "years": available_years(session), "plans": plan_codes(session)}
    endpoints = [{"url": openapi.API_PREFIX + op.rule, "parameters": list(op.query.model_fields),
                  "description": op.description}
                 for op in openapi.OPERATIONS if op.csv]
    return jsonify({"endpoints": endpoints, "formats": list(FORMATS), "event_kinds": list(EVENT_KINDS),
                    "scopes": list(SCOPES), **info})


@api.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 description of /api/v1, listing the values the store accepts today."""
    with Session() as session:
        choices = Choices(session)
        document = openapi.document(openapi.OPERATIONS, allowed=choices.allowed, server_url=openapi.API_PREFIX)
    response = jsonify(document)
    response.headers["Cache-Control"] = "no-cache"
    return response


DOCS_SCRIPT = """window.addEventListener("load", function () {
  function csrfToken() {
    var found = document.cookie.match(/(?:^|; )_csrf_token=([^;]*)/);
    return found ? decodeURIComponent(found[1]) : "";
  }
  // What Swagger UI draws without a name or out of the keyboard's reach, mended each time React draws it again:
  // the server chooser sits in an empty <label> (named by the "Servers" title beside it), a parameter's field by its
  // row (named by the parameter), examples scroll (axe select-name, label, scrollable-region-focusable);
  new MutationObserver(function () {
    var root = document.getElementById("swagger-ui");
    var chooser = document.getElementById("servers"), title = root.querySelector(".servers-title");
    if (chooser && title && !chooser.hasAttribute("aria-labelledby")) {
      title.id = "servers-title";
      chooser.setAttribute("aria-labelledby", "servers-title");
    }
    root.querySelectorAll("tr[data-param-name] :is(select, input, textarea):not([aria-label])").forEach(function (field) {
      field.setAttribute("aria-label", field.closest("tr").getAttribute("data-param-name"));
    });
    root.querySelectorAll("textarea.body-param__text:not([aria-label])").forEach(function (field) {
      field.setAttribute("aria-label", "Request body");
    });
    root.querySelectorAll("pre:not([tabindex])").forEach(function (block) { block.tabIndex = 0; });
    // the title is an h1 and the tags h3 (no h2): every heading under the title one level up (axe heading-order)
    root.querySelectorAll(":is(h3, h4, h5, h6):not(.info *):not([aria-level])").forEach(function (heading) {
      heading.setAttribute("aria-level", Number(heading.tagName.slice(1)) - 1);
    });
  }).observe(document.getElementById("swagger-ui"), {childList: true, subtree: true});
  // deepLinking off: it puts a link inside each operation's button (axe nested-interactive), a link only 19 px
  // high (target-size); an operation is still reached by its button and the tag's list
  window.ui = SwaggerUIBundle({
    url: "%(document)s", dom_id: "#swagger-ui", deepLinking: false, validatorUrl: null,
    syntaxHighlight: {activated: false},  // its colours (e.g. #d36363 on #333, 3.5:1) are inline styles
    // writes need the CSRF token of the signed-in session, as the dashboard's own pages send it
    requestInterceptor: function (req) {
      if (req.method !== "GET") { req.headers["X-CSRFToken"] = csrfToken(); }
      return req;
    }
  });
});
"""


@api.get("/docs")
def docs_page() -> Response:
    """The API page: the OpenAPI description read by Swagger UI (served from assets/vendor, never a CDN)."""
    title = escape(_("Metropolis dashboard API"))
    back = escape(_("Back to the dashboard"))
    # the page in the reader's language; Swagger UI's own words and the description are English (WCAG 3.1.2)
    html = (f"<!doctype html><html lang='{current_locale()}'><head><meta charset='utf-8'><title>{title}</title>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<link rel='stylesheet' href='/assets/vendor/swagger-ui/swagger-ui.css'>"
            f"<link rel='stylesheet' href='{openapi.API_PREFIX}/docs/style.css'></head><body>"
            f"<p style='font-family:sans-serif;margin:1rem 1.25rem 0'><a href='/'>{back}</a></p>"
            "<div id='swagger-ui' lang='en'></div>"
            "<script src='/assets/vendor/swagger-ui/swagger-ui-bundle.js'></script>"
            f"<script src='{openapi.API_PREFIX}/docs/init.js'></script></body></html>")
    return Response(html, mimetype="text/html")


@api.get("/docs/init.js")
def docs_script() -> Response:
    """Start Swagger UI on the description (a file, not an inline script: the pages' CSP allows only files)."""
    return Response(DOCS_SCRIPT % {"document": f"{openapi.API_PREFIX}/openapi.json"},
                    mimetype="text/javascript")


# Swagger UI's colours that fall under 4.5:1 (axe color-contrast), darkened to at least 5:1 on their backgrounds:
# white on the method badges (GET #61affe 2.3:1, POST #49cc90 2.0, PATCH #50e3c2 1.6, PUT #fca130 2.0), the
# version badge (#89bf04 2.2), the document's address (#4990e2 3.3), Authorize (#49cc90 on white), "Expand all",
# a parameter's place (#808080 3.7), Cancel (#ff6060 2.9), white on Execute (#4990e2 3.3) and Download (#7d8293 3.8)
DOCS_STYLE = """
.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #0b5cad; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #18794e; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method { background: #0f7a63; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background: #a35200; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #c0262d; }
.swagger-ui .info .title small.version-stamp { background: #3d7000; }
.swagger-ui .info .title small { background: #555555; }
.swagger-ui .info a, .swagger-ui .info .url { color: #1f5fa8; }
.swagger-ui .btn.authorize { color: #18794e; border-color: #18794e; }
.swagger-ui .btn.authorize svg { fill: #18794e; }
.swagger-ui .btn.authorize span { color: #18794e; }
.swagger-ui .json-schema-2020-12-expand-deep-button { color: #555555; }
.swagger-ui .parameter__in, .swagger-ui .parameter__extension, .swagger-ui .parameter__deprecated { color: #555555; }
.swagger-ui .btn.cancel { color: #c0262d; border-color: #c0262d; }
.swagger-ui .btn.execute { background-color: #1f5fa8; border-color: #1f5fa8; }
.swagger-ui .download-contents { background: #555a6a; }
/* the path's copy button, shown while the pointer is over an operation: 0 px from the operation's button (axe
   target-size, WCAG 2.5.8); the path is text beside it, which can be selected and copied */
.swagger-ui .opblock-summary .copy-to-clipboard { display: none; }
"""


@api.get("/docs/style.css")
def docs_style() -> Response:
    """Swagger UI's colours raised to WCAG AA contrast, loaded after its own stylesheet."""
    return Response(DOCS_STYLE, mimetype="text/css")


@api.errorhandler(HTTPException)
def _http_error(err: HTTPException) -> Response:
    return json_error(err.code or 500, err.description or err.name)


@api.errorhandler(Exception)
def _unexpected(err: Exception) -> Response:
    if isinstance(err, DATABASE_UNREACHABLE):  # this catch-all shadows the app's 503 handler for a database restart
        return database_unreachable(err)
    logger.error("API request failed: %s", request.path, exc_info=err)
    return json_error(500, _("The server could not answer this request. The error was logged."))


def _unknown_path(rest: str = "") -> Response:
    return json_error(404, _("No such API endpoint: %(path)s. See /api/v1/ for the list.", path=request.path[:100]))


def register_api(server) -> None:
    """Attach the API blueprint to the Flask `server`, with JSON answers for unknown /api paths and methods
    (Dash's catch-all page route would otherwise answer them with the dashboard's HTML)."""
    server.register_blueprint(api)
    server.add_url_rule("/api/<path:rest>", "api_unknown_path", _unknown_path,
                        methods=["GET"])

    def _routing_error(err: HTTPException):
        if request.path.startswith("/api/"):
            return json_error(err.code or 500, err.description or err.name)
        return err

    server.register_error_handler(404, _routing_error)
    server.register_error_handler(405, _routing_error)
