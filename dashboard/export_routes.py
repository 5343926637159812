"""HTTP side of the exports: /export/<chart>.<png|svg|pdf|csv>, /export/deck.pptx, /api/v1/charts, and the
checks that give /embed/<chart> a clear 404 or 400 page instead of an empty frame."""

from __future__ import annotations

import logging
import re

from flask import Blueprint, Response, jsonify, request, url_for

from dashboard import export, responses
from dashboard.charts import CHARTS
from dashboard.components import base_url
from dashboard.i18n import CANDIDATE_LOCALES, _
from dashboard.urls import FILTER_PARAMS
from dashboard.validation import InvalidInput, parse_filters, reject_unknown
from db.queries.common import available_years, region_names, year_choices
from db.queries.provenance import last_change
from db.session import Session

logger = logging.getLogger(__name__)

exports = Blueprint("exports", __name__)
CHART_ID = re.compile(r"^[a-z0-9-]{1,60}$")
DECK_FORMATS = ("pptx", "zip")  # the deck; the deck with its slides' data as CSV files beside it


def _store_context() -> tuple[list[str], list[int], object]:
    with Session() as session:
        return region_names(session), available_years(session), last_change(session)


def _default_year() -> int | None:
    with Session() as session:
        return year_choices(session)[1]


def _params(chart_id: str | None) -> dict:
    """Query parameters, with lists for the repeatable ones (region and multi-valued chart options)."""
    repeated = {"region", *(CHARTS[chart_id].multi_options if chart_id in CHARTS else ())}
    return {key: request.args.getlist(key) if key in repeated else request.args.get(key) for key in request.args}


def error_response(status: int, message: str, *, parameter: str | None = None, valid=()) -> Response:
    """A clear error: an HTML page for a browser, JSON for a program. Never a traceback."""
    return responses.error_response(status, message, parameter=parameter, valid=list(valid),
                                    links=[("/", _("Open the Metropolis dashboard")),
                                           ("/api/v1/charts", _("List of charts"))])


def _unknown_chart(chart_id: str) -> Response:
    return error_response(404, _("There is no chart '%(chart)s'. See /api/v1/charts for the list.",
                                 chart=chart_id[:60]), parameter="chart", valid=sorted(CHARTS))


def _filename(chart_id: str, filters, ext: str) -> str:
    regions = "-".join(re.sub(r"[^a-z0-9]+", "-", r.lower()).strip("-") for r in filters.regions or []) or "all"
    return f"metropolis-{chart_id}-{regions}-{filters.year}.{ext}"


@exports.get("/export/<path:name>")
def export_file(name: str) -> Response:
    """One chart as PNG, SVG, PDF or CSV (or a deck of charts as PPTX), drawn for the filters asked."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not CHART_ID.match(stem):
        return error_response(404, _("Export addresses look like /export/<chart>.<png|svg|pdf|csv>."))
    regions, years, as_of = _store_context()
    try:
        if stem == "deck":
            return _deck(ext, regions, years, as_of)
        if stem not in CHARTS:
            return _unknown_chart(stem)
        req = export.parse_export_request(stem, ext, _params(stem), regions=regions, years=years,
                                          default_year=_default_year())
    except InvalidInput as err:
        return error_response(400, err.message, parameter=err.parameter, valid=err.valid)
    if req.fmt == "csv":
        payload = export.chart_csv(req, data_as_of=as_of, base_url=base_url()).encode("utf-8")
    else:
        payload = export.image(req, data_as_of=as_of, base_url=base_url())
    return Response(payload, mimetype=export.MEDIA_TYPES[req.fmt], headers={
        "Content-Disposition": f'attachment; filename="{_filename(stem, req.filters, req.fmt)}"'})


def _deck(ext: str, regions, years, as_of) -> Response:
    if ext not in DECK_FORMATS:
        raise InvalidInput("format", _("Decks are PowerPoint files: /export/deck.pptx, or /export/deck.zip for the "
                                       "deck with the data of its slides as CSV files."), valid=list(DECK_FORMATS))
    params = _params(None)
    reject_unknown(params, ["page", *FILTER_PARAMS])
    page = (params.get("page") or "").strip() or None
    if page is not None and not re.fullmatch(r"/[a-z0-9/-]{0,60}", page):
        raise InvalidInput("page", _("'%(page)s' is not a page of the dashboard.", page=page[:60]))
    filters = parse_filters(params.get("region"), params.get("year"), params.get("lang"), known_regions=regions,
                            years=years, default=_default_year(), strict=True)
    charts = export.deck_charts(page)
    if ext == "zip":
        payload = export.deck_bundle(charts, filters, data_as_of=as_of, base_url=base_url(), page=page,
                                     name=_filename("deck", filters, "pptx").removesuffix(".pptx"))
    else:
        payload = export.deck(charts, filters, data_as_of=as_of, base_url=base_url(), page=page)
    return Response(payload, mimetype=export.MEDIA_TYPES[ext], headers={
        "Content-Disposition": f'attachment; filename="{_filename("deck", filters, ext)}"'})


def charts_index() -> Response:
    """GET /api/v1/charts: every chart id with its title, page, options, and the filters it accepts."""
    regions, years, _as_of = _store_context()
    charts = [{
        "id": c.id, "title": str(c.title), "page": c.page,
        "options": {name: list(values) for name, values in c.options.items()},
        "formats": list(export.FORMATS),
        "export": f"/export/{c.id}.<format>?region=&year=&lang=&width=&height=&size=",
        "embed": f"/embed/{c.id}?region=&year=",
    } for c in CHARTS.values()]
    return jsonify({"charts": charts, "filters": {"region": regions, "year": years, "lang": list(CANDIDATE_LOCALES),
                                                  "size": list(export.SIZES),
                                                  "width": [export.MIN_SIDE, export.MAX_SIDE],
                                                  "height": [export.MIN_SIDE, export.MAX_SIDE]},
                    "deck": url_for("exports.export_file", name="deck.pptx") + "?page=&region=&year=",
                    "deck_with_data": url_for("exports.export_file", name="deck.zip") + "?page=&region=&year="})


def check_embed_request():
    """Before Dash serves /embed/<chart>: a clear 404 for an unknown chart, 400 for a bad parameter."""
    if not request.path.startswith("/embed/"):
        return None
    chart_id = request.path[len("/embed/"):].strip("/")
    if chart_id not in CHARTS:
        return _unknown_chart(chart_id)
    regions, years, _as_of = _store_context()
    try:
        export.parse_chart_params(chart_id, _params(chart_id), regions=regions, years=years)
    except InvalidInput as err:
        return error_response(400, err.message, parameter=err.parameter, valid=err.valid)
    return None


def register_exports(server) -> None:
    server.register_blueprint(exports)
    server.add_url_rule("/api/v1/charts", "api_charts", charts_index)
    server.before_request(check_embed_request)
