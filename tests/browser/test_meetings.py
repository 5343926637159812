"""Board meetings in Chromium: the Secretariat records one with the form (a bad date first), activity is recorded
after it, then the list and the page of what changed since are read in English and French, anonymously.
Screenshots go to artifacts/screenshots/meetings-*.png."""

from __future__ import annotations

import re

import pytest

from dashboard import ids
from tests.browser.conftest import dash_id, new_tab, serve
from tests.browser.test_a11y import AXE, _violations
from tests.browser.waits import wait_until_settled
from tests.conftest import PASSWORD, seed_store
from tests.http_client import Client

pytestmark = pytest.mark.browser

EVENT = {"title": "Meeting test: Europe housing lab", "start_date": "2021-03-04", "online": True, "kind": "learning",
         "metropolis_role": "organised", "region": "Europe", "members": ["Berlin", "Madrid"]}
FEE = {"member": "Abidjan", "fee_year": 2021, "paid": True}


@pytest.fixture(scope="module")
def meeting_server(tmp_path_factory):
    """The app on its own store, with a Secretariat account."""
    folder = tmp_path_factory.mktemp("meetings-app")
    url = f"sqlite:///{folder / 'store.sqlite3'}"
    seed_store(url, {"email": "ana@meetings.test", "role": "secretariat", "name": "Ana"})
    with serve(folder, url) as base:
        yield base


@pytest.fixture
def page(browser, meeting_server):
    # bypass_csp: axe is injected as an inline script, which the app's CSP refuses (as tests/browser/test_a11y.py)
    with new_tab(browser, bypass_csp=True) as page:
        yield page


def _shot(page, name):
    from tests.browser.conftest import SCREENSHOTS

    wait_until_settled(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_mtg001_record_a_meeting_then_see_what_changed_since(page, meeting_server):
    """The happy path, with axe-core's WCAG 2.2 A/AA rules on each page (0 violations)."""
    assert AXE.exists(), "axe-core is not installed: run `make install` (npm ci)"
    base = meeting_server
    page.goto(base + "/login")
    page.fill("#email", "ana@meetings.test")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(base) + r"/(\?.*)?$"))
    page.goto(base + "/meetings")
    page.wait_for_selector(f"#{ids.Meetings.EMPTY}")
    page.fill(dash_id(ids.Meetings.field("name")), "Board of Directors, spring meeting")
    page.fill(dash_id(ids.Meetings.field("note")), "Online")
    # no date first (the date input takes only whole dates): the field says why and the summary takes focus
    page.click(f"#{ids.Meetings.SUBMIT}")
    page.wait_for_selector(f"{dash_id(ids.Meetings.feedback('held_on'))}:has-text('YYYY-MM-DD')")
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('.error-summary')")
    assert page.get_attribute(dash_id(ids.Meetings.field("held_on")), "aria-invalid") == "true"
    page.fill(dash_id(ids.Meetings.field("held_on")), "2021-03-12")
    page.click(f"#{ids.Meetings.SUBMIT}")
    page.wait_for_selector(f"#{ids.Meetings.row('2021-03-12')}")
    assert "Open as presented" in page.inner_text(f"#{ids.Meetings.RESULT}")
    _shot(page, "meetings-secretariat-en")
    assert _violations(page) == []

    client = Client(base)  # activity after the meeting, through the API
    client.sign_in("ana@meetings.test")
    for path, body in (("/api/v1/events", EVENT), ("/api/v1/fee-payments", FEE)):
        status, answer = client.send("POST", path, body)
        assert status == 201, answer

    with new_tab(page.context.browser, bypass_csp=True) as visitor:
        for lang in ("en", "fr"):
            visitor.goto(f"{base}/meetings?lang={lang}")
            visitor.wait_for_selector(f"#{ids.Meetings.TABLE}")
            assert visitor.locator(f"#{ids.Meetings.SUBMIT}").count() == 0
            _shot(visitor, f"meetings-list-{lang}")
            assert _violations(visitor) == []
            visitor.goto(f"{base}/meetings/2021-03-12/changes?year=2021&lang={lang}")
            visitor.wait_for_selector(f"#{ids.MeetingChanges.KPIS}")
            recorded = visitor.inner_text(f"#{ids.MeetingChanges.RECORDED}")
            assert "Meeting test: Europe housing lab" in recorded and "Abidjan" not in visitor.inner_text("main")
            events = visitor.inner_text(f"#{ids.MeetingChanges.kpi('events')}")
            assert "+1" in events
            _shot(visitor, f"meetings-changes-{lang}")
            assert _violations(visitor) == []
        assert visitor.inner_text("h1").startswith("Ce qui a changé depuis")
        visitor.goto(f"{base}/meetings/2021-03-12/changes?year=2021&region=Africa")
        visitor.wait_for_selector(f"#{ids.MeetingChanges.RECORDED}")
        assert "Meeting test: Europe housing lab" not in visitor.inner_text(f"#{ids.MeetingChanges.RECORDED}")
        visitor.goto(f"{base}/")
        visitor.wait_for_selector(f"#{ids.Overview.SINCE_MEETING}")
        line = visitor.locator(f"#{ids.Overview.SINCE_MEETING}")
        assert "Since the last Board meeting (12 March 2021): 2 changes recorded." in line.inner_text()
        assert line.locator("a").get_attribute("href").startswith("/meetings/2021-03-12/changes")
        assert visitor.errors == []
    assert page.errors == []
