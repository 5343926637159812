"""Static answers: compression of every text answer, long cache lifetimes for fingerprinted files, plotly.js,
dash-ag-grid fetched only by the pages that show a table, and the static bundles compressed once at install.

`python -m dashboard.static` (run by `make install`) writes the brotli (highest level) and gzip copies of every
bundle and stylesheet a page can load into build/precompressed/ (git-ignored); the app then serves them as they
are to a browser that accepts them, instead of compressing each answer again (README 'Speed')."""

from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import json
import logging
import mimetypes
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import brotli
import dash_ag_grid
from dash.fingerprint import build_fingerprint, check_fingerprint
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
# The compressed copies of the static files, written at install (`python -m dashboard.static`), and their list:
# {address without its fingerprint: {"source", "size", "mtime_ns", "sha256", "br", "gzip"}}.
PRECOMPRESSED = ROOT / "build" / "precompressed"
MANIFEST = PRECOMPRESSED / "manifest.json"
PRECOMPRESSED_SUFFIXES = (".js", ".css", ".json", ".svg")  # text; fonts and source maps are left as they are
PRECOMPRESSED_ENCODINGS = ("br", "gzip")  # in order of preference (brotli at level 11 beats zstd's and gzip's)
# The component libraries whose bundles Dash serves (Dash's own are found through dash itself).
COMPONENT_PACKAGES = ("dash_bootstrap_components", "dash_ag_grid")
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


# ---- the static bundles compressed once, at install ---------------------------------------------------------

def _package_resources() -> Iterator[tuple[str, str]]:
    """(namespace, path inside the package) of every script and stylesheet Dash may serve from a package."""
    import dash_bootstrap_components  # noqa: F401 - imported for its resource lists; the pages import it anyway
    from dash import _dash_renderer, dash_table, dcc, html
    from dash.development.base_component import ComponentRegistry

    for module in COMPONENT_PACKAGES:
        __import__(module)
    lists = [_dash_renderer._js_dist_dependencies, _dash_renderer._js_dist,  # noqa: SLF001 - Dash's own lists
             *(getattr(module, name, []) for module in (dcc, html, dash_table) for name in ("_js_dist", "_css_dist")),
             ComponentRegistry.get_resources("_js_dist", COMPONENT_PACKAGES),
             ComponentRegistry.get_resources("_css_dist", COMPONENT_PACKAGES)]
    for resources in lists:
        for resource in resources:
            paths = resource.get("relative_package_path")
            if isinstance(paths, dict):  # Dash's React and friends: {"prod": [...], "dev": [...]}
                paths = [path for mode in paths.values() for path in ([mode] if isinstance(mode, str) else mode)]
            for path in [paths] if isinstance(paths, str) else paths or []:
                yield resource["namespace"], path


def static_files() -> dict[str, Path]:
    """{address without fingerprint and leading slash: file} of every text file worth compressing once: the
    component bundles Dash serves and the files under assets/ (ours, and the vendor files `make assets` copies)."""
    files: dict[str, Path] = {}
    for namespace, path in _package_resources():
        file = Path(sys.modules[namespace].__file__).parent / path
        if file.suffix in PRECOMPRESSED_SUFFIXES and file.is_file():
            files[f"_dash-component-suites/{namespace}/{path}"] = file
    assets = ROOT / "assets"
    for file in sorted(assets.rglob("*")):
        if file.suffix in PRECOMPRESSED_SUFFIXES and file.is_file():
            files[f"assets/{file.relative_to(assets).as_posix()}"] = file
    return files


def _stamp(file: Path) -> dict:
    info = file.stat()
    return {"source": str(file), "size": info.st_size, "mtime_ns": info.st_mtime_ns}


def compress_static(files: dict[str, Path], folder: Path = PRECOMPRESSED) -> dict[str, dict]:
    """Write `folder`/<address>.br (brotli, level 11) and .gz (gzip, level 9) for each file and the manifest;
    a file unchanged since the last run (same size and modification time) is not compressed again."""
    manifest_file = folder / MANIFEST.name
    try:
        previous = json.loads(manifest_file.read_text())
    except (OSError, ValueError):
        previous = {}
    manifest: dict[str, dict] = {}
    for address, file in files.items():
        stamp = _stamp(file)
        written = {encoding: folder / f"{address}.{'br' if encoding == 'br' else 'gz'}"
                   for encoding in PRECOMPRESSED_ENCODINGS}
        old = previous.get(address, {})
        if ({k: old.get(k) for k in stamp} == stamp and old.get("sha256")
                and all(path.is_file() for path in written.values())):
            manifest[address] = old
            continue
        raw = file.read_bytes()
        bodies = {"br": brotli.compress(raw, quality=11), "gzip": gzip.compress(raw, compresslevel=9, mtime=0)}
        for encoding, path in written.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bodies[encoding])
        manifest[address] = {**stamp, "sha256": hashlib.sha256(raw).hexdigest()[:20],
                             **{encoding: str(path.relative_to(folder)) for encoding, path in written.items()}}
        logger.info("compressed %s: %d -> %d bytes (br)", address, len(raw), len(bodies["br"]))
    folder.mkdir(parents=True, exist_ok=True)
    manifest_file.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


class Precompressed:
    """Serves the copies `compress_static` wrote: a GET of a listed file by a browser that accepts br (or gzip)
    is answered with the copy as it is, with its Content-Encoding, Content-Length, `Vary: Accept-Encoding` and an
    ETag of its own (304 when the browser has it); Flask-Compress leaves an encoded answer alone. A file changed
    since the install (a Dash upgrade without `make install`) is served as before and compressed on the fly."""

    def __init__(self, folder: Path = PRECOMPRESSED):
        self.folder = folder
        try:
            self.manifest = json.loads((folder / MANIFEST.name).read_text())
        except (OSError, ValueError):
            self.manifest = {}
            logger.warning("no pre-compressed static files in %s (run `make install`): compressing each answer",
                           folder)
        self._stale_reported: set[str] = set()

    @staticmethod
    def address(path: str) -> str | None:
        """The manifest key of a request path: suites without Dash's fingerprint, assets as they are."""
        if path.startswith("/_dash-component-suites/"):
            return check_fingerprint(path[1:])[0]
        if path.startswith("/assets/"):
            return path[1:]
        return None

    def _fresh(self, address: str, entry: dict) -> bool:
        try:
            fresh = {k: entry.get(k) for k in ("size", "mtime_ns")} == {
                k: v for k, v in _stamp(Path(entry["source"])).items() if k != "source"}
        except OSError:
            fresh = False
        if not fresh and address not in self._stale_reported:
            self._stale_reported.add(address)
            logger.warning("%s changed since it was compressed (run `make install`): compressing it per answer",
                           address)
        return fresh

    def __call__(self) -> Response | None:
        if request.method not in ("GET", "HEAD") or not self.manifest:
            return None
        address = self.address(request.path)
        entry = self.manifest.get(address) if address else None
        if entry is None:
            return None
        accepted = request.accept_encodings
        encoding = next((e for e in PRECOMPRESSED_ENCODINGS if accepted[e] > 0 and e in entry), None)
        if encoding is None or not self._fresh(address, entry):
            return None
        body = (self.folder / entry[encoding]).read_bytes()
        response = Response(body, mimetype=mimetypes.guess_type(address)[0] or "application/octet-stream")
        response.headers["Content-Encoding"] = encoding
        response.headers["Vary"] = "Accept-Encoding"
        response.set_etag(f"{entry['sha256']}-{encoding}")
        return response.make_conditional(request)


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
        fingerprinted = check_fingerprint(path)[1]  # Dash's `.v<version>m<mtime>.` in the file name
        control.max_age = ONE_YEAR if fingerprinted else UNFINGERPRINTED_SUITE_MAX_AGE
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
    server.before_request(Precompressed())
    server.session_interface = StaticFilesSessionInterface()


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Compress the static bundles once (brotli level 11 and gzip) "
                                                 "into build/precompressed/, for the app to serve as they are.")
    parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "WARNING"), format="%(levelname)s %(message)s")
    manifest = compress_static(static_files())
    print(f"{len(manifest)} static files compressed in {PRECOMPRESSED.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
