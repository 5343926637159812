"""Live engagement in the browser: sign in and record through the forms; a change written through one app
process shows on a page served by another (one PostgreSQL database, Redis) within 5 seconds, without a reload."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard import ids
from tests.browser.conftest import ROOT, _free_port, dash_id
from tests.conftest import PASSWORD, seed_store, temporary_database
from tests.http_client import Client

pytestmark = pytest.mark.browser
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _start(port: int, env: dict, log: Path) -> subprocess.Popen:
    handle = open(log, "w")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env={**env, "PORT": str(port)}, stdout=handle,
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail(f"app on {port} did not start: {log.read_text()[-2000:]}", pytrace=False)


@pytest.fixture(scope="module")
def two_apps(tmp_path_factory):
    """Two app processes on one fresh PostgreSQL database and one Redis; yields their base URLs."""
    import redis

    folder = tmp_path_factory.mktemp("live")
    with temporary_database("postgresql", folder) as url:
        seed_store(url, {"email": "sec@live.test", "role": "secretariat", "name": "Ana"},
                   {"email": "board@live.test", "role": "board", "name": "Board member"})
        redis.Redis.from_url(REDIS_URL).flushdb()
        env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL, "SEED_ON_START": "false",
               "HOST": "127.0.0.1", "LOG_LEVEL": "WARNING", "SECRET_KEY": "live-test-" + "k" * 30}
        ports = _free_port(), _free_port()
        procs = [_start(port, env, folder / f"app-{port}.log") for port in ports]
        try:
            yield [f"http://127.0.0.1:{port}" for port in ports]
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=20)


def test_liv001_change_in_one_process_shows_in_the_other_within_5_seconds(two_apps, browser):
    writer_base, reader_base = two_apps
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors, outside = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((reader_base, "data:")) else None)
    page.goto(reader_base + "/")
    card = f"#{ids.Overview.KPIS}"
    page.wait_for_selector(card)
    events_card = page.locator(dash_id(ids.Overview.kpi_card("events")) + " .kpi-value")
    assert events_card.inner_text() == "109"
    writer = Client(writer_base)
    writer.sign_in("sec@live.test")
    status, body = writer.send("POST", "/api/v1/events", {
        "title": "Live test: Board briefing", "start_date": "2020-12-20", "online": True, "kind": "statutory",
        "statutory_meeting": "board", "metropolis_role": "organised", "members": ["Montevideo", "Dakar"]})
    assert status == 201, body
    written = time.monotonic()
    # 2020 is a reported year: the printed count stays, the recorded event shows beside it
    selector = json.dumps(dash_id(ids.Overview.kpi_card("events")) + " .kpi-added")
    page.wait_for_function(f"() => document.querySelector({selector})?.innerText === '+ 1 recorded since'",
                           timeout=5000)
    elapsed = time.monotonic() - written
    assert elapsed < 5, elapsed
    assert events_card.inner_text() == "109"
    assert page.url == reader_base + "/"  # no reload, no navigation
    page.screenshot(path=str(ROOT / "artifacts" / "screenshots" / "live-after-write.png"), full_page=True)
    assert errors == [] and outside == []
    context.close()


def test_liv002_board_member_cannot_write_and_the_attempt_is_logged(two_apps):
    writer_base, reader_base = two_apps
    board = Client(reader_base)
    board.sign_in("board@live.test")
    status, body = board.send("POST", "/api/v1/fee-payments", {"member": "Madrid", "fee_year": 2021, "paid": True})
    assert status == 403, body
    assert "cannot" in body["error"]["message"] or "not record" in body["error"]["message"]
    sec = Client(writer_base)
    sec.sign_in("sec@live.test")
    status, log = sec.get("/api/v1/changes?limit=50")
    assert status == 200 and any(r["action"] == "refused" and "Board member" in r["user_label"]
                                 for r in json.loads(log)["data"])


def test_liv003_record_an_event_through_the_form(two_apps, browser):
    base = two_apps[0]
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/login?next=/record")
    page.fill("#email", "sec@live.test")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/record")

    def field(name):
        return page.locator(dash_id(ids.Record.field("event", name)))

    def feedback(name):
        return page.locator(dash_id(ids.Record.feedback("event", name)))

    field("title").fill("Form test: housing exchange")
    field("start_date").fill("2021-06-10")
    field("end_date").fill("2021-06-01")
    field("location").fill("Madrid, Spain")
    for name, option in [("kind", "Learning"), ("metropolis_role", "Co-organised")]:
        field(name).click()
        page.get_by_role("option", name=option).click()
    page.click(f"#{ids.Record.submit('event')}")
    page.wait_for_selector(f"#{ids.Record.result('event')} .alert-danger")
    assert feedback("end_date").inner_text() == "The end date is before the start date."
    field("end_date").fill("2021-06-11")
    field("members").click()
    page.keyboard.type("Madr")
    page.get_by_role("option", name="Madrid · Europe").click()
    page.keyboard.press("Escape")
    page.click(f"#{ids.Record.submit('event')}")
    page.wait_for_selector(f"#{ids.Record.result('event')} .alert-success")
    page.screenshot(path=str(ROOT / "artifacts" / "screenshots" / "record-event-saved.png"), full_page=True)
    page.goto(base + "/members/madrid?year=2021")
    page.wait_for_selector(f"#{ids.Member.HISTORY}")
    assert "Form test: housing exchange" in page.inner_text(f"#{ids.Member.EVENTS}")
    assert "Madrid activated by 'Form test: housing exchange'" in page.inner_text(f"#{ids.Member.HISTORY}")
    # the year in progress the form recorded into says what it rests on, and no share rests on no records
    page.goto(base + "/?year=2021&region=Europe")
    page.wait_for_selector(f"#{ids.Overview.KPIS}")
    kpis = page.inner_text(f"#{ids.Overview.KPIS}")
    assert "have a recorded activity" in kpis and "0.0%" not in kpis and "2021 is a year in progress" in \
        page.inner_text(f"#{ids.Shell.YEAR_KIND}")
    assert errors == []
    context.close()
