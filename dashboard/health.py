"""/healthz for load balancers, and clean answers when the database is unreachable (never a traceback)."""

from __future__ import annotations

import logging
import time

from flask import jsonify, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from dashboard.cache import health as cache_health
from dashboard.i18n import _
from dashboard.responses import error_page, json_error
from db.session import Session, ping
from db.versioning import data_version

logger = logging.getLogger(__name__)

# The errors that mean "the database cannot be reached right now" (a restart, a cut connection), not a bug in a query.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)
RETRY_AFTER = "5"


def healthz():
    """200 when the database answers (the cache may be degraded: the app then answers uncached), else 503."""
    start = time.perf_counter()
    try:
        with Session() as session:
            ping(session)
            version, changed_at = data_version(session)
        database = {"ok": True, "latency_ms": round(1000 * (time.perf_counter() - start), 1),
                    "data_version": version, "changed_at": changed_at.isoformat() if changed_at else None}
    except DBAPIError as err:  # unreachable, or reachable but broken (a missing table): not healthy either way
        database = {"ok": False, "error": err.__class__.__name__}
    cache = cache_health()
    status = "ok" if database["ok"] and cache.get("ok") else ("degraded" if database["ok"] else "down")
    response = jsonify({"status": status, "database": database, "cache": cache})
    response.status_code = 200 if database["ok"] else 503
    response.headers["Cache-Control"] = "no-store"
    if not database["ok"]:
        response.headers["Retry-After"] = RETRY_AFTER
    return response


# What SQLite ("database is locked") and PostgreSQL (lock_timeout, deadlock, serialization) say when the store
# answered but other writes held it longer than the busy timeout: busy, not unreachable.
BUSY_MARKERS = ("database is locked", "database table is locked", "lock timeout", "deadlock detected",
                "could not serialize access")
BUSY_SQLSTATES = ("55P03", "40P01", "40001")


def store_busy(err) -> bool:
    """Whether `err` (a DBAPI error) means the store was busy with other writes rather than unreachable."""
    orig = getattr(err, "orig", None)
    if getattr(orig, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    text = str(orig if orig is not None else err).lower()
    return any(marker in text for marker in BUSY_MARKERS)


def database_unreachable(err):
    """A request that needed the database while it was unreachable (a restart) or busy with other writes for
    longer than the busy timeout: 503, try again shortly (nothing was saved)."""
    if store_busy(err):
        logger.warning("store busy during %s %s: %s", request.method, request.path, str(getattr(err, "orig", err))[:200])
        message = _("The store is busy with other changes and nothing was saved; please try again in a few seconds.")
    else:
        logger.error("database unreachable during %s %s: %s", request.method, request.path, err.__class__.__name__)
        message = _("The database is not reachable at the moment; please try again in a few seconds.")
    if request.path.startswith(("/api/", "/_dash", "/export/", "/healthz")) or not request.accept_mimetypes.accept_html:
        response = json_error(503, message)
    else:  # a page: it reloads itself in a few seconds
        response = error_page(503, message, head="<meta http-equiv='refresh' content='5'>")
    response.headers["Retry-After"] = RETRY_AFTER
    return response


def register_health(server) -> None:
    server.add_url_rule("/healthz", "healthz", healthz)
    # Only "cannot reach the database" becomes a 503: a failing query (ProgrammingError, IntegrityError ...) is a bug,
    # answered 500 and logged with its traceback.
    for error in DATABASE_UNREACHABLE:
        server.register_error_handler(error, database_unreachable)
