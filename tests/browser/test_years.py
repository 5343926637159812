"""A year in progress and recorded additions to a reported year, as a Board member sees them in Chromium.

One store records a 2021 event (a year in progress with partial records) and a 2020 learning event (an addition
to the reported year) through the API as the Europe secretary; the pages are then read anonymously and signed in.
Screenshots go to artifacts/screenshots/year-*.png.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from dashboard import ids
from tests.browser.conftest import dash_id, new_tab, serve
from tests.conftest import PASSWORD, seed_store
from tests.http_client import Client

pytestmark = pytest.mark.browser

EVENT_2021 = {"title": "Year test: housing lab 2021", "start_date": "2021-03-04", "online": True, "kind": "learning",
              "metropolis_role": "organised", "members": ["Berlin", "Madrid"], "speakers_women": 3,
              "speakers_men": 2}
EVENT_2020 = {"title": "Year test: late 2020 learning exchange", "start_date": "2020-11-24", "online": True,
              "kind": "learning", "metropolis_role": "organised", "members": ["Berlin", "Madrid"]}
TEXT_OF_2020 = ["named only in the Q3 report", "printed totals of this table differ",
                "approximate: the accounts were not yet approved", "No members in the selected regions and year",
                "Only the progress report for July-September", "Annual Report 2020, 4.1"]


@pytest.fixture(scope="module")
def year_server(tmp_path_factory):
    """The app on its own store, with a 2021 event and a 2020 event recorded by the Europe secretary."""
    folder = tmp_path_factory.mktemp("years-app")
    url = f"sqlite:///{folder / 'store.sqlite3'}"
    seed_store(url, {"email": "eu@years.test", "role": "regional_secretary", "region": "Europe", "name": "Barbara"},
               {"email": "board@years.test", "role": "board", "name": "Board member"})
    with serve(folder, url) as base:
        client = Client(base)
        client.sign_in("eu@years.test")
        before = json.loads(client.get("/api/v1/engagement?region=Europe")[1])
        for body in (EVENT_2021, EVENT_2020):
            status, answer = client.send("POST", "/api/v1/events", body)
            assert status == 201, answer
        yield base, before


@pytest.fixture
def page(browser, year_server):
    with new_tab(browser) as page:
        yield page


def _open(page, base, path, ready):
    page.goto(base + path)
    page.wait_for_selector(ready, state="attached")
    page.wait_for_load_state("networkidle")


def _shot(page, name):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _without_header(text: str) -> str:
    """A CSV export without its leading '# ...' lines."""
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "".join(lines)


def _sign_in(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(base) + r"/(\?.*)?$"))


def test_yr001_one_record_of_2021_does_not_move_the_default_year(page, year_server):
    base, _before = year_server
    _open(page, base, "/", f"#{ids.Overview.SUMMARY}")
    assert page.inner_text(f"#{ids.Shell.FILTER_WORDS}") == "All regions · 2020"
    assert "2020 is a reported year" in page.inner_text(f"#{ids.Shell.YEAR_KIND}")


def test_yr002_a_year_in_progress_states_its_coverage_and_no_false_zero(page, year_server):
    base, _before = year_server
    _open(page, base, "/?year=2021&region=Europe", f"#{ids.Overview.KPIS}")
    kind = page.inner_text(f"#{ids.Shell.YEAR_KIND}")
    assert "2021 is a year in progress" in kind and "recorded in the dashboard so far" in kind
    kpis = page.inner_text(f"#{ids.Overview.KPIS}")
    assert not re.search(r"(^|\s)0(\.0)?%", kpis), kpis  # no share that rests on no records
    assert "No fee payments recorded for 2021 yet" in kpis
    assert "2 of 16 members have a recorded activity" in kpis
    assert "No statuses recorded for 2021 yet" in kpis
    assert "2020, same period (1 Jan to 4 Mar)" in kpis  # the comparison to date, labelled
    fees = page.inner_text(dash_id(ids.Overview.kpi_card("fees")))
    assert "–" in fees
    summary = page.inner_text(f"#{ids.Overview.SUMMARY}")
    assert "2021 is a year in progress" in summary and "No fee payments recorded for 2021 yet" in summary
    _shot(page, "year-in-progress-overview-europe")
    for path, ready, name, expected in [
            ("/engagement?year=2021", f"#{ids.Engagement.MATRIX}", "engagement", "the dashboard does not record it"),
            ("/events?year=2021", f"#{ids.Events.GRID}", "events", "recorded in the dashboard for this year so far"),
            ("/gender?year=2021", f"#{ids.Gender.RECORDED}", "gender-anonymous", "No report gives a gender breakdown"),
            ("/?year=2021", f"#{ids.Overview.KPIS}", "overview", "No fee payments recorded for 2021 yet"),
            ("/sources?year=2021", f"#{ids.Sources.RECONCILIATION}", "sources", "nothing to reconcile"),
            ("/action-plan?year=2021", f"#{ids.ActionPlan.GAUGES}", "action-plan", "No statuses recorded for 2021 yet"),
            ("/map?year=2021", f"#{ids.Map.GRAPH}", "map", "records entered in the dashboard"),
            ("/members/berlin?year=2021", f"#{ids.Member.ENGAGEMENT}", "member", "Year test: housing lab 2021")]:
        _open(page, base, path, ready)
        page.wait_for_function("t => document.body.innerText.includes(t) || [...document.querySelectorAll('svg text')]"
                               ".some(e => e.textContent.includes(t))", arg=expected)
        text = page.inner_text("body") + " ".join(
            page.eval_on_selector_all(".js-plotly-plot", "els => els.map(e => e.innerText || '')"))
        svg = " ".join(page.eval_on_selector_all("svg text", "els => els.map(e => e.textContent)"))
        for phrase in TEXT_OF_2020 if not path.startswith("/sources") else TEXT_OF_2020[:-1]:
            # (the sources page lists the documents and their discrepancies, whatever the year)
            assert phrase not in text and phrase not in svg, (path, phrase)
        assert "year in progress" in page.inner_text(f"#{ids.Shell.YEAR_KIND}")
        assert expected in text or expected in svg, (path, expected)
        _shot(page, f"year-in-progress-{name}")
    assert page.errors == []


def test_yr003_small_recorded_gender_counts_are_for_signed_in_users(page, year_server):
    base, _before = year_server
    _open(page, base, "/gender?year=2021", f"#{ids.Gender.RECORDED} .main-svg")
    chart = " ".join(page.eval_on_selector_all(f"#{ids.Gender.RECORDED} svg text", "els => els.map(e => e.textContent)"))
    assert "Not shown on public pages: fewer than 10 people" in chart and "60%" not in chart
    _open(page, base, "/?year=2021", f"#{ids.Overview.KPIS}")
    assert "fewer than 10 people" in page.inner_text(dash_id(ids.Overview.kpi_card("speakers")))
    _sign_in(page, base, "board@years.test")
    _open(page, base, "/gender?year=2021", f"#{ids.Gender.RECORDED} .barlayer")
    chart = " ".join(page.eval_on_selector_all(f"#{ids.Gender.RECORDED} svg text", "els => els.map(e => e.textContent)"))
    assert "60% · 3 of 5" in chart and "n = 1" in chart
    # the report's chart of 2021 never holds the recorded series
    printed = " ".join(page.eval_on_selector_all(f"#{ids.Gender.CHART} svg text", "els => els.map(e => e.textContent)"))
    assert "No report gives a gender breakdown for 2021" in printed
    _shot(page, "year-in-progress-gender-signed-in")
    _open(page, base, "/?year=2021", f"#{ids.Overview.KPIS}")
    assert "60%" in page.inner_text(dash_id(ids.Overview.kpi_card("speakers")))


def test_yr004_a_recorded_2020_event_is_shown_beside_the_printed_figures(page, year_server):
    base, before = year_server
    _open(page, base, "/?year=2020", f"#{ids.Overview.KPIS}")
    events_card = page.inner_text(dash_id(ids.Overview.kpi_card("events")))
    assert "109" in events_card and "+ 1 recorded since" in events_card and "110" not in events_card
    assert page.inner_text(dash_id(ids.Overview.kpi_card("activated")) + " .kpi-value") == "76.6%"
    assert "Recorded in the dashboard since the report" in page.inner_text(f"#{ids.Shell.YEAR_KIND}")
    _shot(page, "year-reported-with-additions-overview")
    _open(page, base, "/engagement?year=2020&region=Europe", f"#{ids.Engagement.MATRIX} .scatterlayer .point")
    marks = page.evaluate(f"""() => {{
        const gd = document.querySelector('#{ids.Engagement.MATRIX} .js-plotly-plot');
        const t = gd.data.find(d => d.name === 'Recorded in the dashboard since the report');
        return t ? t.y.map((m, i) => [m, t.x[i], t.hovertext[i]]) : [];
    }}""")
    learning = [m for m in marks if m[0] == "Berlin" and m[1].startswith("Learning")]
    assert learning and "recorded in the dashboard by Regional secretary for Europe (Barbara) on" in learning[0][2]
    _shot(page, "year-reported-with-additions-engagement")
    after = json.loads(Client(base).get("/api/v1/engagement?region=Europe")[1])
    assert [r["learning_activities"] for r in after["data"]] == [r["learning_activities"] for r in before["data"]]
    _open(page, base, "/members/berlin?year=2020", f"#{ids.Member.ENGAGEMENT}")
    table = page.inner_text(f"#{ids.Member.ENGAGEMENT}")
    assert "Recorded since the report" in table and "+1 recorded in the dashboard by Regional secretary" in table
    _shot(page, "year-reported-with-additions-member")
    status, text = Client(base).get("/export/engagement-matrix.csv?year=2020&region=Europe")
    rows = list(csv.DictReader(io.StringIO(_without_header(text))))
    berlin = next(r for r in rows if r["member"] == "Berlin")
    assert status == 200 and berlin["row_kind"] == "as printed" and "learning_activities +1" in berlin["recorded_since_report"]
    status, text = Client(base).get("/export/events-timeline.csv?year=2020")
    kinds = [(r["title"], r["row_kind"]) for r in csv.DictReader(io.StringIO(_without_header(text)))]
    assert (EVENT_2020["title"], "recorded in the dashboard") in kinds
    assert [k for _t, k in kinds].count("as printed") == 109
    assert page.errors == []
