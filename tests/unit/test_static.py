"""The served front end: the plotly.js bundle holds every trace the charts draw; static files are compressed,
cacheable for their lifetime and cookie-free; no page asks for Dash's full plotly.js, nor for dash-ag-grid's bundle
before it draws a table (tests/browser/test_on_demand.py draws them)."""

import gzip
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest
from flask import Flask

from dashboard.charts import CHARTS, ChartFilters, render
from dashboard.static import GRID_LOADER, PLOTLY_BUNDLE, PRECOMPRESSED, Precompressed, compress_static

ROOT = Path(__file__).resolve().parents[2]
BUNDLE_ENTRY = ROOT / "frontend" / "plotly-bundle.js"
CORE_TRACES = {"scatter"}  # plotly.js/lib/core registers scatter itself


def bundled_traces() -> set[str]:
    return CORE_TRACES | set(re.findall(r"require\('plotly\.js/lib/([a-z0-9]+)'\)", BUNDLE_ENTRY.read_text()))


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.attributes: dict[str, dict] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
            self.attributes[attrs["src"]] = attrs
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])


def _page_files(client, path="/"):
    tags = _Tags()
    tags.feed(client.get(path).get_data(as_text=True))
    return tags


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_the_bundle_registers_every_trace_a_chart_draws(app_store, chart_id):
    from flask import Flask

    with Flask(__name__).test_request_context():
        for regions in (None, ["Europe"]):
            figure = render(chart_id, ChartFilters(regions=regions, year=2020)).figure
            drawn = {trace.get("type", "scatter") for trace in figure.get("data", [])}
            missing = drawn - bundled_traces()
            assert not missing, f"{chart_id} draws {missing}: add them to frontend/plotly-bundle.js"


def test_the_bundle_registers_every_trace_the_figure_builders_construct():
    """Also the traces a builder draws only for some data (the indicator distribution needs per-member values,
    which the shipped store does not have). The builders write their traces as dicts: dict(type="bar", ...)."""
    constructed = set()
    for module in (ROOT / "dashboard" / "figures").glob("*.py"):
        constructed |= set(re.findall(r"\btype=\"([a-z]+)\"", module.read_text()))
    assert {"bar", "heatmap", "scattergeo", "indicator", "histogram", "scatter"} <= constructed
    assert constructed and not constructed - bundled_traces(), constructed - bundled_traces()


def test_the_bundle_is_installed_and_loaded_before_dash_components(dash_app):
    assert PLOTLY_BUNDLE.exists(), "run `make install`: it builds assets/vendor/plotly/plotly.min.js"
    scripts = _page_files(dash_app.server.test_client()).scripts
    ours = [i for i, src in enumerate(scripts) if src.startswith("/assets/vendor/plotly/plotly.min.js?v=")]
    dcc = [i for i, src in enumerate(scripts) if "/dash/dcc/" in src]
    assert ours and dcc and ours[0] < dcc[0], scripts
    assert not [src for src in scripts if "/plotly/package_data/" in src or src.endswith("plotly.min.js")]


def test_no_page_loads_dash_ag_grid_before_it_draws_a_table(dash_app):
    """The page names the bundle to the script that fetches it on demand; the bundle itself is served, cacheable."""
    client = dash_app.server.test_client()
    for path in ("/", "/events"):
        files = _page_files(client, path)
        assert not [src for src in files.scripts if "dash_ag_grid" in src], files.scripts
        loaders = [files.attributes[src] for src in files.scripts if src.startswith(GRID_LOADER + "?v=")]
        assert len(loaders) == 1, files.scripts
    bundle = loaders[0]["data-bundle"]
    assert bundle.startswith("/_dash-component-suites/dash_ag_grid/dash_ag_grid.v"), bundle
    response = client.get(bundle)
    assert response.status_code == 200 and b"window.dash_ag_grid=" in response.get_data()
    assert response.cache_control.max_age >= 365 * 24 * 3600 and response.cache_control.immutable


def test_static_files_are_compressed_cacheable_and_cookie_free(dash_app):
    client = dash_app.server.test_client()
    client.get("/")  # a visitor with a session and the CSRF cookie
    files = _page_files(client)
    assert files.scripts and files.styles
    for src in files.scripts + files.styles:
        response = client.get(src, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
        response.get_data()  # consume the streamed body inside this request (it is compressed as it streams)
        response.close()
        assert response.status_code == 200, src
        assert response.headers.get("Content-Encoding") in ("br", "zstd", "gzip"), src
        assert response.cache_control.max_age and response.cache_control.max_age >= 365 * 24 * 3600, src
        assert response.cache_control.public and not response.cache_control.no_cache, src
        assert "Set-Cookie" not in response.headers, src
        assert "cookie" not in response.headers.get("Vary", "").lower(), src


def test_answers_are_compressed_and_pages_keep_their_cookies(dash_app):
    client = dash_app.server.test_client()
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers.get("Content-Encoding") == "gzip"
    assert client.get_cookie("_csrf_token") is not None  # the page still sets what callbacks send back
    api = client.get("/api/v1/members", headers={"Accept-Encoding": "gzip"})
    assert api.headers.get("Content-Encoding") == "gzip"


DECODERS = {"br": brotli.decompress, "gzip": gzip.decompress}


def test_bundles_are_served_compressed_once_at_install(dash_app):
    """Every script and stylesheet of a page with a table (and the chunks Dash and the table fetch later) is the
    copy `python -m dashboard.static` wrote, as it is: brotli when accepted, else gzip, with its length, an ETag of
    its own (304 when the browser has it), `Vary: Accept-Encoding` and the lifetime of the file."""
    manifest = json.loads((PRECOMPRESSED / "manifest.json").read_text())  # `make install` writes it
    client = dash_app.server.test_client()
    files = _page_files(client, "/events")
    bundle = next(files.attributes[src]["data-bundle"] for src in files.scripts if src.startswith(GRID_LOADER))
    addresses = [*files.scripts, *files.styles, bundle, "/_dash-component-suites/dash/dcc/async-graph.js",
                 "/_dash-component-suites/dash_ag_grid/async-community.js", "/assets/topojson/world_110m.json"]
    for src in addresses:
        entry = manifest[Precompressed.address(urlsplit(src).path)]
        plain = client.get(src, headers={"Accept-Encoding": "identity"})
        raw = plain.get_data()
        assert plain.status_code == 200 and "Content-Encoding" not in plain.headers, src
        for accept, encoding in (("gzip, deflate, br, zstd", "br"), ("gzip, deflate", "gzip")):
            response = client.get(src, headers={"Accept-Encoding": accept})
            body = response.get_data()
            assert response.headers["Content-Encoding"] == encoding, (src, accept)
            assert body == (PRECOMPRESSED / entry[encoding]).read_bytes(), src  # not compressed per answer
            assert DECODERS[encoding](body) == raw, src  # one decoding gives the file: compressed once
            assert response.headers["Content-Length"] == str(len(body)), src
            assert "accept-encoding" in response.headers["Vary"].lower() and "cookie" not in response.headers["Vary"]
            assert response.cache_control.max_age == plain.cache_control.max_age, src
            assert response.cache_control.public and response.cache_control.immutable == plain.cache_control.immutable
            etag = response.headers["ETag"]
            assert etag and encoding in etag, src
            again = client.get(src, headers={"Accept-Encoding": accept, "If-None-Match": etag})
            assert again.status_code == 304 and again.get_data() == b"", src


def test_compressing_writes_brotli_at_its_highest_level_and_gzip_once(tmp_path):
    source = tmp_path / "assets" / "app.js"
    source.parent.mkdir()
    source.write_text("window.metropolis = function (x) { return x * 2; };\n" * 400)
    folder = tmp_path / "precompressed"
    entry = compress_static({"assets/app.js": source}, folder)["assets/app.js"]
    raw = source.read_bytes()
    assert (folder / entry["br"]).read_bytes() == brotli.compress(raw, quality=11)
    assert gzip.decompress((folder / entry["gzip"]).read_bytes()) == raw
    written = (folder / entry["br"]).stat().st_mtime_ns
    os.utime(folder / entry["br"], ns=(written - 10**9, written - 10**9))
    compress_static({"assets/app.js": source}, folder)  # unchanged: not compressed again
    assert (folder / entry["br"]).stat().st_mtime_ns == written - 10**9


def test_a_file_changed_since_install_is_not_served_from_its_old_copy(tmp_path):
    source = tmp_path / "assets" / "app.js"
    source.parent.mkdir()
    source.write_text("var before = 1;\n" * 100)
    compress_static({"assets/app.js": source}, tmp_path / "precompressed")
    server = Flask(__name__, static_folder=str(tmp_path / "assets"), static_url_path="/assets")
    server.before_request(Precompressed(tmp_path / "precompressed"))
    client = server.test_client()
    assert client.get("/assets/app.js", headers={"Accept-Encoding": "br"}).headers.get("Content-Encoding") == "br"
    source.write_text("var after = 2;\n" * 100)
    response = client.get("/assets/app.js", headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in response.headers and response.get_data() == source.read_bytes()
