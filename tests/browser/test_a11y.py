"""Accessibility in Chromium: axe-core's WCAG 2.2 A/AA rules on every page, embed and form page (0 violations),
and the keyboard alone: a skip link, named filters that open with Space, the export menu, Link and Embed."""

from __future__ import annotations

import re

import pytest

from dashboard import ids
from dashboard.charts import CHARTS
from dashboard.figures.style import contrast_ratio
from tests.browser.conftest import READ_ONLY_STAFF, ROOT, dash_id
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # from npm (package.json), injected by the test: no CDN
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = ["/", "/map", "/engagement", "/gender", "/action-plan", "/events", "/members", "/members/berlin",
         "/sources", "/indicators", "/indicators/observatory.poverty_pct", "/login"]
SIGNED_IN_PAGES = ["/record", "/audit"]
SECRETARIAT = "a11y-sec@metropolis.test"


@pytest.fixture(scope="module")
def a11y_server(staff_server):
    """The shared read-only server (its store has this group's Secretariat user, SECRETARIAT)."""
    assert any(user["email"] == SECRETARIAT for user in READ_ONLY_STAFF)
    return staff_server


@pytest.fixture
def page(browser, a11y_server):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make install` (npm ci)", pytrace=False)
    # bypass_csp: axe is injected as an inline script, which the app's CSP rightly refuses (test_security checks it)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(20000)
    tab.base = a11y_server
    yield tab
    context.close()


def _open(page, path: str) -> None:
    page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("h1", state="attached")  # the page (or embed) has rendered its content
    # axe reads what is drawn (a function, not a string: the CSP refuses the eval a string predicate needs): wait until every plot has drawn its SVG
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(g => g.querySelector('.main-svg'))")


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 4).map(
                n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200)
            ).join(' | '));
        }""", WCAG_TAGS)
    return found


def _sign_in(page) -> None:
    page.goto(page.base + "/login")
    page.fill("#email", SECRETARIAT)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))


# every page unfiltered in the default suite; filtered to one region, and the embeds but one of each kind of chart,
# in `make test-slow` (CI runs both)
EMBEDS_BY_DEFAULT = {"active-by-region", "members-map", "engagement-matrix", "events-timeline"}


@pytest.mark.parametrize("query", ["", pytest.param("?region=Europe", marks=pytest.mark.slow)], ids=["all", "europe"])
@pytest.mark.parametrize("path", PAGES)
def test_a11y001_pages_have_no_axe_violations(page, path, query):
    _open(page, path + query)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert _violations(page) == []
    if path != "/login":
        assert page.locator("main").count() == 1 and page.locator("h1").count() == 1


@pytest.mark.parametrize("chart_id", [c if c in EMBEDS_BY_DEFAULT else pytest.param(c, marks=pytest.mark.slow)
                                      for c in sorted(CHARTS)])
def test_a11y002_embeds_have_no_axe_violations(page, chart_id):
    _open(page, f"/embed/{chart_id}?region=Europe")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").count() == 1
    assert _violations(page) == []


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_a11y003_form_pages_have_no_axe_violations(page, path):
    _sign_in(page)
    _open(page, path)
    assert _violations(page) == []


def _rgb(css: str) -> str:
    r, g, b = (int(float(v)) for v in re.findall(r"[\d.]+", css)[:3])
    return f"#{r:02X}{g:02X}{b:02X}"


def _focus_is_visible(page, background: str = "#FFFFFF") -> None:
    """The focused element draws an outline at least 2 px wide, of at least 3:1 against its background."""
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {width: s.outlineWidth, style: s.outlineStyle, colour: s.outlineColor}; }""")
    assert style["style"] != "none" and float(style["width"].rstrip("px")) >= 2, style
    assert contrast_ratio(_rgb(style["colour"]), background) >= 3, style


def _focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        const names = (e.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
            .map(id => (document.getElementById(id) || {}).textContent || '');
        return {tag: e.tagName, text: (e.textContent || '').trim(), id: e.id,
                name: e.getAttribute('aria-label') || names.join(' ').trim(), expanded: e.getAttribute('aria-expanded')}; }""")


def test_a11y004_keyboard_reaches_the_content_and_the_filters(page):
    _open(page, "/map")
    page.keyboard.press("Tab")
    skip = _focused(page)
    assert skip["tag"] == "A" and "Skip" in skip["text"]
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0  # shown when focused
    _focus_is_visible(page)
    for _ in range(40):  # past the navbar: the first filter is named by its label and opens with Space
        page.keyboard.press("Tab")
        if _focused(page)["id"] == ids.Shell.REGION:
            break
    region = _focused(page)
    assert region["id"] == ids.Shell.REGION and region["name"].startswith("Region"), region
    _focus_is_visible(page)
    page.keyboard.press("Space")
    page.wait_for_function(f"() => document.getElementById('{ids.Shell.REGION}').getAttribute('aria-expanded') === 'true'")
    # the open list takes focus in its search box (on the next frame); Escape closes it and gives focus back
    page.wait_for_function("() => document.activeElement.classList.contains('dash-dropdown-search')")
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => document.activeElement.id === '{ids.Shell.REGION}'")
    page.keyboard.press("Tab")
    page.wait_for_function(f"() => document.activeElement.id === '{ids.Shell.YEAR}'")
    assert _focused(page)["name"].startswith("Year")


def test_a11y005_skip_link_moves_focus_to_the_main_content(page):
    _open(page, "/")
    page.keyboard.press("Tab")
    assert "Skip" in _focused(page)["text"], _focused(page)
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement.id === '{ids.Shell.MAIN}'")


def test_a11y006_export_menu_link_and_embed_work_from_the_keyboard(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _open(page, "/gender")
    export = page.locator(f"#{ids.Charts.block('gender-parity')} .chart-menu .dropdown-toggle")
    export.focus()
    _focus_is_visible(page, "#F8F9FA")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#{ids.Charts.block('gender-parity')} .dropdown-menu.show a")
    page.keyboard.press("ArrowDown")
    assert _focused(page)["tag"] == "A" and "PNG" in _focused(page)["text"]
    page.keyboard.press("Escape")
    for label in ("Link", "Embed"):
        button = page.locator(f"#{ids.Charts.block('gender-parity')} button.copy-control", has_text=label)
        assert button.evaluate("b => b.tabIndex") == 0
        button.focus()
        _focus_is_visible(page, "#F8F9FA")
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.getElementById('{ids.Shell.ANNOUNCE}').textContent.includes('{label}')")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert ("/gender" in copied) if label == "Link" else copied.startswith("<iframe src=")


def test_a11y009_record_tabs_work_from_the_keyboard(page):
    _sign_in(page)
    _open(page, "/record")
    first = page.locator(f"#{ids.Record.TABS} [role=tab]").first
    first.focus()
    _focus_is_visible(page)
    page.keyboard.press("ArrowRight")
    chosen = _focused(page)
    assert chosen["text"] == "Fee payment"
    assert page.locator(f"#{ids.Record.TABS}-panel-fee").is_visible()
    assert not page.locator(f"#{ids.Record.TABS}-panel-event").is_visible()
    page.keyboard.press("End")
    assert _focused(page)["text"] == "Import a file"
    assert page.locator(f"#{ids.Record.TABS}-panel-import").is_visible()


def test_a11y007_kpi_cards_show_their_focus(page):
    _open(page, "/")
    card_link = page.locator(f"{dash_id(ids.Overview.kpi_card('members'))} a").first
    card_link.focus()
    box = page.evaluate("""() => { const card = document.activeElement.closest('.kpi-card');
        const s = getComputedStyle(card); return {w: s.outlineWidth, c: s.outlineColor, style: s.outlineStyle}; }""")
    assert box["style"] != "none" and float(box["w"].rstrip("px")) >= 2
    assert contrast_ratio(_rgb(box["c"]), "#FFFFFF") >= 3


def test_a11y008_narrow_screen_keeps_the_content(browser, a11y_server):
    """320 CSS px wide (WCAG 1.4.10 reflow): no horizontal scrolling of the page."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    tab = context.new_page()
    try:
        for path in ("/", "/engagement", "/events"):
            tab.goto(a11y_server + path)
            tab.wait_for_load_state("networkidle")
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= 320 + 1, f"{path} is {width} px wide at 320 px"
    finally:
        context.close()



def test_a11y010_form_errors_have_no_axe_violations(page):
    """The error states: a failed sign-in (summary, aria-invalid fields) and a refused Record save."""
    page.goto(page.base + "/login")
    page.fill("#email", "not-an-address")
    page.press("#password", "Enter")
    page.wait_for_function("() => document.activeElement.id === 'signin-errors'")
    assert _violations(page) == []
    _sign_in(page)
    _open(page, "/record")
    page.click(f"#{ids.Record.submit('event')}")
    page.wait_for_selector(f"#{ids.Record.result('event')} .error-summary")
    page.wait_for_function("() => document.querySelector('[aria-invalid=true]')")
    assert _violations(page) == []
