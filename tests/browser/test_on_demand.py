"""dash-ag-grid's bundle only where a page shows a table (dashboard/static.py on_demand_grid,
assets/on-demand/dash-ag-grid.js): a page without one never asks for it; a table draws its rows on a first visit
and after a client-side navigation, under the CSP (no console error)."""

import pytest

from dashboard import ids
from tests.browser.test_security import ALL_CHARTS_DRAWN

pytestmark = pytest.mark.browser

GRID_PAGES = [("/events", ids.Events.GRID), ("/members", ids.Members.GRID)]


def _grid_requests(watched) -> list[str]:
    return [url for url in watched.requested if "/_dash-component-suites/dash_ag_grid/" in url]


def _rows_drawn(page, grid_id: str) -> None:
    page.wait_for_selector(f"#{grid_id} .ag-center-cols-container .ag-row")
    assert page.locator(f"#{grid_id} .ag-center-cols-container .ag-row").count() > 0


def test_od001_a_page_without_a_table_never_asks_for_dash_ag_grid(watched):
    page = watched.page
    watched.open("/")
    page.wait_for_function(ALL_CHARTS_DRAWN)
    page.wait_for_load_state("networkidle")
    assert _grid_requests(watched) == []
    # the stand-in, ready, declaring what the real AgGrid declares to Dash (Dash then passes it `dashRenderType`,
    # which the grid reads to skip redrawing on its own changes)
    assert page.evaluate("() => typeof window.dash_ag_grid.AgGrid === 'function' "
                         "&& window.dash_ag_grid.AgGrid.dashRenderType === true")
    assert watched.errors == [], watched.errors


@pytest.mark.parametrize("path,grid_id", GRID_PAGES, ids=[p for p, _ in GRID_PAGES])
def test_od002_a_table_draws_its_rows_on_a_first_visit(watched, path, grid_id):
    watched.open(path)
    _rows_drawn(watched.page, grid_id)
    assert _grid_requests(watched), "the table's bundle was never fetched"
    assert watched.errors == [], watched.errors


@pytest.mark.parametrize("path,grid_id", GRID_PAGES, ids=[p for p, _ in GRID_PAGES])
def test_od003_a_table_draws_its_rows_after_a_client_side_navigation(watched, path, grid_id):
    page = watched.page
    watched.open("/")
    page.wait_for_function(ALL_CHARTS_DRAWN)
    page.evaluate("() => { window.notReloaded = true; }")
    page.locator(f"nav a[href^='{path}']").first.click()
    page.wait_for_url(f"**{path}*")
    _rows_drawn(page, grid_id)
    assert page.evaluate("() => window.notReloaded === true"), "the link reloaded the page"
    assert _grid_requests(watched)
    # the API the page's own scripts use (print, keyboard) answers for the real library
    assert page.evaluate(f"() => window.dash_ag_grid.getApiAsync('{grid_id}')"
                         ".then(api => api.getDisplayedRowCount())") > 0
    assert watched.errors == [], watched.errors
