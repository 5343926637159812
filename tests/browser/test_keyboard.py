"""The keyboard alone (WCAG 2.1.1, 2.4.3, 2.4.7, 2.4.11/2.4.13, 3.3.1): Tab, Space, Enter, the arrows and Escape reach
and operate the skip link, the region and year filters, the export menu and its items, Link and Embed, a KPI card,
the member search (the keyboard's way to a chart's drill-down) and the sign-in form; at every step the focused
control draws an indicator at least 2 px wide and of at least 3:1 against its background, read from computed styles.
The Record forms move focus to their error summary and mark their invalid fields."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard import ids
from dashboard.figures.style import contrast_ratio
from tests.browser.conftest import serve
from tests.conftest import PASSWORD, seed_store

pytestmark = pytest.mark.browser

SECRETARIAT = "keyboard-sec@metropolis.test"
EUROPE = "keyboard-europe@metropolis.test"  # a regional secretary for Europe
MAX_TABS = 60  # more Tab presses than any page has stops before what a test looks for

# What the focused element (or `host`, an ancestor that draws the focus for it) shows: its outline or the widest
# box-shadow ring, and the first opaque background behind it (its parent's, since the ring is drawn outside it).
_INDICATOR = """(host) => {
    const focused = document.activeElement;
    const el = host ? focused.closest(host) : focused;
    const s = getComputedStyle(el);
    const opaque = (c) => { const m = c.match(/[\\d.]+/g); return m && (m.length < 4 || parseFloat(m[3]) > 0.5); };
    let bg = 'rgb(255, 255, 255)';
    for (let n = el.parentElement; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (opaque(c)) { bg = c; break; }
    }
    let ring = null;
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) {
        ring = {width: parseFloat(s.outlineWidth), colour: s.outlineColor, kind: 'outline'};
    } else if (s.boxShadow && s.boxShadow !== 'none') {
        // "rgb(r, g, b) 0px 0px 0px 3px": the spread (4th length) is the ring's width
        const colour = s.boxShadow.match(/rgba?\\([^)]*\\)/)[0];
        const lengths = s.boxShadow.replace(colour, '').match(/-?[\\d.]+px/g) || [];
        ring = {width: parseFloat(lengths[3] || '0'), colour: colour, kind: 'box-shadow'};
    }
    return {ring: ring, background: bg, tag: focused.tagName, id: focused.id, text: (focused.textContent || '').trim().slice(0, 60)};
}"""


def _hex(css: str) -> str:
    r, g, b = (round(float(v)) for v in re.findall(r"[\d.]+", css)[:3])
    return f"#{r:02X}{g:02X}{b:02X}"


def assert_focus_visible(page, host: str | None = None) -> dict:
    """The focused control's indicator is at least 2 px wide and at least 3:1 against its background."""
    seen = page.evaluate(_INDICATOR, host)
    ring = seen["ring"]
    assert ring is not None, f"no focus indicator on {seen}"
    assert ring["width"] >= 2, f"focus indicator {ring['width']} px wide on {seen}"
    ratio = contrast_ratio(_hex(ring["colour"]), _hex(seen["background"]))
    assert ratio >= 3, f"focus indicator at {ratio:.2f}:1 against {seen['background']} on {seen}"
    return seen


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName, id: e.id, text: (e.textContent || '').trim(), cls: e.className || '',
                expanded: e.getAttribute('aria-expanded')}; }""")


def tab_to(page, predicate: str, *, key: str = "Tab") -> dict:
    """Press Tab until `predicate` (a JS function of the focused element) holds; fail if it never does."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate(f"() => ({predicate})(document.activeElement)"):
            return focused(page)
    pytest.fail(f"{MAX_TABS} presses of {key} never reached {predicate}; last focus {focused(page)}")


def query(page) -> dict:
    return parse_qs(urlparse(page.url).query)


@pytest.fixture(scope="module")
def keyboard_server(tmp_path_factory):
    """The app on its own store: this group records an event by keyboard (kb009), so it cannot share the
    read-only server."""
    workdir = tmp_path_factory.mktemp("keyboard")
    url = f"sqlite:///{workdir / 'store.sqlite3'}"
    seed_store(url, {"email": SECRETARIAT, "role": "secretariat", "name": "Kim"},
               {"email": EUROPE, "role": "regional_secretary", "region": "Europe", "name": "Barbara"})
    with serve(workdir, url, seed=False) as base:
        yield base


@pytest.fixture
def page(browser, keyboard_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20000)
    tab.base = keyboard_server
    yield tab
    context.close()


def _open(page, path: str) -> None:
    page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("h1", state="attached")
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')].every(g => g.querySelector('.main-svg'))")
    page.locator("body").focus()


def test_kb001_skip_link_then_region_and_year_filters(page):
    _open(page, "/map")
    skip = tab_to(page, "e => e.classList.contains('skip-link')")
    assert "Skip" in skip["text"]
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement.id === '{ids.Shell.MAIN}'")

    page.locator("body").focus()
    tab_to(page, f"e => e.id === '{ids.Shell.REGION}'")
    assert_focus_visible(page)
    page.keyboard.press("Space")  # opens, as Space opens a native <select>
    page.wait_for_function(f"() => document.getElementById('{ids.Shell.REGION}').getAttribute('aria-expanded') === 'true'")
    page.wait_for_function("() => document.activeElement.classList.contains('dash-dropdown-search')")
    assert_focus_visible(page)
    page.keyboard.press("ArrowDown")  # the first region
    page.wait_for_function("() => document.activeElement.closest('.dash-options-list-option, [role=option]')")
    assert_focus_visible(page)
    assert_focus_visible(page, ".dash-options-list-option")  # the whole option row, not only its small checkbox
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('region')")
    chosen = query(page)["region"]
    assert chosen and chosen[0] in page.locator(f"#{ids.Shell.REGION}").inner_text()
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => document.activeElement.id === '{ids.Shell.REGION}'")
    assert_focus_visible(page)

    page.keyboard.press("Tab")
    page.wait_for_function(f"() => document.activeElement.id === '{ids.Shell.YEAR}'")
    assert_focus_visible(page)
    before = page.locator(f"#{ids.Shell.YEAR}").inner_text().strip()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.getElementById('{ids.Shell.YEAR}').getAttribute('aria-expanded') === 'true'")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.activeElement.closest('.dash-options-list-option, [role=option]')")
    assert_focus_visible(page)
    option = focused(page)["text"] or page.evaluate(
        "() => document.activeElement.closest('.dash-options-list-option, [role=option]').textContent.trim()")
    if option == before:  # the first year is the chosen one: take the next
        page.keyboard.press("ArrowDown")
        option = page.evaluate(
            "() => document.activeElement.closest('.dash-options-list-option, [role=option]').textContent.trim()")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('year') === '{option}'")
    assert query(page)["region"] == chosen  # the region chosen before is kept


def test_kb002_export_menu_link_and_embed(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _open(page, "/gender")
    block = ids.Charts.block("gender-parity")
    tab_to(page, f"e => e.matches('#{block} .chart-menu .dropdown-toggle')")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#{block} .dropdown-menu.show")
    page.keyboard.press("ArrowDown")
    assert "PNG" in focused(page)["text"]
    assert_focus_visible(page)
    for _ in range(4):
        page.keyboard.press("ArrowDown")
        assert_focus_visible(page)
        if focused(page)["text"].startswith("CSV"):
            break
    assert focused(page)["text"].startswith("CSV")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".csv")
    page.keyboard.press("Escape")
    page.locator(f"#{block} .chart-menu .dropdown-toggle").focus()
    for label in ("Link", "Embed"):
        button = tab_to(page, f"e => e.matches('#{block} button.copy-control') && e.textContent.includes('{label}')")
        assert button["tag"] == "BUTTON"
        assert_focus_visible(page)
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"() => document.getElementById('{ids.Shell.ANNOUNCE}').textContent.includes('{label}')")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert ("/gender" in copied) if label == "Link" else copied.startswith("<iframe src=")
        page.locator(f"#{block} .chart-menu .dropdown-toggle").focus()


def test_kb003_kpi_card_link(page):
    _open(page, "/")
    card = tab_to(page, "e => !!e.closest('.kpi-card')")
    assert card["tag"] == "A"
    assert_focus_visible(page, ".kpi-card")  # the whole card shows the focus of its (stretched) link
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href.split("?")[0]) + r"(\?.*)?$"))


def test_kb004_member_search_opens_a_member_page(page):
    """The keyboard's way to a map marker's or heatmap row's drill-down: the member search of the filter bar."""
    _open(page, "/engagement")
    tab_to(page, f"e => e.id === '{ids.Shell.MEMBER_SEARCH}'")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.classList.contains('dash-dropdown-search')")
    page.keyboard.type("Berlin")
    page.wait_for_function("() => [...document.querySelectorAll('.dash-options-list-option, [role=option]')]"
                           ".some(o => o.textContent.includes('Berlin'))")
    page.keyboard.press("ArrowDown")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/members/berlin"))


def test_kb005_sign_in_form(page):
    page.goto(page.base + "/login")
    page.wait_for_load_state("load")
    page.locator("body").focus()
    tab_to(page, "e => e.id === 'email'")
    assert_focus_visible(page)
    page.keyboard.type(SECRETARIAT)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "password"
    assert_focus_visible(page)
    page.keyboard.type("not the password")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    # focus is on the error summary, which says what went wrong; both fields say they are invalid
    page.wait_for_function("() => document.activeElement.id === 'signin-errors'")
    summary = page.locator("#signin-errors")
    assert summary.get_attribute("role") == "alert" and summary.get_attribute("tabindex") == "-1"
    assert "Wrong e-mail or password" in summary.inner_text()
    assert_focus_visible(page)
    for field in ("email", "password"):
        assert page.locator(f"#{field}").get_attribute("aria-invalid") == "true"
        assert page.locator(f"#{field}").get_attribute("aria-describedby") == "signin-errors"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "email"
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))


def test_kb006_sign_in_errors_per_field(page):
    """A form the server rejects field by field: each field is described by its own message, the summary links it."""
    page.goto(page.base + "/login")
    page.fill("#email", "not-an-address")
    page.press("#password", "Enter")
    page.wait_for_function("() => document.activeElement.id === 'signin-errors'")
    email, password = page.locator("#email"), page.locator("#password")
    assert email.get_attribute("aria-invalid") == "true" and email.get_attribute("aria-describedby") == "email-error"
    assert "name@example.org" in page.locator("#email-error").inner_text()
    assert password.get_attribute("aria-describedby") == "password-error"
    assert page.locator("#password-error").inner_text() == "Enter your password."
    assert page.locator("#signin-errors a[href='#email']").count() == 1
    assert page.locator("#signin-errors a[href='#password']").count() == 1


def _sign_in(page, email: str = SECRETARIAT) -> None:
    page.goto(page.base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))


def test_kb007_record_form_errors_take_focus_and_mark_the_fields(page):
    _sign_in(page)
    _open(page, "/record")
    page.locator(f"#{ids.Record.submit('event')}").focus()
    page.keyboard.press("Enter")  # nothing filled in: the server refuses
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "alert"
    assert_focus_visible(page)
    invalid = page.evaluate("""() => [...document.querySelectorAll('[aria-invalid=true]')].map(f => ({
        id: f.id, message: (document.getElementById(f.getAttribute('aria-describedby')) || {}).textContent}))""")
    named = {ids.dom_id(ids.Record.field("event", name)) for name in ("title", "start_date", "kind")}
    assert named <= {f["id"] for f in invalid}, invalid
    assert all(f["message"] for f in invalid), invalid
    # a field put right is valid again after the next save
    title = page.locator(f"[id='{ids.dom_id(ids.Record.field('event', 'title'))}']")
    title.fill("Keyboard test event")
    page.locator(f"#{ids.Record.submit('event')}").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => !document.getElementById('{ids.dom_id(ids.Record.field('event', 'title'))}')"
                           ".hasAttribute('aria-invalid')")
    assert title.get_attribute("aria-describedby") is None
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")  # refused again


def test_kb008_action_line_chooser_lists_a_bars_deliverables(page):
    """The keyboard's way to the status bars' drill-down (a click lists one line's deliverables): the line chooser."""
    _open(page, "/action-plan")
    tab_to(page, f"e => e.id === '{ids.ActionPlan.LINE_CHOOSER}'")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.getElementById('{ids.ActionPlan.LINE_CHOOSER}').getAttribute('aria-expanded') === 'true'")
    focused = "() => document.activeElement.closest('.dash-options-list-option, [role=option]')?.textContent.trim()"
    page.keyboard.press("ArrowDown")
    page.wait_for_function(focused)
    first = page.evaluate(focused)
    page.keyboard.press("ArrowDown")
    # the focus moves when the list has drawn it (a busy machine read an option two steps behind)
    page.wait_for_function(f"(first) => {{ const now = ({focused})(); return now && now !== first; }}", arg=first)
    assert_focus_visible(page)
    option = page.evaluate(focused)
    page.keyboard.press("Enter")
    # the chosen line's filter (not the one shown before the choice: CI read 'L3' while L1 was chosen)
    line = option.split(" ·")[0]
    page.wait_for_function("([id, line]) => document.getElementById(id).innerText.startsWith('Action line ' + line)",
                           arg=[ids.ActionPlan.LINE_FILTER, line])
    assert page.inner_text(f"#{ids.ActionPlan.LINE_FILTER}").split()[2] == line
    # the table's rows, once drawn (its library is fetched when a table first renders: an empty list would pass)
    page.wait_for_function(f"() => {{ const codes = [...document.querySelectorAll('#{ids.ActionPlan.GRID} .ag-row "
                           f"[col-id=code]')]; return codes.length > 0 && "
                           f"codes.every(c => c.textContent.startsWith('{line}')); }}")
    assert page.locator(f"#{ids.ActionPlan.GRID} .ag-row [col-id='code']").count() > 0


def _event_field(name: str) -> str:
    return ids.dom_id(ids.Record.field("event", name))


def _attempt(page):
    """The data-attempt of the event form's error summary (a new one at each refused save), or None."""
    return page.evaluate(f"() => {{ const s = document.querySelector('#{ids.Record.result('event')} .error-summary');"
                         " return s ? s.dataset.attempt : null; }")


def _choose(page, field: str, typed: str) -> None:
    """Open the focused dropdown with Space, type to find the option, Enter to choose it (the form is not saved)."""
    before = _attempt(page)
    page.keyboard.press("Space")
    page.wait_for_function("() => document.activeElement.classList.contains('dash-dropdown-search')")
    page.keyboard.type(typed)
    page.wait_for_function("(t) => [...document.querySelectorAll('.dash-options-list-option')].length >= 1 && "
                           "[...document.querySelectorAll('.dash-options-list-option')][0].textContent.includes(t)",
                           arg=typed)
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.activeElement.closest('.dash-options-list-option, [role=option]')")
    assert_focus_visible(page, ".dash-options-list-option")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # closes a list that stays open (several values); a closed one ignores it
    page.wait_for_function(f"() => document.activeElement.id === {_event_field(field)!r}")
    page.wait_for_function("(t) => document.activeElement.textContent.includes(t)", arg=typed)
    assert _attempt(page) == before, "choosing a value by keyboard saved the form"


def test_kb009_regional_secretary_records_an_event_by_keyboard_alone(page):
    """A regional secretary (Europe) records an event with the keyboard alone: every field of the form is a Tab stop
    with a name and a visible focus; a refused save moves focus to the error summary, which says in words what is
    wrong with each field and links to it; choosing in a dropdown with Enter does not save the form; the save is
    announced."""
    _sign_in(page, EUROPE)
    _open(page, "/record")
    tab_to(page, f"e => e.id === '{ids.Record.TABS}-tab-event'")
    fields = page.evaluate("""() => [...document.querySelectorAll('#record-tabs-panel-event [id]')]
        .filter(e => { try { const id = JSON.parse(e.id); return id.type === 'record-field'; } catch (x) { return false; } })
        .map(e => e.id)""")
    assert len(fields) >= 15, fields
    reached, names = [], {}
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        seen = page.evaluate("""() => { const e = document.activeElement;
            const named = (e.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
                .map(i => (document.getElementById(i) || {}).textContent || '').join(' ');
            const labels = e.labels ? [...e.labels].map(l => l.textContent).join(' ') : '';
            return {id: e.id, name: (named || labels || e.getAttribute('aria-label') || '').trim()}; }""")
        if seen["id"] == ids.Record.submit("event"):
            break
        if seen["id"] in fields and seen["id"] not in reached:
            reached.append(seen["id"])
            names[seen["id"]] = seen["name"]
            assert_focus_visible(page)
    assert reached == fields, set(fields) - set(reached)  # every field, in the order of the form
    assert all(names.values()), names
    assert_focus_visible(page)

    page.keyboard.press("Enter")  # nothing filled in: the server refuses, the summary takes focus and is announced
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")
    summary = page.locator(f"#{ids.Record.result('event')} .error-summary")
    assert summary.get_attribute("role") == "alert"
    assert_focus_visible(page)
    problems = summary.locator("li a").all_inner_texts()
    assert {"Title: Required.", "Start date: Required.", "Kind: Required.", "Metropolis' role: Required."} <= \
        set(problems), problems
    for field in ("title", "start_date", "kind", "metropolis_role"):
        control = page.locator(f"[id='{_event_field(field)}']")
        assert control.get_attribute("aria-invalid") == "true"
        message = page.locator(f"[id='{control.get_attribute('aria-describedby')}']").inner_text()
        assert message == "Required."

    page.keyboard.press("Tab")  # the summary's first link goes to its field
    assert focused(page)["text"] == "Title: Required."
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement.id === {_event_field('title')!r}")
    page.keyboard.type("Keyboard-only event")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == _event_field("start_date")
    page.keyboard.type("10052020")  # month, day, year: the segments of the date field (en-US)
    assert page.locator(f"[id='{_event_field('start_date')}']").input_value() == "2020-10-05"
    tab_to(page, f"e => e.id === {_event_field('location')!r}")
    page.keyboard.type("Berlin, Germany")
    tab_to(page, f"e => e.id === {_event_field('kind')!r}")
    _choose(page, "kind", "Learning")
    page.keyboard.press("Tab")
    _choose(page, "metropolis_role", "Co-organised")
    tab_to(page, f"e => e.id === {_event_field('region')!r}")
    assert "Europe" in focused(page)["text"]  # a regional secretary records for its own region
    page.keyboard.press("Tab")
    _choose(page, "members", "Berlin")
    tab_to(page, f"e => e.id === '{ids.Record.submit('event')}'")
    page.keyboard.press("Enter")
    saved = page.locator(f"#{ids.Record.result('event')} .alert-success")
    saved.wait_for()
    assert saved.get_attribute("role") == "alert" and saved.inner_text().startswith("Saved.")
    assert page.locator("[aria-invalid=true]").count() == 0
