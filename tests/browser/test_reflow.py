"""Reflow and motion (WCAG 1.4.10, 2.3.3): at 320x800 CSS px (1280 px at 400% zoom) no page, form page or embed
scrolls sideways (a wide table, or a matrix in an embed, scrolls inside its own box) and no plot is wider than the
screen outside such a box; a reader who asks for reduced motion gets no CSS transitions, no chart transitions and no
smooth scrolling."""

from __future__ import annotations

import re

import pytest

from dashboard.charts import CHARTS
from tests.browser.conftest import READ_ONLY_STAFF
from tests.conftest import PASSWORD

# slow (make test-slow): every page and embed at 320 px; the default suite keeps test_a11y008's three pages
pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRETARIAT = "reflow-sec@metropolis.test"
PAGES = ["/", "/map", "/engagement", "/gender", "/action-plan", "/events", "/members", "/members/berlin",
         "/sources", "/indicators", "/indicators/observatory.poverty_pct", "/login", "/api/v1/docs"]
SIGNED_IN_PAGES = ["/record", "/audit", "/account"]
WIDTH = 320

# Everything wider than the screen that is not inside a box that scrolls by itself: what makes the page scroll.
_OVERFLOW = """(width) => [...document.querySelectorAll('body *')].filter(e => {
        if (e instanceof SVGElement && !(e instanceof SVGSVGElement)) return false;
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.right <= width + 0.5) return false;
        for (let n = e.parentElement; n; n = n.parentElement) {
            const o = getComputedStyle(n).overflowX;
            if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
        }
        return getComputedStyle(e).position !== 'fixed';
    }).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + (typeof e.className === 'string' ? e.className : '')
                        + ' right=' + Math.round(e.getBoundingClientRect().right))"""


@pytest.fixture(scope="module")
def reflow_server(staff_server):
    """The shared read-only server (its store has this group's Secretariat user, SECRETARIAT)."""
    assert any(user["email"] == SECRETARIAT for user in READ_ONLY_STAFF)
    return staff_server


@pytest.fixture(scope="module")
def narrow(browser, reflow_server):
    context = browser.new_context(viewport={"width": WIDTH, "height": 800})
    tab = context.new_page()
    tab.set_default_timeout(20000)
    tab.base = reflow_server
    yield tab
    context.close()


def _settle(page, path: str) -> None:
    page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("h1", state="attached")
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(g => g.querySelector('.main-svg'))")
    # the page's own callbacks (tables filled in after the first render) have answered
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading]')")
    page.wait_for_timeout(300)


def _assert_reflows(page, path: str) -> None:
    _settle(page, path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{path} is {width} px wide at {WIDTH} px: {page.evaluate(_OVERFLOW, WIDTH)}"
    # a plot wider than the screen is cut, unless it scrolls sideways in a box of its own on the screen (a matrix
    # keeps a readable column each, as a wide table does: content of two dimensions, which WCAG 1.4.10 exempts)
    plots = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(g => {
        let box = null;
        for (let n = g.parentElement; n && !box; n = n.parentElement) {
            const o = getComputedStyle(n).overflowX;
            if ((o === 'auto' || o === 'scroll') && n.scrollWidth > n.clientWidth + 1) box = n;
        }
        return box ? box.getBoundingClientRect().right : g.getBoundingClientRect().right;
    })""")
    assert all(right <= WIDTH + 0.5 for right in plots), f"{path}: a plot is cut at {WIDTH} px ({plots})"


@pytest.mark.parametrize("path", PAGES)
def test_reflow001_pages_fit_320px(narrow, path):
    _assert_reflows(narrow, path)


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_reflow002_embeds_fit_320px(narrow, chart_id):
    _assert_reflows(narrow, f"/embed/{chart_id}?region=Europe")


def test_reflow003_signed_in_pages_fit_320px(narrow):
    narrow.goto(narrow.base + "/login")
    narrow.fill("#email", SECRETARIAT)
    narrow.fill("#password", PASSWORD)
    narrow.click("button[type=submit]")
    narrow.wait_for_url(re.compile(r"^(?!.*login).*$"))
    for path in SIGNED_IN_PAGES:
        _assert_reflows(narrow, path)


def test_reflow004_wide_tables_scroll_in_their_own_box(narrow):
    _settle(narrow, "/sources")
    boxes = narrow.evaluate("""() => [...document.querySelectorAll('main table')].map(t => ({
        wide: t.getBoundingClientRect().width > innerWidth, box: getComputedStyle(t.parentElement).overflowX}))""")
    assert any(b["wide"] for b in boxes), "no table on /sources is wider than 320 px: the check checks nothing"
    assert all(b["box"] == "auto" for b in boxes if b["wide"]), boxes


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reflow005_reduced_motion(browser, reflow_server, motion):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion=motion)
    page = context.new_page()
    page.set_default_timeout(20000)
    page.base = reflow_server
    try:
        _settle(page, "/")
        duration = page.evaluate("() => getComputedStyle(document.querySelector('.kpi-card')).transitionDuration")
        if motion == "reduce":
            assert duration == "0s", duration
        else:
            assert duration != "0s", "the card has no transition to take away: the reduced case checks nothing"
        for path in ("/", "/engagement", "/map"):
            _settle(page, path)
            transitions = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(g =>
                (g.layout && g.layout.transition && g.layout.transition.duration) || 0)""")
            assert transitions and all(t == 0 for t in transitions), f"{path}: chart transitions {transitions}"
        # a #hash scrolls into view at once, not smoothly, for a reader who asked for less motion
        behaviour = page.evaluate("""() => new Promise(resolve => {
            const original = Element.prototype.scrollIntoView;
            Element.prototype.scrollIntoView = function (options) { resolve(options && options.behavior); };
            const target = document.querySelector('main [id]');
            history.replaceState(null, '', '#' + target.id);
            window.dash_clientside.metropolis.scrollToHash();
            setTimeout(() => { Element.prototype.scrollIntoView = original; resolve('none'); }, 1000);
        })""")
        assert behaviour == ("auto" if motion == "reduce" else "smooth")
    finally:
        context.close()
