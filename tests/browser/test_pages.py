"""Browser tests in Debian's headless Chromium: every page, the filters in the URL, the map, navigation."""

import re

import pytest

from dashboard import ids
from tests.browser.waits import click_plot, wait_until_settled, wait_until_still

pytestmark = pytest.mark.browser


PAGES = [
    ("overview", "/", f"#{ids.Overview.SUMMARY}"),
    ("map", "/map", f"#{ids.Map.GRAPH} g.layer.land path"),
    ("engagement", "/engagement", f"#{ids.Engagement.MATRIX} .heatmaplayer, #{ids.Engagement.MATRIX} image"),
    ("gender", "/gender", f"#{ids.Gender.CHART} .barlayer"),
    ("action-plan", "/action-plan", f"#{ids.ActionPlan.GAUGES} .indicatorlayer"),
    ("events", "/events", f"#{ids.Events.GRID} .ag-row"),
    ("members", "/members", f"#{ids.Members.GRID} .ag-row"),
    ("member", "/members/madrid", f"#{ids.Member.ENGAGEMENT}"),
    ("sources", "/sources", f"#{ids.Sources.RECONCILIATION}"),
    ("overview-europe", "/?region=Europe&year=2020", f"#{ids.Overview.SUMMARY}"),
    ("map-latin-america", "/map?region=latin-america-and-the-caribbean", f"#{ids.Map.GRAPH} g.layer.land path"),
    ("engagement-africa-sorted", "/engagement?region=Africa&sort=total", f"#{ids.Engagement.MATRIX} .heatmaplayer"),
]


@pytest.mark.parametrize("name,path,ready", PAGES, ids=[p[0] for p in PAGES])
def test_brw001_page_loads_clean_and_offline(watched, name, path, ready):
    watched.open(path)
    watched.page.wait_for_selector(ready, state="attached")
    wait_until_settled(watched.page)
    watched.shot(name)
    assert watched.errors == [], watched.errors
    assert watched.outside == [], f"requests left 127.0.0.1: {watched.outside}"
    # the app's own plotly.js bundle draws the charts: Dash's full 4.8 MB one is never fetched (README 'Speed')
    assert not [url for url in watched.requested if "/_dash-component-suites/plotly/" in url]


def test_brw002_map_draws_land_and_members(watched):
    watched.open("/map")
    land = watched.page.locator(f"#{ids.Map.GRAPH} g.layer.land path").first
    land.wait_for(state="attached")
    assert len(land.get_attribute("d") or "") > 10000  # the world's land, not an empty path
    assert watched.page.locator(f"#{ids.Map.GRAPH} .scattergeo path.point").count() == 142
    assert watched.outside == []


def test_brw003_region_filter_changes_figures_url_and_follows_to_other_pages(watched):
    page = watched.page
    watched.open("/")
    before = page.inner_text(f"#{ids.Overview.SUMMARY}")
    assert before.startswith("108 of 141")
    page.wait_for_selector(f"#{ids.Overview.ACTIVE_CHART} .barlayer .point")  # drawn after the text, not with it
    bars_before = page.locator(f"#{ids.Overview.ACTIVE_CHART} .barlayer .point").count()
    page.click(f"#{ids.Shell.REGION}")
    page.keyboard.type("Europe")
    page.get_by_role("option", name="Europe").click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.location.search.includes('region=Europe')")
    assert "year=2020" in page.url
    page.wait_for_function(f"() => document.querySelector('#{ids.Overview.SUMMARY}').innerText.startsWith('14 of 16')")
    assert page.locator(f"#{ids.Overview.ACTIVE_CHART} .barlayer .point").count() == 1 < bars_before
    page.click("nav >> text=Map")
    page.wait_for_url(re.compile(r"/map\?region=Europe&year=2020$"))
    page.wait_for_selector(f"#{ids.Map.GRAPH} .scattergeo path.point")
    assert page.inner_text(f"#{ids.Shell.FILTER_WORDS}") == "Europe · 2020"
    assert page.locator(f"#{ids.Map.GRAPH} .scattergeo path.point").count() == 16
    assert "Europe" in page.inner_text(f"#{ids.Shell.REGION}")
    page.go_back()
    page.wait_for_selector(f"#{ids.Overview.SUMMARY}")
    assert page.url.endswith("/?region=Europe&year=2020")
    page.go_back()
    page.wait_for_function(f"() => document.querySelector('#{ids.Overview.SUMMARY}').innerText.startsWith('108 of 141')")
    watched.shot("filter-back-to-all")
    assert watched.errors == [] and watched.outside == []


def test_brw004_bad_query_string_shows_a_notice(watched):
    watched.open("/engagement?region=Atlantis&year=18x0")
    notices = watched.page.locator(".notice")
    notices.first.wait_for()
    text = " ".join(notices.all_inner_texts())
    assert "Unknown region 'Atlantis'" in text and "Showing all regions" in text and "'18x0' is not a year" in text
    assert watched.page.inner_text(f"#{ids.Shell.FILTER_WORDS}") == "All regions · 2020"
    watched.shot("bad-query-notice")
    assert watched.errors == []


def test_brw005_member_page_opens_from_the_map(watched):
    page = watched.page
    watched.open("/map?region=Europe")
    point = page.locator(f"#{ids.Map.GRAPH} .scattergeo path.point").first
    point.wait_for()
    click_plot(page, point)
    page.wait_for_url(re.compile(r"/members/[a-z-]+\?region=Europe"))
    page.wait_for_selector(f"#{ids.Member.ENGAGEMENT}, #{ids.Member.PROFILE}")
    assert page.locator("h1").inner_text() not in ("", "Member not found")
    assert watched.errors == []


def test_brw006_member_search_opens_the_member(watched):
    page = watched.page
    watched.open("/")
    page.click(f"#{ids.Shell.MEMBER_SEARCH}")
    page.keyboard.type("Bogot")
    page.get_by_role("option", name="Bogota · Latin America and the Caribbean").click()
    page.wait_for_url(re.compile(r"/members/bogota$"))
    page.wait_for_selector(f"#{ids.Member.PROFILE}")
    assert "Alcaldía Mayor de Bogotá D.C." in page.inner_text(f"#{ids.Member.PROFILE}")
    assert watched.errors == []


def test_brw007_heatmap_row_opens_the_member(watched):
    page = watched.page
    watched.open("/engagement?region=North+America")
    page.wait_for_selector(f"#{ids.Engagement.MATRIX} .heatmaplayer")
    plot = page.locator(f"#{ids.Engagement.MATRIX} .nsewdrag").last
    click_plot(page, plot, dx=0.1, dy=0.07)  # the middle of the first of 7 rows, the Activated column
    page.wait_for_url(re.compile(r"/members/guadalajara"))
    assert watched.errors == []


def test_brw008_events_kind_filter_updates_the_table(watched):
    page = watched.page
    watched.open("/events")
    page.wait_for_selector(f"#{ids.Events.GRID} .ag-row")
    assert page.inner_text(f"#{ids.Events.COUNT}") == "109 events"
    for label in ["Statutory meetings", "Learning", "Global events", "Webinars and debates", "Other activities"]:
        page.get_by_label(label).uncheck()
    page.wait_for_function(f"() => document.querySelector('#{ids.Events.COUNT}').innerText === '18 events'")
    watched.shot("events-wmd-only")
    assert watched.errors == []


def test_brw009_action_plan_drill_down(watched):
    page = watched.page
    watched.open("/action-plan")
    bar = page.locator(f"#{ids.ActionPlan.STATUS_CHART} .barlayer .point").first
    bar.wait_for()
    click_plot(page, bar, dx=0.3)
    page.wait_for_function(f"() => document.querySelector('#{ids.ActionPlan.LINE_FILTER}').innerText.startsWith('Action line')")
    codes = page.locator(f"#{ids.ActionPlan.GRID} .ag-row [col-id='code']").all_inner_texts()
    line = page.inner_text(f"#{ids.ActionPlan.LINE_FILTER}").split()[2]
    assert codes and all(c.startswith(line) for c in codes)
    assert watched.errors == []


def test_brw010_discrepancy_link_scrolls_to_its_explanation(watched):
    page = watched.page
    watched.open("/")
    page.locator(".kpi-note a").first.click()
    page.wait_for_url(re.compile(r"/sources#discrepancy-"))
    anchor = page.url.split("#")[1]
    page.wait_for_selector(f"#{anchor}")
    page.wait_for_function("id => document.getElementById(id).getBoundingClientRect().top < 900", arg=anchor)
    assert page.evaluate(f"document.getElementById('{anchor}').getBoundingClientRect().top") < 900
    assert watched.errors == []


def test_cur001_unknown_cells_are_drawn_apart_with_their_own_hover(watched):
    """Tehran's unreadable cells: grey '?' cells in the heatmap whose hover says unknown; its page says so too."""
    page = watched.page
    watched.open("/engagement?region=Asia-Pacific&year=2020")
    marks = page.locator(f"#{ids.Engagement.MATRIX} .heatmaplayer text", has_text=re.compile(r"^\?$"))
    marks.first.wait_for(state="attached")
    assert marks.count() == 5  # anonymous: the fee column is not drawn; Board, bilateral, learning, WMD, Call
    mark = marks.first
    mark.scroll_into_view_if_needed()
    wait_until_still(mark)  # the responsive graph may still be re-laying itself out
    box = mark.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = page.locator(f"#{ids.Engagement.MATRIX} .hoverlayer")
    hover.get_by_text(re.compile("unknown \\(unreadable in the report\\)")).wait_for()
    assert "Tehran" in hover.text_content()
    watched.shot("engagement-unknown-cells")
    watched.open("/members/tehran?year=2020")
    table = page.locator(f"#{ids.Member.ENGAGEMENT}")
    table.wait_for()
    assert table.inner_text().count("unknown (unreadable in the report)") == 5
    watched.shot("member-tehran-unknown")
    watched.open("/sources?year=2020")
    reconciliation = page.locator(f"#{ids.Sources.RECONCILIATION}")
    reconciliation.wait_for()
    text = reconciliation.inner_text()
    assert "77 known + 1 unknown" in text and "(as of November 2020)" in text
    reconciliation.scroll_into_view_if_needed()
    watched.shot("sources-unknown-cells")
    watched.open("/?year=2020")
    page.locator(f"#{ids.Overview.SUMMARY}").get_by_text(re.compile("unreadable")).wait_for()
    watched.shot("overview-unknown-fee")
    assert watched.errors == [], watched.errors
