"""The dashboard on a large synthetic store: long tables page their rows from the server, searches ask the
server, heatmaps keep to a readable number of rows, and every page says the data is synthetic."""

from __future__ import annotations

import json

import pytest

from dashboard import ids
from seed.synthetic import Scale, generate
from tests.browser.conftest import Watched, serve

# slow (make test-slow): it generates a synthetic store of 2,500 members and serves it
pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCALE = Scale(members=2_500, first_year=2023, years=2, events=5_000, participations=25_000, bilateral_meetings=500,
              seed=11)


@pytest.fixture(scope="module")
def synthetic_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("synthetic")
    url = f"sqlite:///{workdir / 'synthetic.sqlite3'}"
    generate(url, SCALE, protected=[])
    with serve(workdir, url, seed=False) as base:
        yield base


@pytest.fixture
def page_at_scale(browser, synthetic_server):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30000)
    watched = Watched(page, synthetic_server)
    sizes: dict[str, int] = {}

    def measure(response):
        if "_dash-update-component" in response.url:
            body = json.loads(response.request.post_data or "{}")
            if "_pages_content" in body.get("output", ""):
                sizes["page"] = len(response.body())

    page.on("response", measure)
    yield watched, sizes
    assert watched.errors == [] and watched.outside == []
    context.close()


def _rows(page, grid_id: str) -> list[str]:
    return page.locator(f"#{grid_id} .ag-row .ag-cell[col-id='member']").all_inner_texts()


def test_sca001_member_list_pages_and_searches_on_the_server(page_at_scale):
    watched, sizes = page_at_scale
    page = watched.page
    watched.open("/members?year=2024")
    assert "Synthetic data." in page.inner_text(f"#{ids.Shell.SYNTHETIC}")
    assert "2,500 members in the selected regions" in page.inner_text(".page")
    page.wait_for_selector(f"#{ids.Members.GRID} .ag-row .ag-cell[col-id='member'] a")
    assert 10 < len(_rows(page, ids.Members.GRID)) <= 100  # one block is drawn, not 2,500 rows
    assert sizes["page"] < 100_000, sizes  # the page itself carries no rows
    page.fill(f"#{ids.Members.SEARCH}", "city 00042")
    page.wait_for_function(f"() => document.querySelectorAll('#{ids.Members.GRID} .ag-center-cols-container .ag-row')"
                           ".length === 1")
    assert _rows(page, ids.Members.GRID) == ["Synthetic City 00042"]
    watched.shot("scale-members-search")


def test_sca002_events_table_follows_the_kind_filter(page_at_scale):
    watched, _sizes = page_at_scale
    page = watched.page
    watched.open("/events?year=2023")
    count = page.inner_text(f"#{ids.Events.COUNT}")
    assert count.endswith(" events") and int(count.split()[0].replace(",", "")) > 2_000
    kind_cells = f"#{ids.Events.GRID} .ag-center-cols-container .ag-row .ag-cell[col-id='kind']"
    page.wait_for_selector(kind_cells)
    # the rows come in blocks from the server: wait until a block has filled its cells
    page.wait_for_function(f"() => Array.from(document.querySelectorAll(\"{kind_cells}\")).some(c => c.innerText.trim())")
    assert len(set(page.locator(kind_cells).all_inner_texts())) > 1
    for label in ("Statutory meetings", "Learning", "Global events", "Webinars and debates", "Other activities"):
        page.get_by_label(label).uncheck()
    page.wait_for_function(f"() => parseInt(document.getElementById('{ids.Events.COUNT}').innerText.replace(',', '')) < 1000")
    page.wait_for_function(f"() => Array.from(document.querySelectorAll(\"{kind_cells}\")).length > 0 && "
                           f"Array.from(document.querySelectorAll(\"{kind_cells}\"))"
                           ".every(c => c.innerText === 'World Metropolitan Day')")
    assert int(page.inner_text(f"#{ids.Events.COUNT}").split()[0].replace(",", "")) > 0
    watched.shot("scale-events-wmd")


def test_sca003_heatmap_keeps_to_the_most_engaged_members(page_at_scale):
    watched, sizes = page_at_scale
    page = watched.page
    watched.open("/engagement?year=2024")
    page.wait_for_selector(f"#{ids.Engagement.MATRIX} .main-svg")
    text = page.inner_text(f"#{ids.Engagement.MATRIX}")
    assert "the 150 most engaged of 2,500 members" in text
    assert sizes["page"] < 1_500_000, sizes
    watched.shot("scale-engagement")


def test_sca004_member_search_asks_the_server_for_matches(page_at_scale):
    watched, _sizes = page_at_scale
    page = watched.page
    watched.open("/?year=2024")
    page.click(f"#{ids.Shell.MEMBER_SEARCH}")
    # type into the search box once it is open (keys sent before it opens are lost), in one go
    search = page.locator("input.dash-dropdown-search, .dash-dropdown-search input").first
    search.wait_for(state="visible")
    search.fill("City 01234")
    option = page.get_by_role("option", name="Synthetic City 01234", exact=False)
    option.first.click()
    page.wait_for_url("**/members/synthetic-city-01234?year=2024")
    page.wait_for_selector("h1:has-text('Synthetic City 01234')")
