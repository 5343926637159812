"""Every chart in words and as a table, in Chromium (issue 16): each chart is an image named by its title and
described by its data; "Show as table" opens by keyboard on /, /engagement and /map, axe stays at 0 violations with
the table open, a member link in the table is the keyboard's drill-down, and the description and the table follow a
filter change."""

from __future__ import annotations

import re

import pytest

from dashboard import ids
from tests.browser import test_a11y
from tests.browser.conftest import SCREENSHOTS, dash_id
from tests.browser.test_a11y import _open, _violations

# the axe runs' server and tab (test_a11y's fixtures: one store with a Secretariat user, axe-core from npm)
a11y_server, page = test_a11y.a11y_server, test_a11y.page

pytestmark = pytest.mark.browser

FIRST_CHART = {"/": "active-by-region", "/engagement": "engagement-matrix", "/map": "members-map"}


def _image(page, chart_id: str) -> dict:
    """The accessible name and description of a chart's image, as its ARIA references resolve."""
    return page.evaluate("""(block) => {
        const img = document.querySelector('#' + block + ' [role=img]');
        const text = (attr) => (img.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)
            .map(id => document.getElementById(id).textContent.trim()).join(' ');
        return {name: text('aria-labelledby'), description: text('aria-describedby'),
                hidden: img.nextElementSibling.getAttribute('aria-hidden')}; }""", ids.Charts.block(chart_id))


def _open_table(page, chart_id: str):
    toggle = page.locator(dash_id(ids.Charts.table_toggle(chart_id)))
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(sel) => document.querySelector(sel).getAttribute('aria-expanded') === 'true'",
                           arg=dash_id(ids.Charts.table_toggle(chart_id)), timeout=60000)
    table = page.locator(f"{dash_id(ids.Charts.table(chart_id))} table")
    table.wait_for(state="attached", timeout=60000)  # a table of every member takes seconds to draw on a busy CPU
    return toggle, table


@pytest.mark.parametrize("path", list(FIRST_CHART))
def test_tables001_show_as_table_by_keyboard_and_axe_stays_clean(page, path):
    chart_id = FIRST_CHART[path]
    _open(page, path + "?region=Europe&year=2020")
    for block in page.locator(".chart-block").all():  # every chart of the page is a named, described image
        img = block.locator("[role=img]")
        assert img.count() == 1 and block.locator(".chart-table-toggle").count() == 1
    image = _image(page, chart_id)
    assert image["name"] and image["description"] and image["hidden"] == "true", image
    toggle, table = _open_table(page, chart_id)
    assert table.locator("caption").inner_text().startswith(image["name"])
    assert table.locator("th[scope=col]").count() >= 3 and table.locator("tbody th[scope=row]").count() >= 1
    assert toggle.inner_text().strip() == "Hide the table"
    assert _violations(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"chart-table{path.replace('/', '-') or '-overview'}.png"))
    page.keyboard.press("Enter")  # the same button closes it
    page.wait_for_function("(sel) => document.querySelector(sel).getAttribute('aria-expanded') === 'false'",
                           arg=dash_id(ids.Charts.table_toggle(chart_id)))
    assert page.locator(f"{dash_id(ids.Charts.table(chart_id))} table").count() == 0


@pytest.mark.parametrize("path", ["/engagement", "/map"])
def test_tables002_a_member_link_in_the_table_is_the_keyboard_drill_down(page, path):
    chart_id = FIRST_CHART[path]
    _open(page, path + "?region=Europe&year=2020")
    _toggle, table = _open_table(page, chart_id)
    page.keyboard.press("Tab")  # into the table's scrolling region, then its first link: the first member
    page.keyboard.press("Tab")
    focused = page.evaluate("() => ({tag: document.activeElement.tagName, text: document.activeElement.textContent, "
                            "href: document.activeElement.getAttribute('href')})")
    assert focused["tag"] == "A" and focused["href"].startswith("/members/"), focused
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/members/[^?]+\?region=Europe&year=2020"))
    page.wait_for_function("(name) => document.querySelector('h1') && document.querySelector('h1').textContent"
                           ".includes(name)", arg=focused["text"].split(" (")[0])


def test_tables003_description_and_table_follow_a_filter_change(page):
    chart_id = "members-map"
    _open(page, "/map?region=Africa&year=2020")
    assert _image(page, chart_id)["description"].startswith("25 members on the map: Africa 25;")
    _toggle, table = _open_table(page, chart_id)
    assert table.locator("tbody tr").count() == 25
    # the region filter, by keyboard: open it, type, choose; the page follows with its charts
    page.locator(f"#{ids.Shell.REGION}").focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => document.activeElement.classList.contains('dash-dropdown-search')")
    page.keyboard.type("Europe")
    # the list filtered to the typed name before Enter (on a loaded machine, an Enter sent earlier chose the
    # highlighted Africa and cleared it: the page went to /map?year=2020)
    page.wait_for_function("() => { const o = [...document.querySelectorAll('.dash-options-list-option, [role=option]')];"
                           " return o.length > 0 && o.every(e => e.textContent.includes('Europe')); }")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"region=Europe"))
    page.wait_for_function("(block) => { const d = document.getElementById(block + '-description');"
                           " return d && d.textContent.startsWith('41 members on the map: Africa 25, Europe 16;'); }",
                           arg=ids.Charts.block(chart_id))
    _toggle, table = _open_table(page, chart_id)  # the page was redrawn for the new filters: the table too
    assert table.locator("tbody tr").count() == 41
    # a chart option (the map's colouring) changes the chart's name; the open table follows
    page.locator(f"#{ids.Map.COLOUR_BY} input[value=engagement]").check()
    page.wait_for_function("(block) => document.getElementById(block + '-name').textContent.includes('engagement')",
                           arg=ids.Charts.block(chart_id))
    assert table.locator("tbody tr").count() == 41
    assert _violations(page) == []  # two regions chosen: the region filter is named as it is drawn (test_a11y013)
