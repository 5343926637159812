"""Read-only data API under /api/v1: JSON by default, CSV with ?format=csv; bad input answers 400."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
from collections.abc import Callable, Sequence

import pandas as pd
from flask import Blueprint, Response, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from dashboard.auth import fees_visible
from dashboard.health import DATABASE_UNREACHABLE, database_unreachable
from dashboard.i18n import _
from dashboard.validation import (
    InvalidInput,
    parse_choice,
    parse_choices,
    parse_regions,
    parse_year,
    reject_unknown,
)
from db.queries import action_plan, engagement, events, indicators, members, provenance, reconciliation
from db.queries.common import available_years, plan_codes, region_names, year_choices
from db.reference import EVENT_KINDS, SCOPES
from db.session import Session

logger = logging.getLogger(__name__)

api = Blueprint("api", __name__, url_prefix="/api/v1")

FORMATS = ("json", "csv")
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
    buffer = io.StringIO()
    for key in ("title", "filters", "source_note", "data_as_of", "url"):
        if meta.get(key):
            buffer.write(f"# {key}: {meta[key]}\n")
    writer = csv.DictWriter(buffer, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v)
                         for k, v in row.items()})
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'inline; filename="{name}.csv"'})


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
            "url": request.url}
    if fmt == "csv":
        return _csv_response(rows, fields, name, meta)
    return jsonify({"meta": meta, "data": rows})


def _params(allowed: Sequence[str]) -> dict:
    """Return the query parameters (lists for repeatable ones) after rejecting unknown names."""
    reject_unknown(request.args, [*allowed, "format", "lang"])
    return {key: request.args.getlist(key) if key == "region" else request.args.get(key) for key in request.args}


def _format(params: dict) -> str:
    return parse_choice("format", params.get("format"), FORMATS, default="json")


def _year(params: dict, session) -> int:
    years, default = year_choices(session)
    year = parse_year(params.get("year"), years)
    return year if year is not None else default


def _regions(params: dict, session) -> list[str] | None:
    return parse_regions(params.get("region"), region_names(session))


def endpoint(func: Callable[[], Response]) -> Callable[[], Response]:
    """Turn InvalidInput raised by an endpoint into a 400 JSON answer naming the parameter."""
    def wrapper() -> Response:
        try:
            return func()
        except InvalidInput as err:
            return _error(400, err.message, parameter=err.parameter, valid=err.valid)
    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _error(status: int, message: str, **extra) -> Response:
    response = jsonify({"error": {"status": status, "message": message, **extra}})
    response.status_code = status
    return response


# ---- endpoints --------------------------------------------------------------------------------

MEMBER_FIELDS = ["name", "slug", "official_name", "region", "country", "country_code", "latitude", "longitude",
                 "coord_source", "coord_note", "honorary", "new_member", "member_since", "governed_by_woman",
                 "governed_by_woman_as_of", "aliases", "source", "source_document", "source_section",
                 "source_locator"]


@api.get("/members")
@endpoint
def members_endpoint() -> Response:
    """Every member (and the honorary member), with official name, region, location, flags and aliases."""
    params = _params(["region"])
    fmt = _format(params)
    with Session() as session:
        regions = _regions(params, session)
        latest = year_choices(session)[1]
        df = members.member_list(session, regions=regions)
    df["new_member"] = df["member_since"].map(lambda y: bool(y == latest) if pd.notna(y) else False)
    df["member_since"] = df["member_since"].astype("Int64")
    return _respond(df, MEMBER_FIELDS, name="members", title=_("Members"), fmt=fmt, filters={"region": regions})


ENGAGEMENT_FIELDS = ["member", "slug", "region", "year", "activated", "fee_paid", "board_meetings",
                     "annual_meeting", "bilateral_meetings", "pilot_project", "pilot_projects", "indicators_year",
                     "learning_activities", "wmd_organiser", "wmd_participation", "call_endorsement", "note",
                     "source", "source_document", "source_section", "source_locator"]


@api.get("/engagement")
@endpoint
def engagement_endpoint() -> Response:
    """Engagement of each member in a year (annual report section 4.1)."""
    params = _params(["region", "year"])
    fmt = _format(params)
    with Session() as session:
        regions = _regions(params, session)
        year = _year(params, session)
        df = engagement.engagement_by_member(session, year=year, regions=regions)
    df["indicators_year"] = df["indicators_year"].astype("Int64")
    if not fees_visible():  # a member's fee payments are never public: signed-in users only
        df["fee_paid"] = None
    return _respond(df, ENGAGEMENT_FIELDS, name=f"engagement-{year}", title=_("Engagement of the members"),
                    fmt=fmt, filters={"region": regions, "year": year})


WEBSITE_FIELDS = ["member", "slug", "region", "year", "news", "library_publications", "publication_mentions",
                  "use_cases", "c4gh_initiatives", "note", "source", "source_document", "source_section",
                  "source_locator"]


@api.get("/website-mentions")
@endpoint
def website_mentions_endpoint() -> Response:
    """Presence of each member on the Metropolis website in a year (annual report section 4.2)."""
    params = _params(["region", "year"])
    fmt = _format(params)
    with Session() as session:
        regions = _regions(params, session)
        year = _year(params, session)
        df = engagement.website_presence_by_member(session, year=year, regions=regions)
    return _respond(df, WEBSITE_FIELDS, name=f"website-mentions-{year}", title=_("Members on the website"),
                    fmt=fmt, filters={"region": regions, "year": year})


EVENT_FIELDS = ["slug", "title", "start_date", "end_date", "location", "online", "kind", "metropolis_role",
                "members", "member_count", "deliverables", "kind_basis", "role_basis", "note", "source",
                "source_document", "source_section", "source_locator"]


@api.get("/events")
@endpoint
def events_endpoint() -> Response:
    """Events of a year with activated members and deliverables; `region` keeps events that activated a
    member of the region; `kind` filters by kind."""
    params = _params(["region", "year", "kind"])
    fmt = _format(params)
    kinds = parse_choices("kind", params.get("kind"), EVENT_KINDS)
    with Session() as session:
        regions = _regions(params, session)
        year = _year(params, session)
        df = events.events_in_year(session, year=year, regions=regions, kinds=kinds)
    return _respond(df, EVENT_FIELDS, name=f"events-{year}", title=_("Events"), fmt=fmt,
                    filters={"region": regions, "year": year, "kind": kinds})


PLAN_FIELDS = ["plan", "code", "level", "line", "measure", "axis", "parent", "title", "status", "mark", "printed",
               "status_year", "code_printed", "note", "source", "source_document", "source_section",
               "source_locator"]


@api.get("/action-plan")
@endpoint
def action_plan_endpoint() -> Response:
    """Items of the action plans with their implementation status (all plans unless `plan` is given)."""
    params = _params(["plan", "year"])
    fmt = _format(params)
    with Session() as session:
        plans = plan_codes(session)
        plan = parse_choice("plan", params.get("plan"), plans)
        year = parse_year(params.get("year"), available_years(session))
        frames = []
        for code in [plan] if plan else plans:
            df = action_plan.plan_items(session, plan=code, year=year)
            frames.append(df.assign(plan=code))
    df = pd.concat(frames, ignore_index=True)
    df["measure"] = df.apply(lambda r: r["parent"] if r["level"] == "deliverable" else
                             (r["code"] if r["level"] == "measure" else ""), axis=1)
    df["axis"] = df.apply(lambda r: r["parent"] if r["level"] == "outcome" else
                          (r["code"] if r["level"] == "axis" else ""), axis=1)
    df["status_year"] = df["status_year"].astype("Int64")
    return _respond(df, PLAN_FIELDS, name=f"action-plan-{plan or 'all'}", title=_("Action plan"), fmt=fmt,
                    filters={"plan": plan, "year": year})


INDICATOR_FIELDS = ["code", "name", "unit", "topic", "scope", "region", "member", "year", "period_start",
                    "period_end", "value", "qualifier", "printed", "note", "source", "source_document",
                    "source_section", "source_locator"]


@api.get("/indicators")
@endpoint
def indicators_endpoint() -> Response:
    """Indicator values (printed aggregates) by scope, year, topic and code."""
    params = _params(["scope", "year", "topic", "code", "region"])
    fmt = _format(params)
    scope = parse_choice("scope", params.get("scope"), SCOPES)
    with Session() as session:
        year = parse_year(params.get("year"), available_years(session))
        regions = _regions(params, session)
        known = indicators.indicator_values(session)
        topic = parse_choice("topic", params.get("topic"), sorted(known["topic"].unique()))
        codes = parse_choices("code", params.get("code"), sorted(known["code"].unique()))
        df = indicators.indicator_values(session, scope=scope, year=year, topic=topic, codes=codes, regions=regions)
    return _respond(df, INDICATOR_FIELDS, name="indicators", title=_("Indicators"), fmt=fmt,
                    filters={"scope": scope, "year": year, "topic": topic, "code": codes, "region": regions})


DISCREPANCY_FIELDS = ["code", "topic", "subject", "printed_value", "recomputed_value", "reading_kept", "explanation",
                      "source", "source_document", "source_section", "source_locator"]


@api.get("/discrepancies")
@endpoint
def discrepancies_endpoint() -> Response:
    """Where the documents disagree with their rows or with each other, and the reading kept."""
    params = _params(["topic"])
    fmt = _format(params)
    with Session() as session:
        topics = sorted(provenance.discrepancies_table(session)["topic"].unique())
        topic = parse_choice("topic", params.get("topic"), topics)
        df = provenance.discrepancies_table(session, topic=topic)
    return _respond(df, DISCREPANCY_FIELDS, name="discrepancies", title=_("Discrepancies"), fmt=fmt,
                    filters={"topic": topic})


RECONCILIATION_FIELDS = reconciliation.REPORT_COLUMNS


@api.get("/reconciliation")
@endpoint
def reconciliation_endpoint() -> Response:
    """Every printed total recomputed from the rows: reconciled, or a recorded discrepancy."""
    params = _params(["year"])
    fmt = _format(params)
    with Session() as session:
        year = _year(params, session)
        df = reconciliation.reconciliation_report(session, year=year)
    return _respond(df, RECONCILIATION_FIELDS, name=f"reconciliation-{year}", title=_("Reconciliation"), fmt=fmt,
                    filters={"year": year})


SOURCE_FIELDS = ["key", "file", "title", "citation", "publisher", "published", "description", "reading_notes"]


@api.get("/sources")
@endpoint
def sources_endpoint() -> Response:
    """The source documents and how each was read."""
    params = _params([])
    fmt = _format(params)
    with Session() as session:
        df = provenance.sources_table(session)
    return _respond(df, SOURCE_FIELDS, name="sources", title=_("Sources"), fmt=fmt, filters={})


@api.get("/")
@endpoint
def index_endpoint() -> Response:
    """List the endpoints, their parameters and the values the filters accept."""
    _params([])
    with Session() as session:
        info = {"regions": region_names(session), "years": available_years(session), "plans": plan_codes(session)}
    endpoints = [{"url": url_for(f"{api.name}.{func.__name__}"), "parameters": [*params, "format"],
                  "description": " ".join((func.__doc__ or "").split())}
                 for func, params in _documented_endpoints()]
    return jsonify({"endpoints": endpoints, "formats": list(FORMATS), "event_kinds": list(EVENT_KINDS),
                    "scopes": list(SCOPES), **info})


def _documented_endpoints():
    return [(members_endpoint, ["region"]), (engagement_endpoint, ["year", "region"]),
            (website_mentions_endpoint, ["year", "region"]), (events_endpoint, ["year", "region", "kind"]),
            (action_plan_endpoint, ["plan", "year"]),
            (indicators_endpoint, ["scope", "year", "topic", "code", "region"]),
            (discrepancies_endpoint, ["topic"]), (reconciliation_endpoint, ["year"]), (sources_endpoint, [])]


@api.errorhandler(HTTPException)
def _http_error(err: HTTPException) -> Response:
    return _error(err.code or 500, err.description or err.name)


@api.errorhandler(Exception)
def _unexpected(err: Exception) -> Response:
    if isinstance(err, DATABASE_UNREACHABLE):  # this catch-all shadows the app's 503 handler for a database restart
        return database_unreachable(err)
    logger.error("API request failed: %s", request.path, exc_info=err)
    return _error(500, _("The server could not answer this request. The error was logged."))


def _unknown_path(rest: str = "") -> Response:
    return _error(404, _("No such API endpoint: %(path)s. See /api/v1/ for the list.", path=request.path[:100]))


def register_api(server) -> None:
    """Attach the API blueprint to the Flask `server`, with JSON answers for unknown /api paths and methods
    (Dash's catch-all page route would otherwise answer them with the dashboard's HTML)."""
    server.register_blueprint(api)
    server.add_url_rule("/api/<path:rest>", "api_unknown_path", _unknown_path,
                        methods=["GET"])

    def _routing_error(err: HTTPException):
        if request.path.startswith("/api/"):
            return _error(err.code or 500, err.description or err.name)
        return err

    server.register_error_handler(404, _routing_error)
    server.register_error_handler(405, _routing_error)
