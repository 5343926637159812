"""Static answers: compression of every text answer, long cache lifetimes for fingerprinted files, plotly.js,
and dash-ag-grid fetched only by the pages that show a table."""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path

import dash_ag_grid
from dash.fingerprint import build_fingerprint
from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from flask_compress import Compress

from config.settings import ROOT

logger = logging.getLogger(__name__)

# Built at install from frontend/plotly-bundle.js (only the trace types the figures draw); README 'Speed'.
PLOTLY_BUNDLE = ROOT / "assets" / "vendor" / "plotly" / "plotly.min.js"
PLOTLY_PATH = "/assets/vendor/plotly/plotly.min.js"
ONE_YEAR = 365 * 24 * 3600
# Files that are the same for every visitor: they never carry a cookie or `Vary: Cookie` (shared caches keep them)
STATIC_PATHS = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
# Dash's own code-split chunks (async-graph.js ...) are requested without a fingerprint: they change only with
# the installed Dash, so a day's lifetime (then a cheap revalidation by ETag) is safe across upgrades.
UNFINGERPRINTED_SUITE_MAX_AGE = 24 * 3600
# dash-ag-grid's bundle, fetched by assets/on-demand/dash-ag-grid.js when a page draws a table (on_demand_grid).
GRID_BUNDLE = "dash_ag_grid.min.js"
GRID_LOADER = "/assets/on-demand/dash-ag-grid.js"
COMPRESSED_TYPES = ["text/html", "text/css", "text/plain", "text/csv", "text/xml", "application/json",
                    "application/javascript", "text/javascript", "image/svg+xml", "application/geo+json"]


@functools.cache
def file_fingerprint(path: Path) -> str:
    """The first 12 hex digits of the file's sha256: a new file gets a new address, so it can be cached for a year."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_url(path: str) -> str:
    """`/assets/...` with the file's fingerprint as `?v=` (cached for a year); unchanged if the file is missing."""
    file = ROOT / path.lstrip("/")
    return f"{path}?v={file_fingerprint(file)}" if file.is_file() else path


def plotly_script() -> list[str]:
    """The address of the installed plotly.js bundle with its fingerprint, for Dash's `external_scripts`; empty
    (Dash then serves its full bundle) when the front-end files are not installed, which the log says."""
    if not PLOTLY_BUNDLE.exists():
        logger.warning("%s is missing (run `make install`): Dash will serve its full plotly.js", PLOTLY_BUNDLE)
        return []
    return [asset_url(PLOTLY_PATH)]


def on_demand_grid(requests_prefix: str) -> dict:
    """Take dash-ag-grid's bundle out of every page (Dash still serves it) and return the `external_scripts` entry
    of the script that fetches it when a page draws a table (assets/on-demand/dash-ag-grid.js says how).
    `requests_prefix` is the app's `requests_pathname_prefix`; the address carries Dash's own fingerprint, so the
    bundle is cached for a year like the others."""
    for resource in dash_ag_grid._js_dist:  # noqa: SLF001 - the library's resource list is how Dash finds it
        if resource.get("relative_package_path") == GRID_BUNDLE:
            resource["dynamic"] = True  # served when asked for, not written into the page (dash/resources.py)
    file = Path(dash_ag_grid.__file__).parent / GRID_BUNDLE
    fingerprinted = build_fingerprint(GRID_BUNDLE, dash_ag_grid.__version__, int(file.stat().st_mtime))
    return {"src": asset_url(GRID_LOADER),
            "data-bundle": f"{requests_prefix}_dash-component-suites/dash_ag_grid/{fingerprinted}"}


class StaticFilesSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a static file never saves the session nor varies on it
    (Flask-Login looks into the session after every request, which would add `Vary: Cookie` to every file)."""

    def save_session(self, app, session, response) -> None:
        if request.path.startswith(STATIC_PATHS):
            return
        super().save_session(app, session, response)


def _cache_static(response: Response) -> Response:
    """Give static files the lifetime their address allows."""
    if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
        return response
    path, control = request.path, response.cache_control
    if path.startswith("/assets/"):
        # ours (?v=sha256), Dash's (?m=mtime), bootstrap-icons' font (?<hash>): any query names one version
        fingerprinted = bool(request.query_string)
        control.max_age = ONE_YEAR if fingerprinted else UNFINGERPRINTED_SUITE_MAX_AGE
    elif path.startswith("/_dash-component-suites/"):
        fingerprinted = control.max_age is not None  # Dash sets a year on the files it fingerprints
        control.max_age = control.max_age or UNFINGERPRINTED_SUITE_MAX_AGE
    else:
        return response
    control.public = True
    control.no_cache = None  # Flask's static files ask for revalidation each time; the lifetime above decides
    control.immutable = fingerprinted
    return response


def init_static(server: Flask) -> None:
    """Compress text answers (zstd, brotli or gzip, as the browser accepts) and set static cache lifetimes.
    Call it before registering other after_request hooks: Flask runs them in reverse order, so compression
    then runs last, on the final body."""
    server.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    server.config.setdefault("COMPRESS_MIN_SIZE", 500)
    server.config.setdefault("COMPRESS_BR_LEVEL", 5)
    Compress(server)
    server.after_request(_cache_static)
    server.session_interface = StaticFilesSessionInterface()
