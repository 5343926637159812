"""A Board meeting's view in Chromium (issue 17): ?as_of= shows the banner and the numbers as they stood, and every
address the page gives out (navbar, filters, chart menus, member links, language switch) keeps the meeting.
Screenshot: artifacts/screenshots/meeting-overview.png."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy.orm import sessionmaker

from dashboard import ids
from db.commands import meetings
from db.commands.base import Actor
from db.session import StoreSession, make_engine, write_session
from tests.browser.conftest import SCREENSHOTS, new_tab, serve
from tests.conftest import seed_store
from tests.http_client import Client

pytestmark = pytest.mark.browser

LATER_2020 = {"title": "Meeting view test: forum after the meeting", "start_date": "2020-11-24", "online": True,
              "kind": "learning", "metropolis_role": "organised", "members": ["Berlin", "Madrid"]}
# the only links that leave the meeting's view on purpose: the banner's way back to today and to the changes
LEAVING = (ids.Shell.MEETING_BANNER,)


@pytest.fixture(scope="module")
def meeting_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("meeting-app")
    url = f"sqlite:///{folder / 'store.sqlite3'}"
    seed_store(url, {"email": "eu@meeting.test", "role": "regional_secretary", "region": "Europe", "name": "Eva"})
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, class_=StoreSession, expire_on_commit=False)
    with write_session(factory) as session:
        slug = meetings.record_meeting(session, Actor(None, "Ana", "secretariat"), name="Board of Directors",
                                       held_on="2020-11-12")["slug"]
    engine.dispose()
    with serve(folder, url) as base:
        client = Client(base)
        client.sign_in("eu@meeting.test")
        status, answer = client.send("POST", "/api/v1/events", LATER_2020)
        assert status == 201, answer
        yield base, slug


@pytest.fixture
def page(browser, meeting_server):
    with new_tab(browser) as page:
        yield page


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(f"#{ids.Shell.MEETING_BANNER}")


def _links_without_the_meeting(page, base: str, slug: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]", "(links, leaving) => links.filter(a => !leaving.some(id => a.closest('#' + id)))"
                   ".map(a => a.href)", list(LEAVING))
    missing = []
    for href in hrefs:
        parts = urlsplit(href)
        if not href.startswith(base) or parts.path.startswith(("/login", "/logout", "/assets/", "/api/v1/docs")):
            continue
        if parse_qs(parts.query).get("as_of") != [slug]:
            missing.append(href)
    return missing


def test_the_overview_as_presented_keeps_the_meeting_everywhere(page, meeting_server):
    base, slug = meeting_server
    _open(page, f"{base}/?year=2020&as_of={slug}")
    banner = page.inner_text(f"#{ids.Shell.MEETING_BANNER}")
    assert "As presented to the Board on 12 November 2020: Board of Directors" in banner
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "meeting-overview.png"), full_page=True)
    missing = _links_without_the_meeting(page, base, slug)
    assert not missing, sorted(set(missing))
    page.click(f"a[href*='/events']:not(#{ids.Shell.MEETING_BANNER} a)")
    page.wait_for_url("**/events?**")
    page.wait_for_load_state("networkidle")
    assert parse_qs(urlsplit(page.url).query).get("as_of") == [slug]
    page.wait_for_selector(f"#{ids.Shell.MEETING_BANNER}")
    assert LATER_2020["title"] not in page.inner_text("main") if page.query_selector("main") else True
    assert not _links_without_the_meeting(page, base, slug)


def test_the_events_page_shows_the_meeting_numbers_and_today_the_new_event(page, meeting_server):
    base, slug = meeting_server
    _open(page, f"{base}/events?year=2020&as_of={slug}")
    then = page.inner_text("body")
    assert LATER_2020["title"] not in then
    page.goto(f"{base}/events?year=2020")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert page.query_selector(f"#{ids.Shell.MEETING_BANNER}") is None
    client = Client(base)
    status, csv_then = client.get(f"/api/v1/events?format=csv&year=2020&as_of={slug}")
    status_now, csv_now = client.get("/api/v1/events?format=csv&year=2020")
    assert status == status_now == 200
    assert LATER_2020["title"] in csv_now and LATER_2020["title"] not in csv_then


def test_a_french_view_of_the_meeting(page, meeting_server):
    base, slug = meeting_server
    _open(page, f"{base}/?year=2020&lang=fr&as_of={slug}")
    assert "Tel que présenté au Conseil d’administration le 12 novembre 2020" in page.inner_text(
        f"#{ids.Shell.MEETING_BANNER}")
    assert not _links_without_the_meeting(page, base, slug)
