"""Every page under the Content-Security-Policy in headless Chromium: no violation (Chromium reports each as a
console error), every chart drawn, and the policy really enforced."""

import contextlib

import pytest

from tests.conftest import threaded_server

pytestmark = pytest.mark.browser

PAGES = [("/", True), ("/map", True), ("/engagement", True), ("/gender", True), ("/action-plan", True),
         ("/events", True), ("/members", False), ("/members/madrid", True), ("/sources", False), ("/login", False),
         ("/embed/members-map", True), ("/embed/gender-parity?region=Europe", True)]
ALL_CHARTS_DRAWN = """() => {
    const graphs = [...document.querySelectorAll('.dash-graph')];
    const plots = graphs.map(g => g.querySelector('.js-plotly-plot'));
    return graphs.length > 0 && plots.every(p => p && p._fullLayout && p.querySelector('.main-svg'))
        && plots.some(p => (p._fullData || []).length > 0);
}"""


# one page of each kind in the default suite (charts, a map, a grid, a form, an embed; test_pages' brw001 also fails
# on any console error, which is how Chromium reports a violation), the others in `make test-slow`
BY_DEFAULT = {"/", "/map", "/members", "/login", "/embed/members-map"}


@pytest.mark.parametrize("path,charts", [p if p[0] in BY_DEFAULT else pytest.param(*p, marks=pytest.mark.slow)
                                         for p in PAGES], ids=[p[0] for p in PAGES])
def test_sec001_page_runs_under_the_csp(watched, path, charts):
    page = watched.page
    response = page.goto(watched.base_url + path)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "unsafe-eval" not in policy
    page.wait_for_load_state("networkidle")
    if charts:
        page.wait_for_function(ALL_CHARTS_DRAWN)
    else:
        page.wait_for_selector(".ag-row, form, #sources-reconciliation, .page", state="attached")
    assert watched.errors == [], watched.errors
    assert watched.outside == []


def test_sec002_the_policy_is_enforced(watched):
    """An injected inline script is refused and reported: the console check above would see a violation."""
    page = watched.page
    watched.open("/")
    with page.expect_console_message(lambda m: m.type == "error") as message:
        page.evaluate("""() => { const s = document.createElement('script');
                                 s.textContent = 'window.injected = true;'; document.head.appendChild(s); }""")
    assert "Content Security Policy" in message.value.text
    assert page.evaluate("window.injected === undefined")


@contextlib.contextmanager
def partner_site(html: str):
    """Another site (another port on 127.0.0.1, so another origin) serving one page; yields its address."""
    body = html.encode()

    def page(_environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [body]

    with threaded_server(page) as base:
        yield base + "/"


def test_sec003_a_partner_site_frames_an_embed_but_no_other_page(browser, live_server):
    """A page on another site frames an embed, which draws, and the overview, which Chromium refuses for its
    frame-ancestors 'none'."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20000)
    html = (f"<!doctype html><iframe id='embed' src='{live_server}/embed/gender-parity' width='900' height='600'>"
            f"</iframe><iframe id='page' src='{live_server}/' width='900' height='600'></iframe>")
    with partner_site(html) as partner:
        with page.expect_console_message(lambda m: "frame-ancestors" in m.text) as refused:
            page.goto(partner)
        assert "'none'" in refused.value.text and live_server in refused.value.text
        page.frame_locator("#embed").locator(".js-plotly-plot .main-svg").first.wait_for()
        assert page.frame_locator("#page").locator("#_dash-app-content, .page").count() == 0
    context.close()
