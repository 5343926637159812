"""Write endpoints (JSON, CSRF-protected, role-checked in the commands) and the data version live pages poll.

POST /api/v1/events · /api/v1/fee-payments · /api/v1/bilateral-meetings · /api/v1/imports/<kind>?mode=preview|commit
PUT /api/v1/plan-statuses · PATCH /api/v1/members/<slug> · GET /api/v1/changes · POST /api/v1/changes/<id>/revert
POST /api/v1/meetings (the Secretariat records a Board meeting)
POST /api/v1/meetings/<slug>/pack (the Secretariat) · GET /api/v1/meetings/<slug>/pack (signed-in users)
GET /api/v1/version (public, cheap)
"""

from __future__ import annotations

import functools
import logging

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import ValidationError

from dashboard import openapi, packs
from dashboard.api_models import (
    AuditLog,
    ChangesQuery,
    ImportAnswer,
    ImportQuery,
    MeetingInput,
    MeetingRecorded,
    PackStatus,
    Reverted,
    Version,
    Written,
)
from dashboard.auth import current_actor
from dashboard.i18n import _, translate, translate_error, translate_fields
from dashboard.responses import json_error
from dashboard.uploads import read_table
from db.commands import base, imports, meetings, records, revert
from db.commands.base import CommandError, Forbidden, Invalid, NotFound
from db.queries.audit import audit_log
from db.session import Session
from db.versioning import data_version

logger = logging.getLogger(__name__)

writes = Blueprint("writes", __name__, url_prefix=openapi.API_PREFIX)
UPLOAD_LIMIT = "METROPOLIS_MAX_UPLOAD_BYTES"  # app.config key, set from MAX_UPLOAD_MB by register_records



def run_command(command, *args, what: str, member_slug: str | None = None):
    """Run a write command as the signed-in user (one write transaction that waits for other writers; a
    refusal is written to the audit log): db.commands.base.run_command."""
    return base.run_command(command, current_actor(), *args, what=what, member_slug=member_slug)


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid({"form": _("Send the fields as a JSON object.")})
    return body


@writes.errorhandler(CommandError)
def _command_error(err: CommandError):
    if current_actor() is None and isinstance(err, Forbidden):
        return json_error(401, _("Sign in to record data."))
    fields = translate_fields(getattr(err, "fields", None))  # in the language asked for (?lang=, Accept-Language)
    return json_error(err.status, translate_error(err), **({"fields": fields} if fields else {}))


def route(method: str, rule: str, *, ok: dict, errors: tuple[int, ...] = (400, 401, 403), body=None,
          query=None, upload: bool = False, path_params: dict | None = None, signed_in: bool = True,
          example: dict | None = None):
    """Route `func` at `rule` of the write blueprint and describe it in /api/v1/openapi.json with the models the
    command validates its body with (`body`), its query parameters (`query`) and its answers (`ok`)."""
    def decorate(func):
        summary, description = openapi.summary_and_description(func)
        openapi.register(openapi.Operation(
            method=method, rule=rule, summary=summary, description=description, query=query, body=body,
            upload=upload, ok=ok, errors=errors, path_params=path_params or {}, signed_in=signed_in, tag="records",
            example=example))
        writes.route(rule, methods=[method])(func)
        return func
    return decorate


def _query(model):
    """The query parameters validated by `model`, or Invalid with a message per bad parameter."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as err:
        raise Invalid({str(e["loc"][0]) if e["loc"] else "query":
                       _("Unknown parameter.") if e["type"] == "extra_forbidden" else e["msg"]
                       for e in err.errors()}) from None


SLUG = {"type": "string", "minLength": 1, "maxLength": 120}


@route("GET", "/version", ok={200: Version}, errors=(), signed_in=False)
def version() -> Response:
    """The store's data version: pages poll it and redraw when it changes."""
    with Session() as session:
        number, changed_at = data_version(session)
    response = jsonify({"version": number, "changed_at": changed_at.isoformat() if changed_at else None})
    response.headers["Cache-Control"] = "no-store"
    return response


@route("POST", "/events", body=records.EventInput, ok={201: Written}, example={
    "title": "Learning lab on metropolitan housing", "start_date": "2021-03-04", "end_date": "2021-03-05",
    "online": False, "location": "Barcelona, Spain", "kind": "learning", "metropolis_role": "organised",
    "region": "Europe", "members": ["Barcelona (city)", "Torino"], "deliverables": ["L2A2O3"],
    "speakers_women": 4, "speakers_men": 3, "participants_women": 30, "participants_men": 20})
def create_event():
    """Record an event with its activated members and deliverables (a regional secretary: in their region)."""
    result = run_command(records.record_event, _json_body(), what="record an event")
    return jsonify(result), 201


@route("POST", "/fee-payments", body=records.FeeInput, ok={201: Written}, example={
    "member": "Madrid", "fee_year": 2021, "paid": True, "amount_eur": 12000, "paid_on": "2021-02-15"})
def create_fee_payment():
    """Record (or correct) whether a member paid its fee for a year."""
    body = _json_body()
    result = run_command(records.record_fee_payment, body, what=f"record a fee payment of {str(body.get('member'))[:60]}")
    return jsonify(result), 201


@route("POST", "/bilateral-meetings", body=records.BilateralInput, ok={201: Written}, example={
    "member": "Berlin", "date": "2021-05-12", "online": True, "note": "Follow-up on the pilot project"})
def create_bilateral_meeting():
    """Record a bilateral meeting with a member (stored by month, like the progress reports)."""
    body = _json_body()
    result = run_command(records.record_bilateral_meeting, body,
                         what=f"record a bilateral meeting with {str(body.get('member'))[:60]}")
    return jsonify(result), 201


@route("PUT", "/plan-statuses", body=records.PlanStatusInput, ok={200: Written}, example={
    "plan": "2021-2023", "code": "L1A1O1", "year": 2021, "status": "in_progress", "comment": "First drafts"})
def put_plan_status():
    """Set the status of a deliverable or outcome for a year (the Secretariat only)."""
    return jsonify(run_command(records.set_plan_status, _json_body(), what="set an action-plan status"))


@route("PATCH", "/members/<slug>", body=records.MemberUpdate, ok={200: Written}, errors=(400, 401, 403, 404),
       path_params={"slug": SLUG}, example={"coord_note": "Placed at the city hall", "note": "Checked in 2021"})
def patch_member(slug: str):
    """Edit a member's details: official name, location, leadership, a new alias."""
    return jsonify(run_command(records.update_member, slug[:120], _json_body(), what=f"edit member {slug[:60]}",
                               member_slug=slug[:120]))


@route("POST", "/imports/<kind>", query=ImportQuery, upload=True, ok={200: ImportAnswer, 201: ImportAnswer,
                                                                      422: ImportAnswer},
       errors=(400, 401, 403, 413), path_params={"kind": {"type": "string", "enum": list(imports.KINDS)}})
def post_import(kind: str):
    """Import event attendance or indicator values from a CSV or .xlsx file: preview lists every row's problem
    (200, or 422 with problems); commit writes every row or none (201)."""
    mode = _query(ImportQuery).mode
    upload = request.files.get("file")
    if upload is None:
        raise Invalid({"file": _("Attach the file as the form field 'file'.")})
    report = import_file(kind, upload.filename or "", upload.read(max_upload_bytes() + 1), commit=mode == "commit")
    status = 201 if report.committed else (200 if not report.problems else 422)
    answer = report.as_dict()
    for part in ("problems", "preview"):  # each row's message in the language asked for
        answer[part] = [{**row, "message": translate(row["message"])} for row in answer[part]]
    return jsonify(answer), status


def max_upload_bytes() -> int:
    """Return the largest file the imports accept, in bytes (MAX_UPLOAD_MB, given to register_records)."""
    return current_app.config[UPLOAD_LIMIT]


def import_file(kind: str, filename: str, data: bytes, *, commit: bool) -> imports.ImportReport:
    """Read an uploaded file and check (with `commit`, write) its rows as the signed-in user: the one path of the
    import endpoint and the Record page. Raises CommandError (Invalid for a file that cannot be read)."""
    header, rows = read_table(filename, data, max_bytes=max_upload_bytes())
    imports.check_columns(kind, header)
    return run_command(functools.partial(imports.run_import, commit=commit), kind, rows,
                       what=f"import {kind}" if commit else f"preview an import of {kind}")


@route("POST", "/meetings", body=MeetingInput, ok={201: MeetingRecorded}, errors=(400, 401, 403, 409), example={
    "name": "Board of Directors, spring meeting", "held_on": "2021-03-12", "note": "Online"})
def create_meeting():
    """Record a Board meeting (the Secretariat only): the store is frozen as it stands, and `as_of=<slug>` then
    shows every page, export and API answer as it was."""
    return jsonify(run_command(meetings.record_meeting_from, _json_body(), what="record a Board meeting")), 201


@route("GET", "/changes", query=ChangesQuery, ok={200: AuditLog})
def list_changes():
    """The audit log (the Secretariat only), newest first; ?member=<slug> for one member's history."""
    actor = current_actor()
    if actor is None or actor.role != "secretariat":
        raise Forbidden(_("Only the Secretariat can read the audit log."))
    params = _query(ChangesQuery)
    with Session() as session:
        df = audit_log(session, member_slug=params.member, limit=params.limit)
    rows = df.astype(object).where(df.notna(), None).to_dict(orient="records")
    return jsonify({"data": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
                             for row in rows]})


@route("POST", "/changes/<change_set>/revert", ok={200: Reverted}, errors=(400, 401, 403, 404, 409),
       path_params={"change_set": {"type": "string", "minLength": 1, "maxLength": 40}})
def revert_change(change_set: str):
    """Undo a change set (the Secretariat only); refused (409) if one of its rows changed since."""
    return jsonify(run_command(revert.revert_change, change_set[:40], what=f"revert change {change_set[:40]}"))


MEETING_SLUG = {"type": "string", "minLength": 1, "maxLength": 80}


@route("POST", "/meetings/<slug>/pack", ok={200: PackStatus, 202: PackStatus}, errors=(400, 401, 403, 404, 409),
       path_params={"slug": MEETING_SLUG})
def make_pack(slug: str):
    """Make a meeting's Board pack (the Secretariat only): the deck of every page, the printed pages as one PDF
    and every chart's CSV in a zip, all as presented to the Board. The job runs in the background: the answer (202
    while it runs, 200 when every file is made) gives each file's progress; GET the same address to follow it.
    A second request while a job runs starts nothing; a file that failed, or whose job died, is made again."""
    answer = packs.start_pack(slug[:80])
    return jsonify(answer), 202 if answer["running"] else 200


@route("GET", "/meetings/<slug>/pack", ok={200: PackStatus}, errors=(401, 404), path_params={"slug": MEETING_SLUG})
def pack_state(slug: str):
    """The state of a meeting's Board pack (signed-in users): each file's status, progress and address."""
    if current_actor() is None:
        return json_error(401, _("Sign in to see the Board pack: it holds members' fee payments."))
    answer = packs.pack_status(slug[:80])
    if answer is None:
        raise NotFound(_("There is no Board meeting %(meeting)s.", meeting=slug[:80]))
    return jsonify({**answer, "started": False})


def register_records(server, *, max_upload_mb: int) -> None:
    server.config[UPLOAD_LIMIT] = max_upload_mb * 1024 * 1024
    # the Record page sends the file base64-encoded in a callback (4 bytes for 3): room for that, plus the form
    server.config["MAX_CONTENT_LENGTH"] = max_upload_mb * 1024 * 1024 * 4 // 3 + 64 * 1024
    server.register_blueprint(writes)

    @server.errorhandler(413)
    def _too_large(_err):
        return json_error(413, _("The file is larger than %(n)s MB.", n=max_upload_mb))
