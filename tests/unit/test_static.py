"""The served front end: the plotly.js bundle holds every trace the charts draw; static files are compressed,
cacheable for their lifetime and cookie-free; no page asks for Dash's full plotly.js."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dashboard.charts import CHARTS, ChartFilters, render
from dashboard.static import PLOTLY_BUNDLE

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

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
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
