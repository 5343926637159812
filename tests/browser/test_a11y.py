"""Accessibility in Chromium: axe-core's WCAG 2.2 A/AA rules on every page, embed and form page (0 violations),
and the keyboard alone: a skip link, named filters that open with Space, the export menu, Link and Embed."""

from __future__ import annotations

import csv
import re
import urllib.parse
import urllib.request

import pytest

from dashboard import ids
from dashboard.charts import CHARTS
from dashboard.figures.style import contrast_ratio
from tests.browser.conftest import READ_ONLY_STAFF, ROOT, SCREENSHOTS, STAFF_MEETING_SLUG, dash_id
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # from npm (package.json), injected by the test: no CDN
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# and heading-order (an axe best practice, not a WCAG rule, but Lighthouse's accessibility score counts it)
MEETING = STAFF_MEETING_SLUG  # the Board meeting recorded in the server's store
# every page of the registry (dash.page_registry: test_a11y000 checks none is missed), a path template by one of its
# addresses; a meeting's view of the overview; the pages Flask serves (sign-in, the API page); the "not found" pages
PAGES = ["/", "/map", "/engagement", "/gender", "/action-plan", "/events", "/members", "/members/berlin",
         "/sources", "/indicators", "/indicators/observatory.poverty_pct", "/login", "/meetings",
         f"/meetings/{MEETING}", f"/meetings/{MEETING}/changes", f"/?as_of={MEETING}", "/api/v1/docs"]
NOT_FOUND = ["/no-such-page", "/members/no-such-member", "/indicators/no.such-indicator", "/meetings/no-such-meeting",
             "/embed/no-such-chart"]
NOT_FOUND_BY_DEFAULT = {"/no-such-page", "/embed/no-such-chart"}  # a Dash page's and Flask's: the others are slow
SIGNED_IN_PAGES = ["/record", "/audit", "/meetings", f"/meetings/{MEETING}"]  # the Secretariat's forms and panels
SECRETARIAT = "a11y-sec@metropolis.test"
EUROPE = "a11y-europe@metropolis.test"  # a regional secretary (Europe): records for its region only
LANGUAGES = ["fr", "es"]
LANGUAGE_PAGES = ["/", "/engagement", "/map", "/members", "/events", "/members/berlin", "/login"]
TWO_REGIONS = "?region=Europe&region=Africa"  # several regions: the parameter repeated (dashboard.urls.filter_params)
@pytest.fixture(scope="module")
def a11y_server(staff_server):
    """The shared read-only server (its store has this group's Secretariat user, SECRETARIAT)."""
    assert any(user["email"] == SECRETARIAT for user in READ_ONLY_STAFF)
    return staff_server


@pytest.fixture
def page(browser, a11y_server):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make install` (npm ci)", pytrace=False)
    # bypass_csp: axe is injected as an inline script, which the app's CSP rightly refuses (test_security checks it).
    # reduced_motion: axe reads colours as drawn, and a button fading into its focus colours (0.15 s) was read
    # half-way (CI: #fbfbfb on #6f7880); without transitions it reads the colours a user sees once it has settled.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True, reduced_motion="reduce")
    tab = context.new_page()
    tab.set_default_timeout(20000)
    tab.base = a11y_server
    yield tab
    context.close()


def _address(path: str, *params: str) -> str:
    """`path` with the query parameters given (those not empty) added to the ones it has."""
    query = "&".join(p for p in params if p)
    return path + ("&" if "?" in path else "?") + query if query else path


def _open(page, path: str) -> None:
    page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("h1", state="attached")  # the page (or embed) has rendered its content
    if path.startswith("/api/v1/docs"):
        page.wait_for_selector(".opblock-summary-control")  # Swagger UI has drawn the operations
    # axe reads what is drawn (a function, not a string: the CSP refuses the eval a string predicate needs): wait until every plot has drawn its SVG
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(g => g.querySelector('.main-svg'))")


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            const order = await axe.run(document, {runOnly: {type: 'rule', values: ['heading-order']}});
            return [...result.violations, ...order.violations].map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 4).map(
                n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200)
            ).join(' | '));
        }""", WCAG_TAGS)
    return found


def _sign_in(page, email: str = SECRETARIAT) -> None:
    page.goto(page.base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))


# In the default suite: every page unfiltered in English, the pages most used in French and Spanish, one embed of
# each kind of chart, the signed-in pages in English; in `make test-slow` (CI runs both) every other language and
# region variant (README 'Tests').
EMBEDS_BY_DEFAULT = {"active-by-region", "members-map", "engagement-matrix", "events-timeline"}
VARIANTS = [("en", ""), ("en", "region=Europe"), *((lang, region) for lang in LANGUAGES
                                                   for region in ("", "region=Europe"))]


def _variants(targets, by_default) -> list:
    """Each target in each language and with and without a region, slow unless by_default(target, lang, region)."""
    return [pytest.param(target, lang, region, id=f"{target}-{lang}-{region.partition('=')[2] or 'all'}",
                         marks=() if by_default(target, lang, region) else pytest.mark.slow)
            for target in targets for lang, region in VARIANTS]


def _lang(lang: str) -> str:
    return "" if lang == "en" else f"lang={lang}"  # English is the default language: no parameter


def _page_by_default(path: str, lang: str, region: str) -> bool:
    if region:
        return False
    if lang == "en":
        return path in PAGES or path in NOT_FOUND_BY_DEFAULT
    return path in LANGUAGE_PAGES


@pytest.mark.parametrize(("path", "lang", "region"), _variants(PAGES + NOT_FOUND, _page_by_default))
def test_a11y001_pages_have_no_axe_violations(page, path, lang, region):
    _open(page, _address(path, region, _lang(lang)))
    assert page.evaluate("document.documentElement.lang") == lang
    assert _violations(page) == []
    if path != "/login":
        assert page.locator("main").count() == 1 and page.locator("h1").count() == 1


def test_a11y000_every_registered_page_is_checked(dash_app):
    """PAGES has an address of every page the app registers (a new page is checked without anyone listing it)."""
    import dash

    addresses = [urllib.parse.urlsplit(path).path for path in PAGES + SIGNED_IN_PAGES]
    for registered in dash.page_registry.values():
        template = registered.get("path_template") or registered["path"]
        pattern = "^" + re.sub(r"<\w+>", "[^/]+", template) + "$"
        if registered["module"].endswith(".not_found_404"):  # Dash's page for any address no page serves
            assert "/no-such-page" in NOT_FOUND
            continue
        if template.startswith("/embed/"):
            assert all(re.match(pattern, f"/embed/{chart}") for chart in CHARTS)  # test_a11y002 opens each chart's
            continue
        assert any(re.match(pattern, address) for address in addresses), f"{template} is not in PAGES"


@pytest.mark.parametrize(("chart_id", "lang", "region"), _variants(
    sorted(CHARTS), lambda chart, lang, region: lang == "en" and region and chart in EMBEDS_BY_DEFAULT))
def test_a11y002_embeds_have_no_axe_violations(page, chart_id, lang, region):
    _open(page, _address(f"/embed/{chart_id}", region, _lang(lang)))
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("h1").count() == 1
    assert _violations(page) == []


@pytest.mark.parametrize(("path", "lang", "region"), _variants(
    SIGNED_IN_PAGES, lambda path, lang, region: lang == "en" and not region))
def test_a11y003_signed_in_pages_have_no_axe_violations(page, path, lang, region):
    _sign_in(page)
    _open(page, _address(path, region, _lang(lang)))
    assert page.evaluate("document.documentElement.lang") == lang
    assert _violations(page) == []


@pytest.mark.parametrize(("lang", "heading", "link"), [
    pytest.param("en", "Page not found", "Open the overview", marks=pytest.mark.slow),
    ("fr", "Page introuvable", "Ouvrir la vue d’ensemble"),
    pytest.param("es", "Página no encontrada", "Abrir el resumen", marks=pytest.mark.slow),
])
def test_a11y018_an_unknown_address_says_so_in_the_page_language(page, lang, heading, link):
    """WCAG 3.1.2: Dash's own "404 - Page not found" was English, unmarked, on a French or Spanish page."""
    _open(page, _address("/no-such-page", "region=Europe", _lang(lang)))
    assert page.locator("main h1").inner_text() == heading
    way_on = page.locator("main a", has_text=link)
    href = urllib.parse.urlsplit(way_on.get_attribute("href"))
    query = urllib.parse.parse_qs(href.query)
    assert href.path == "/" and query["region"] == ["Europe"] and query.get("lang", ["en"]) == [lang], href


def test_a11y017_api_page_operations_have_no_axe_violations(page):
    """The API page (Swagger UI, English inside a page in the reader's language) with a read tried and executed and
    a write's form open: every field named, examples reachable by keyboard, colours of at least 4.5:1."""
    _open(page, "/api/v1/docs?lang=fr")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator("#swagger-ui").get_attribute("lang") == "en"
    assert page.get_by_role("combobox", name="Servers").count() == 1
    for operation in ("data-get_events", "records-post_events"):
        block = page.locator(f"#operations-{operation}")
        block.locator(".opblock-summary-control").click()
        block.locator(".try-out__btn").click()
    read = page.locator("#operations-data-get_events")
    read.locator(".execute").click()
    read.locator(".responses-wrapper .live-responses-table .download-contents").wait_for()
    assert read.get_by_role("combobox", name="year").count() == 1
    assert page.locator("#operations-records-post_events textarea").get_attribute("aria-label") == "Request body"
    # the pointer over an operation shows what Swagger UI shows only then (a button to copy the path)
    page.locator("#operations-records-post_events .opblock-summary").hover()
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


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a11y012_record_in_french_and_spanish_has_no_axe_violations(page, lang):
    _sign_in(page, EUROPE)
    _open(page, f"/record?lang={lang}")
    assert page.evaluate("document.documentElement.lang") == lang
    assert _violations(page) == []
    page.click(f"#{ids.Record.submit('event')}")  # the error state: summary and messages in the language
    page.wait_for_selector(f"#{ids.Record.result('event')} .error-summary")
    page.wait_for_function("() => document.querySelector('[aria-invalid=true]')")
    assert _violations(page) == []


def _region_filter(page) -> dict:
    """What the region filter's button shows and the name its ARIA references give it."""
    return page.evaluate("""(id) => { const b = document.getElementById(id);
        const name = (b.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
            .map(i => (document.getElementById(i) || {}).textContent || '').join(' ').replace(/\\s+/g, ' ').trim();
        const clear = b.querySelector('.dash-dropdown-clear');
        return {name: name, shown: b.innerText.replace(/\\s+/g, ' ').trim(),
                clear: clear && clear.getAttribute('aria-label')}; }""", ids.Shell.REGION)


@pytest.mark.parametrize(("lang", "name", "clear"), [
    ("en", "Region Africa, Europe 2 regions", "Clear the selection"),
    ("fr", "Région Afrique, Europe 2 régions", "Effacer la sélection"),
    ("es", "Región África, Europa 2 regiones", "Borrar la selección"),
])
def test_a11y013_two_regions_name_the_filter_as_it_is_drawn(page, lang, name, clear):
    """Several regions chosen: the filter is named by its label, then what it shows in the order shown, in the page's
    language (Dash wrote the count first and ran the values together: axe label-content-name-mismatch)."""
    _open(page, f"/{TWO_REGIONS}&lang={lang}")
    assert _violations(page) == []
    seen = _region_filter(page)
    assert seen["name"] == name and seen["clear"] == clear, seen
    assert seen["shown"] in seen["name"], seen
    # a third region chosen by keyboard, then one removed: the name follows what is drawn
    page.locator(f"#{ids.Shell.REGION}").focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => document.activeElement.classList.contains('dash-dropdown-search')")
    page.keyboard.type("Asia")
    page.wait_for_selector(".dash-options-list-option")  # the list filtered before choosing
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('region').length === 3")
    page.wait_for_function("(id) => document.getElementById(id).innerText.includes('3')", arg=ids.Shell.REGION)
    seen = _region_filter(page)
    assert seen["shown"] in seen["name"] and seen["name"].count(",") == 2, seen
    assert _violations(page) == []


def test_a11y014_document_text_is_marked_english_on_french_pages(page):
    """WCAG 3.1.2 (language of parts): the documents' own text, shown as printed in English (titles, places,
    countries, citations), says lang="en" on a page in French: in the charts' tables, the member list and a member's
    facts, the action lines; the dropdowns' own texts are French."""
    from dashboard.chart_tables import QUOTED_COLUMNS

    _open(page, "/events?lang=fr&year=2020")
    with urllib.request.urlopen(page.base + "/export/events-timeline.csv?year=2020&lang=fr") as answer:
        lines = answer.read().decode("utf-8-sig").splitlines()
    columns = next(csv.reader([line for line in lines if not line.startswith("#")]))  # the table's columns, in order
    toggle = page.locator(dash_id(ids.Charts.table_toggle("events-timeline")))
    toggle.click()
    table = page.locator(f"{dash_id(ids.Charts.table('events-timeline'))} table")
    table.wait_for(state="attached", timeout=60000)
    quoted = [i for i, c in enumerate(columns) if c in QUOTED_COLUMNS]
    assert {"title", "location", "source"} <= {columns[i] for i in quoted}, columns
    unmarked = table.evaluate("""(t, quoted) => [...t.querySelectorAll('tbody tr')].flatMap(tr => quoted.map(i => {
        const cell = tr.children[i]; const text = cell.textContent.trim();
        return text && text !== '–' && !cell.querySelector('[lang=en]') ? text : null; })).filter(Boolean)""", quoted)
    assert unmarked == []
    _open(page, "/members?lang=fr")
    page.wait_for_selector(f"#{ids.Members.GRID} .ag-row")
    grid = f"#{ids.Members.GRID}"
    cells = page.evaluate(f"""() => [...document.querySelectorAll(
        '{grid} .ag-cell[col-id=official_name], {grid} .ag-cell[col-id=country]')].map(c => !!c.querySelector('[lang=en]'))""")
    assert cells and all(cells)
    _open(page, "/members/berlin?lang=fr")
    facts = page.locator(f"#{ids.Member.PROFILE}")
    assert facts.locator("dd [lang=en]", has_text="The Governing Mayor of Berlin").count() == 1
    # the country is named in the page's language (CLDR, from its code), so it is not quoted English
    assert facts.locator("dd", has_text="Allemagne").count() == 1
    assert facts.locator("dd [lang=en]", has_text="Germany").count() == 0
    _open(page, "/action-plan?lang=fr")
    titles = page.locator(f"#{ids.ActionPlan.FUTURE} .accordion-button")
    assert titles.count() >= 3 and titles.locator("[lang=en]").count() == titles.count()
    page.locator(f"#{ids.ActionPlan.LINE_CHOOSER}").click()
    page.wait_for_selector(".dash-options-list-option")
    options = page.evaluate("() => [...document.querySelectorAll('.dash-options-list-option')].map("
                            "o => !!o.querySelector('[lang=en]'))")
    assert options and all(options)


def test_a11y015_member_location_map_has_a_text_alternative(page):
    """The member page's location map, like every chart: one image named and described in words, plotly's drawing
    hidden, and "Show as table" (by keyboard) with its row."""
    _open(page, "/members/berlin")
    block = page.locator(f"#{ids.Member.LOCATION_BLOCK}")
    image = page.evaluate("""(block) => {
        const img = document.querySelector('#' + block + ' [role=img]');
        const text = (attr) => (img.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)
            .map(id => document.getElementById(id).textContent.trim()).join(' ');
        return {name: text('aria-labelledby'), description: text('aria-describedby'),
                hidden: img.nextElementSibling.getAttribute('aria-hidden'),
                drawn: !!img.nextElementSibling.querySelector('#' + block.replace('-block', '') + ' .main-svg')}; }""",
                          ids.Member.LOCATION_BLOCK)
    assert image["name"] == "Location of Berlin" and image["hidden"] == "true" and image["drawn"], image
    assert re.fullmatch(r"A globe centred on Berlin \(Germany, Europe\), marked at 52\.\d{4}° N, 13\.\d{4}° E\.",
                        image["description"]), image
    summary = block.locator("summary")
    assert summary.inner_text().strip() == "Show as table"
    summary.focus()
    page.keyboard.press("Enter")
    assert block.locator("details").evaluate("d => d.open")
    assert summary.inner_text().strip() == "Hide the table"
    table = block.locator("table")
    assert table.locator("caption").inner_text() == "Location of Berlin"
    assert table.locator("th[scope=col]").count() == 6 and table.locator("tbody th[scope=row]").inner_text() == "Berlin"
    assert "° N" in table.inner_text() and "° E" in table.inner_text()
    assert _violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "member-location-table.png"))
    page.keyboard.press("Enter")  # the same control closes it
    assert not block.locator("details").evaluate("d => d.open")


_FOCUSED_CELL = """() => { const e = document.activeElement; const s = getComputedStyle(e);
    return {role: e.getAttribute('role'), col: e.getAttribute('col-id'), sort: e.getAttribute('aria-sort'),
            text: (e.querySelector('.ag-header-cell-text') || e).textContent.trim(), inGrid: !!e.closest('[role=grid]'),
            outline: parseFloat(s.outlineWidth), offset: parseFloat(s.outlineOffset)}; }"""


@pytest.mark.parametrize(("lang", "said", "sorted_words"), [
    ("en", "Press Enter to sort", "Country: sorted ascending"),
    ("fr", "Appuyez sur Entrée pour trier", "Pays\u00a0: tri croissant"),  # French puts a space before a colon
])
def test_a11y016_member_table_by_keyboard_and_screen_reader(page, lang, said, sorted_words):
    """The member list (AG Grid): a grid of column headers and cells for assistive technology; one Tab stop (Tab
    lands on the first header, from either side, and leaves the table); the arrows move between headers and cells,
    each showing its focus inside itself; Enter on a header sorts (aria-sort) and the sort is announced, in the
    page's language. (How long a sort holds the page is a speed figure, not asserted by a timed test: on a loaded
    machine it took 1,003 ms.)"""
    _open(page, f"/members?lang={lang}")
    grid = page.locator(f"#{ids.Members.GRID} [role=grid]")
    page.wait_for_selector(f"#{ids.Members.GRID} [role=gridcell]")
    assert int(grid.get_attribute("aria-rowcount")) > 100 and int(grid.get_attribute("aria-colcount")) >= 7
    headers = page.locator(f"#{ids.Members.GRID} [role=columnheader]")
    assert headers.count() >= 7 and all(headers.nth(i).get_attribute("aria-sort") for i in range(headers.count()))
    page.locator(f"#{ids.Members.SEARCH}").focus()
    page.keyboard.press("Tab")
    first = page.evaluate(_FOCUSED_CELL)
    assert first["role"] == "columnheader" and first["col"] == "member", first
    _focus_is_visible(page, "#F8F9FA")  # the header row's background
    assert first["offset"] <= -first["outline"], first  # drawn inside: the next header would cover it
    page.wait_for_function("(t) => [...document.querySelectorAll('.ag-aria-description-container')]"
                           ".some(e => e.textContent.includes(t))", arg=said)  # what a screen reader reads on it
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    country = page.evaluate(_FOCUSED_CELL)
    assert country["col"] == "country" and country["sort"] == "none", country
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.getAttribute('aria-sort') === 'ascending'")
    page.wait_for_function(f"(t) => document.getElementById('{ids.Shell.ANNOUNCE}').textContent === t", arg=sorted_words)
    rows = f"#{ids.Members.GRID} .ag-center-cols-container .ag-row"
    countries = page.evaluate(f"""() => [...document.querySelectorAll('{rows}')]
        .sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index')).slice(0, 8)
        .map(r => r.querySelector('[col-id=country]').textContent)""")
    assert countries == sorted(countries, key=str.casefold) and len(countries) == 8, countries
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.getAttribute('aria-sort') === 'descending'")
    page.keyboard.press("ArrowDown")
    cell = page.evaluate(_FOCUSED_CELL)
    assert cell["role"] == "gridcell" and cell["col"] == "country", cell
    _focus_is_visible(page)
    assert cell["offset"] <= -cell["outline"], cell
    page.keyboard.press("Tab")  # out of the table, in one press
    assert not page.evaluate(_FOCUSED_CELL)["inGrid"]
    page.keyboard.press("Shift+Tab")  # back in: on its first header
    back = page.evaluate(_FOCUSED_CELL)
    assert back["role"] == "columnheader" and back["col"] == "member", back
