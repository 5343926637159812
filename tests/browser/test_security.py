"""Every page under the Content-Security-Policy in headless Chromium: no violation (Chromium reports each as a
console error), every chart drawn, and the policy really enforced."""

import pytest

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


@pytest.mark.parametrize("path,charts", PAGES, ids=[p[0] for p in PAGES])
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
