"""Write endpoints (JSON, CSRF-protected, role-checked in the commands) and the data version live pages poll.

POST /api/v1/events · /api/v1/fee-payments · /api/v1/bilateral-meetings · /api/v1/imports/<kind>?mode=preview|commit
PUT /api/v1/plan-statuses · PATCH /api/v1/members/<slug> · GET /api/v1/changes · POST /api/v1/changes/<id>/revert
GET /api/v1/version (public, cheap)
"""

from __future__ import annotations

import functools
import logging

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import select

from dashboard.auth import current_actor
from dashboard.i18n import _
from dashboard.uploads import read_table
from db import models as m
from db.commands import imports, records, revert
from db.commands.base import CommandError, Forbidden, Invalid, log_refusal
from db.session import Session
from db.versioning import data_version

logger = logging.getLogger(__name__)

writes = Blueprint("writes", __name__, url_prefix="/api/v1")
UPLOAD_LIMIT = "METROPOLIS_MAX_UPLOAD_BYTES"  # app.config key, set from MAX_UPLOAD_MB by register_records


def _error(status: int, message: str, **extra) -> Response:
    response = jsonify({"error": {"status": status, "message": message, **extra}})
    response.status_code = status
    return response


def run_command(command, *args, what: str, member_slug: str | None = None):
    """Run a write command in one transaction as the signed-in user; map its errors to answers. A refused
    write is logged in the audit log (in its own transaction: the refused one is rolled back)."""
    actor = current_actor()
    try:
        with Session.begin() as session:
            return command(session, actor, *args)
    except Forbidden as err:
        log_refusal(Session, actor, f"{what}: {err}", member_id=_member_id(member_slug))
        raise


def _member_id(slug: str | None) -> int | None:
    if not slug:
        return None
    with Session() as session:
        return session.scalar(select(m.Member.id).where(m.Member.slug == slug))


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid({"form": "Send the fields as a JSON object."})
    return body


@writes.errorhandler(CommandError)
def _command_error(err: CommandError):
    if current_actor() is None and isinstance(err, Forbidden):
        return _error(401, _("Sign in to record data."))
    fields = getattr(err, "fields", None)
    return _error(err.status, str(err), **({"fields": fields} if fields else {}))


@writes.get("/version")
def version() -> Response:
    """The store's data version: pages poll it and redraw when it changes."""
    with Session() as session:
        number, changed_at = data_version(session)
    response = jsonify({"version": number, "changed_at": changed_at.isoformat() if changed_at else None})
    response.headers["Cache-Control"] = "no-store"
    return response


@writes.post("/events")
def create_event():
    result = run_command(records.record_event, _json_body(), what="record an event")
    return jsonify(result), 201


@writes.post("/fee-payments")
def create_fee_payment():
    body = _json_body()
    result = run_command(records.record_fee_payment, body, what=f"record a fee payment of {str(body.get('member'))[:60]}")
    return jsonify(result), 201


@writes.post("/bilateral-meetings")
def create_bilateral_meeting():
    body = _json_body()
    result = run_command(records.record_bilateral_meeting, body,
                         what=f"record a bilateral meeting with {str(body.get('member'))[:60]}")
    return jsonify(result), 201


@writes.put("/plan-statuses")
def put_plan_status():
    return jsonify(run_command(records.set_plan_status, _json_body(), what="set an action-plan status"))


@writes.patch("/members/<slug>")
def patch_member(slug: str):
    return jsonify(run_command(records.update_member, slug[:120], _json_body(), what=f"edit member {slug[:60]}",
                               member_slug=slug[:120]))


@writes.post("/imports/<kind>")
def post_import(kind: str):
    mode = request.args.get("mode", "preview")
    if mode not in ("preview", "commit"):
        raise Invalid({"mode": "mode is 'preview' or 'commit'."})
    upload = request.files.get("file")
    if upload is None:
        raise Invalid({"file": "Attach the file as the form field 'file'."})
    report = import_file(kind, upload.filename or "", upload.read(max_upload_bytes() + 1), commit=mode == "commit")
    status = 201 if report.committed else (200 if not report.problems else 422)
    return jsonify(report.as_dict()), status


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


@writes.get("/changes")
def list_changes():
    """The audit log (the Secretariat only), newest first; ?member=<slug> for one member's history."""
    actor = current_actor()
    if actor is None or actor.role != "secretariat":
        raise Forbidden("Only the Secretariat can read the audit log.")
    from db.queries.audit import audit_log

    raw_limit = request.args.get("limit", "500")
    limit = min(int(raw_limit), 5000) if raw_limit.isdigit() else 500
    with Session() as session:
        df = audit_log(session, member_slug=request.args.get("member"), limit=limit)
    return jsonify({"data": [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
                             for row in df.to_dict(orient="records")]})


@writes.post("/changes/<change_set>/revert")
def revert_change(change_set: str):
    return jsonify(run_command(revert.revert_change, change_set[:40], what=f"revert change {change_set[:40]}"))


def register_records(server, *, max_upload_mb: int) -> None:
    server.config[UPLOAD_LIMIT] = max_upload_mb * 1024 * 1024
    # the Record page sends the file base64-encoded in a callback (4 bytes for 3): room for that, plus the form
    server.config["MAX_CONTENT_LENGTH"] = max_upload_mb * 1024 * 1024 * 4 // 3 + 64 * 1024
    server.register_blueprint(writes)

    @server.errorhandler(413)
    def _too_large(_err):
        return _error(413, _("The file is larger than %(n)s MB.", n=max_upload_mb))
