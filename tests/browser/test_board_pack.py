"""The whole Board pack on a served app (kaleido and the printer drive Debian's chromium): the Secretariat starts it
on the meeting's page, watches it progress while the dashboard stays usable, and a Board member downloads files
that open (python-pptx, pypdf, zipfile), hold every chart and show the meeting's numbers, not later ones."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from dashboard import ids
from dashboard.charts import CHARTS
from db import models as m
from db.commands import records
from db.commands.base import Actor, run_command
from db.commands.meetings import record_meeting
from db.session import Session, make_engine
from tests.browser.conftest import SCREENSHOTS, serve
from tests.browser.test_a11y import AXE, _violations
from tests.conftest import PASSWORD, seed_store
from tests.http_client import Client

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # minutes: pages printed by Chromium, decks (make test-slow)

SECRETARIAT, BOARD = "ana@metropolis.org", "bea@metropolis.org"
LATER_EVENT = "Webinar recorded after the Board meeting"
PRINTED_PAGES = ["Overview", "Map", "Engagement", "Gender parity", "Action plan", "Events", "Indicators", "Members",
                 "Data & sources"]


@pytest.fixture(scope="module")
def pack_server(tmp_path_factory):
    """The app on its own store: a meeting recorded, then an event of 2020 added after it."""
    workdir = tmp_path_factory.mktemp("pack-server")
    url = f"sqlite:///{workdir / 'store.sqlite3'}"
    seed_store(url, {"email": SECRETARIAT, "role": "secretariat", "name": "Ana Pérez"},
               {"email": BOARD, "role": "board", "name": "Bea"})
    engine = make_engine(url)

    def factory():
        return Session(bind=engine)

    with factory() as s:
        actor = Actor(s.scalar(select(m.UserAccount.id).where(m.UserAccount.email == SECRETARIAT)), "Ana Pérez",
                      "secretariat")
    slug = run_command(record_meeting, actor, name="Ordinary Board meeting", held_on="2021-03-12",
                       note="The first meeting of 2021", what="record", session_factory=factory)["slug"]
    run_command(records.record_event, actor, {
        "title": LATER_EVENT, "start_date": "2020-11-20", "online": True, "kind": "webinar",
        "metropolis_role": "organised", "region": "Europe", "members": ["Berlin"]}, what="record",
        session_factory=factory)
    engine.dispose()
    with serve(workdir, url) as base:
        yield base, slug


def _signed_in(base: str, email: str) -> Client:
    client = Client(base, timeout=300)
    client.sign_in(email)
    client.get("/api/v1/version")
    return client


def _download(client: Client, path: str) -> tuple[int, dict, bytes]:
    import urllib.error

    try:
        with client.opener.open(client.base + path, timeout=300) as answer:
            return answer.status, dict(answer.headers.items()), answer.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


def test_pk001_the_secretariat_makes_the_pack_and_the_board_downloads_it(pack_server, browser):
    base, slug = pack_server
    # bypass_csp: axe is injected as an inline script (as in test_a11y)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{base}/login?next=/meetings/{slug}")
    page.fill("#email", SECRETARIAT)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(f"#{ids.MeetingPage.PACK_MAKE}")
    page.click(f"#{ids.MeetingPage.PACK_MAKE}")
    page.wait_for_selector(".pack-running progress", timeout=60000)  # the progress indicator, polled
    assert page.locator(f"#{ids.MeetingPage.PACK_MAKE}").is_disabled()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "meeting-pack-running.png"), full_page=True)
    assert AXE.exists() and _violations(page) == []  # the progress bars are named

    # a second request while the job runs starts nothing
    again = _signed_in(base, SECRETARIAT).request("POST", f"/api/v1/meetings/{slug}/pack", {})
    assert again.status == 202 and again.json()["started"] is False and again.json()["running"]

    # the dashboard stays usable meanwhile: another page opens and draws
    page.click("a[href^='/map']")
    page.wait_for_selector("#chart-members-map .js-plotly-plot .main-svg", timeout=60000)
    page.go_back()
    page.wait_for_selector(f"#{ids.MeetingPage.PACK}")
    page.wait_for_function("() => document.querySelectorAll('.pack-file.pack-done').length === 3"
                           " || !!document.querySelector('.pack-failed, .pack-stalled')", timeout=1200000)
    page.screenshot(path=str(SCREENSHOTS / "meeting-pack-done.png"), full_page=True)
    assert page.locator(".pack-file.pack-done").count() == 3, page.locator(f"#{ids.MeetingPage.PACK}").inner_text()
    assert "The Board pack is ready." in page.locator(f"#{ids.MeetingPage.PACK_MESSAGE}").inner_text()
    assert _violations(page) == []
    context.close()

    board = _signed_in(base, BOARD)
    files = {}
    for kind, media, name in [("deck", "presentationml.presentation", "slides.pptx"), ("pdf", "application/pdf",
                                                                                          "pages.pdf"),
                              ("csv", "application/zip", "data.zip")]:
        status, headers, data = _download(board, f"/meetings/{slug}/pack/{kind}")
        assert status == 200 and media in headers["Content-Type"]
        assert f'filename="metropolis-board-pack-{slug}-{name}"' in headers["Content-Disposition"]
        files[kind] = data
    assert _download(Client(base), f"/meetings/{slug}/pack/deck")[0] == 401  # never to an anonymous visitor

    # the deck: the cover, then a slide (or several parts) of every chart of the registry
    from pptx import Presentation

    deck = Presentation(io.BytesIO(files["deck"]))
    assert deck.slides[0].shapes.title.text_frame.text == "Board pack: Ordinary Board meeting"
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    charted = {found for text in notes for found in re.findall(r"/export/([a-z0-9-]+)\.csv", text)}
    assert charted == set(CHARTS)
    assert all(f"as_of={slug}" in text for text in notes if "/export/" in text)

    # the printed pages: one PDF, a bookmark per page, each page as presented, without the later event
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(files["pdf"]))
    assert [item.title for item in pdf.outline] == PRINTED_PAGES
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) >= len(PRINTED_PAGES)
    assert text.count("As presented to the Board on 12 March 2021") >= len(PRINTED_PAGES)
    assert LATER_EVENT not in text

    # the data: a CSV per chart, each as the export serves it as of the meeting
    zipped = zipfile.ZipFile(io.BytesIO(files["csv"]))
    assert {f"data/{chart}.csv" for chart in CHARTS} <= set(zipped.namelist())
    exported = _download(board, f"/export/events-timeline.csv?as_of={slug}")[2]
    assert zipped.read("data/events-timeline.csv") == exported
    assert LATER_EVENT.encode() in _download(board, "/export/events-timeline.csv")[2]
    assert LATER_EVENT.encode() not in exported
