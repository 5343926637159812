"""The Indicators page in headless Chromium: with the shipped store (printed network figures, coverage, no empty
axes), and with the synthetic fixture of per-member values imported (map drawn, ranking ordered, a member's page
linked, filters changing the figures and the URL); its exports and deck open and carry their sources."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.request

import pytest
from PIL import Image

from dashboard import ids
from db.queries import indicators as q
from db.session import Session, make_engine
from tests.browser.conftest import SCREENSHOTS, Watched, dash_id, new_tab, serve
from tests.browser.waits import click_plot, wait_until_settled
from tests.conftest import PASSWORD, seed_store
from tests.indicator_data import import_fixture

pytestmark = pytest.mark.browser
POVERTY = "observatory.poverty_pct"
DECK = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@pytest.fixture(scope="module")
def imported_server(tmp_path_factory):
    """The app on a store seeded from seed/ with the synthetic fixture imported and a Secretariat user; yields
    (base URL, engine)."""
    workdir = tmp_path_factory.mktemp("indicators-server")
    url = f"sqlite:///{workdir / 'store.sqlite3'}"
    seed_store(url, {"email": "sec@indicators.test", "role": "secretariat", "name": "Ana"})
    engine = make_engine(url)
    import_fixture(engine)
    with serve(workdir, url) as base:
        yield base, engine
    engine.dispose()


@pytest.fixture
def imported(browser, imported_server):
    with new_tab(browser) as page:
        yield Watched(page, imported_server[0])


def graph_js(graph_id: str) -> str:
    return f"document.querySelector('#{graph_id} .js-plotly-plot')"


def test_ind001_shipped_store_shows_printed_figures_and_coverage_without_empty_axes(watched):
    page = watched.page
    watched.open("/indicators")
    page.wait_for_selector(f"#{ids.Indicators.EMPTY}")
    table = page.inner_text(f"#{ids.Indicators.TABLE}")
    for printed in ("53%", "2,642", "8.9%", "35.1", "62%", "73.7"):
        assert printed in table
    assert "Metropolis Strategic Action Plan 2021-2023, Metropolitan metrics, line 142" in table
    assert page.inner_text(f"#{ids.Indicators.COVERAGE}") == "Values for 0 of 141 members, 2020"
    assert "no member has a value of its own in 2020" in page.inner_text(f"#{ids.Indicators.SUMMARY}")
    assert "No member has a value of its own" in page.inner_text(f"#{ids.Indicators.EMPTY}")
    assert page.locator(f"#{ids.Indicators.DETAIL} .js-plotly-plot").count() == 0  # no empty axes
    assert page.locator(f"#{ids.Indicators.IMPORT_LINK}").count() == 0  # anonymous: no import link
    card = page.locator(dash_id(ids.Indicators.result_card("events.participants")))
    assert "2,100+" in card.inner_text()
    watched.shot("indicators-shipped")
    page.click(f"#{ids.Shell.REGION}")
    page.keyboard.type("Africa")
    page.get_by_role("option", name="Africa").click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.location.search.includes('region=Africa')")
    page.wait_for_function(f"() => document.querySelector('#{ids.Indicators.COVERAGE}')?.innerText === "
                           "'Values for 0 of 25 members of Africa, 2020'")
    card.click()  # a card opens its indicator's page, keeping the filters
    page.wait_for_url(re.compile(r"/indicators/events\.participants\?region=Africa&year=2020$"))
    assert "2,100+" in page.inner_text(f"#{ids.IndicatorPage.PRINTED}")
    assert watched.errors == [] and watched.outside == []


def test_ind002_imported_values_draw_the_map_rank_the_members_and_link_them(imported, imported_server):
    page = imported.page
    imported.open(f"/indicators?year=2021&indicator={POVERTY}")
    page.wait_for_selector(f"#{ids.Indicators.MAP} .scattergeo path.point")
    assert page.locator(f"#{ids.Indicators.MAP} .scattergeo path.point").count() == 28
    assert len(page.locator(f"#{ids.Indicators.MAP} g.layer.land path").first.get_attribute("d") or "") > 10000
    assert page.inner_text(f"#{ids.Indicators.COVERAGE}") == "Values for 28 of 141 members, 2021"
    with Session(bind=imported_server[1]) as session:
        expected = list(q.values_by_member(session, code=POVERTY, year=2021)["member"])
    drawn = page.evaluate(f"{graph_js(ids.Indicators.RANKING)}.layout.yaxis.categoryarray")
    assert drawn[::-1] == expected  # highest at the top
    ticks = page.locator(f"#{ids.Indicators.RANKING} .ytick text").all_inner_texts()
    top_y = page.evaluate(f"""Array.from(document.querySelectorAll('#{ids.Indicators.RANKING} .ytick text'))
        .map(t => [t.textContent, t.getBoundingClientRect().top]).sort((a, b) => a[1] - b[1])[0][0]""")
    assert len(ticks) == 28 and top_y == expected[0] == "Cairo"
    assert page.locator(f"#{ids.Indicators.DISTRIBUTION} .barlayer .point").count() > 0
    wait_until_settled(page)
    imported.shot("indicators-imported")
    click_plot(page, page.locator(f"#{ids.Indicators.RANKING} .barlayer .point path").first)
    page.wait_for_url(re.compile(r"/members/[a-z0-9-]+\?year=2021$"))
    page.wait_for_selector(f"#{ids.Member.INDICATORS} a")
    member_link = page.locator(f"#{ids.Member.INDICATORS} a", has_text="People living below the poverty line")
    member_link.first.click()  # the member page links to the indicator's page
    page.wait_for_url(re.compile(r"/indicators/observatory\.poverty_pct\?year=2021$"))
    page.wait_for_selector(f"#{ids.IndicatorPage.GRID} .ag-row")
    imported.shot("indicator-page-imported")
    assert imported.errors == [] and imported.outside == []


def test_ind003_filters_change_the_figures_and_the_url(imported):
    page = imported.page
    imported.open(f"/indicators?year=2021&indicator={POVERTY}")
    page.wait_for_selector(f"#{ids.Indicators.RANKING} .barlayer .point")
    assert page.locator(f"#{ids.Indicators.RANKING} .barlayer .point").count() == 28
    page.click(f"#{ids.Shell.REGION}")
    page.keyboard.type("Africa")
    page.get_by_role("option", name="Africa").click()
    page.keyboard.press("Escape")
    page.wait_for_function("() => window.location.search.includes('region=Africa')")
    assert "indicator=observatory.poverty_pct" in page.url and "year=2021" in page.url
    page.wait_for_function(f"() => document.querySelector('#{ids.Indicators.COVERAGE}')?.innerText === "
                           "'Values for 12 of 25 members of Africa, 2021'")
    page.wait_for_function(f"() => document.querySelectorAll('#{ids.Indicators.RANKING} .barlayer .point').length === 12")
    diamonds = page.locator(f"#{ids.Indicators.RANKING} .scatterlayer .point").count()
    assert diamonds == 8  # the years compare: eight of the twelve have a 2020 value
    page.click(f"#{ids.Shell.YEAR}")
    page.get_by_role("option", name="2020").click()
    page.wait_for_function("() => window.location.search.includes('year=2020')")
    page.wait_for_function(f"() => document.querySelector('#{ids.Indicators.COVERAGE}')?.innerText === "
                           "'Values for 8 of 25 members of Africa, 2020'")
    page.click(dash_id(ids.Indicators.choice("observatory.life_expectancy")))
    page.wait_for_function("() => window.location.search.includes('indicator=observatory.life_expectancy')")
    page.wait_for_selector(f"#{ids.Indicators.EMPTY}")
    assert "73.7" in page.inner_text(f"#{ids.Indicators.DETAIL}")
    assert page.locator(f"#{ids.Indicators.DETAIL} .js-plotly-plot").count() == 0
    imported.shot("indicators-imported-africa-empty-indicator")
    assert imported.errors == [] and imported.outside == []


def test_ind004_signed_in_users_get_the_import_link(imported):
    page = imported.page
    page.goto(imported.base_url + "/login?next=/indicators?indicator=observatory.pm25")
    page.fill("#email", "sec@indicators.test")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(f"#{ids.Indicators.IMPORT_LINK}")
    page.click(f"#{ids.Indicators.IMPORT_LINK}")
    page.wait_for_url(re.compile(r"/record$"))


# ---- exports and the deck --------------------------------------------------------------------------

def fetch(base: str, path: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(base + path, timeout=120) as response:
        return response.status, response.headers.get_content_type(), response.read()


def not_blank(png: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = img.resize((200, 120)).getcolors(maxcolors=200 * 120)
    assert len(colours) > 20 and sum(n for n, c in colours if c != (255, 255, 255)) > 0.03 * 200 * 120
    return img


def check_deck(data: bytes, *, charts: int, sources: list[str]) -> list[str]:
    """The deck's slide texts: a title slide, the key figures, then one slide per chart with its picture and its
    source."""
    from pptx import Presentation

    slides = list(Presentation(io.BytesIO(data)).slides)
    assert len(slides) == 2 + charts
    texts = []
    for slide in slides[2:]:
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert [s.shape_type for s in slide.shapes].count(13) == 1 and "Source:" in text
        assert all(source in text for source in sources), text
        texts.append(text)
    return texts


def test_ind005_exports_and_deck_with_imported_values_carry_their_sources(imported_server):
    base = imported_server[0]
    for chart in ("indicator-map", "indicator-ranking", "indicator-distribution"):
        status, kind, png = fetch(base, f"/export/{chart}.png?region=Africa&year=2021&indicator={POVERTY}")
        assert (status, kind) == (200, "image/png")
        not_blank(png).save(SCREENSHOTS / f"export-{chart}-africa-2021.png")
        for fmt, kind_ in (("svg", "image/svg+xml"), ("pdf", "application/pdf")):
            status, kind, body = fetch(base, f"/export/{chart}.{fmt}?region=Africa&year=2021&indicator={POVERTY}")
            assert (status, kind) == (200, kind_) and len(body) > 1000
    status, kind, body = fetch(base, f"/export/indicator-ranking.csv?region=Africa&year=2021&indicator={POVERTY}")
    text = body.decode("utf-8")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert len(rows) == 12 + 1 and rows[0]["member"] == "Cairo" and rows[0]["value"] == "39.9"
    assert rows[0]["source"].startswith("Entered in the dashboard, by Secretariat (Test import)")
    assert rows[-1]["printed"] == "8.9%" and "Metropolitan metrics, line 142" in rows[-1]["source"]
    assert "Strategic Action Plan 2021-2023" in text.split("\n#", 1)[0] + "".join(
        line for line in text.splitlines() if line.startswith("#"))
    status, kind, deck = fetch(base, "/export/deck.pptx?page=/indicators&region=Africa&year=2021")
    assert (status, kind) == (200, DECK)
    texts = check_deck(deck, charts=6, sources=["Entered in the dashboard", "Strategic Action Plan 2021-2023"])
    # a slide per chart and indicator with members' values (Africa has some for two indicators in 2021)
    assert sum("People living below the poverty line" in t for t in texts) == 3
    assert sum("Population density" in t for t in texts) == 3
    from pptx import Presentation

    notes = [s.notes_slide.notes_text_frame.text for s in list(Presentation(io.BytesIO(deck)).slides)[1:]]
    assert sum(f"/indicators?region=Africa&year=2021&indicator={POVERTY}#chart-" in n for n in notes) == 3
    status, _kind, embed = fetch(base, f"/embed/indicator-ranking?region=Africa&year=2021&indicator={POVERTY}")
    assert status == 200
    with urllib.request.urlopen(base + "/api/v1/charts", timeout=30) as response:
        charts = {c["id"]: c for c in json.load(response)["charts"]}
    assert charts["indicator-map"]["page"] == "/indicators" and POVERTY in charts["indicator-map"]["options"]["indicator"]


def test_ind006_exports_and_deck_of_the_shipped_store_say_there_are_no_member_values(dash_app, app_store):
    client = dash_app.server.test_client()
    response = client.get(f"/export/indicator-map.png?indicator={POVERTY}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    not_blank(response.data).save(SCREENSHOTS / "export-indicator-map-shipped.png")
    text = client.get(f"/export/indicator-ranking.csv?indicator={POVERTY}").get_data(as_text=True)
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert [(r["member"], r["printed"]) for r in rows] == [("Network figure (as printed)", "8.9%")]
    assert "Metropolis Strategic Action Plan 2021-2023, Metropolitan metrics, line 142" in rows[0]["source"]
    deck = client.get("/export/deck.pptx?page=/indicators&year=2020")
    assert deck.status_code == 200 and deck.mimetype == DECK
    texts = check_deck(deck.data, charts=3, sources=["Strategic Action Plan 2021-2023"])
    assert "Gender pay gap" in texts[0]
    assert client.get("/export/indicator-map.png?indicator=observatory.happiness").status_code == 400


def test_ind007_the_page_prints_with_its_charts_and_sources(imported):
    from pypdf import PdfReader

    page = imported.page
    imported.open(f"/indicators?region=Africa&year=2021&indicator={POVERTY}")
    page.wait_for_selector(f"#{ids.Indicators.RANKING} .barlayer .point")
    page.emulate_media(media="print")
    page.evaluate("window.metropolisPrintLayout.toPrint()")  # what the browser's beforeprint does
    page.wait_for_function("() => Array.from(document.querySelectorAll('.js-plotly-plot .main-svg:first-child'))"
                           ".every(s => s.getBoundingClientRect().width <= 720)")
    assert not page.locator(".navbar").is_visible() and not page.locator(".chart-menu").first.is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    (SCREENSHOTS / "indicators-print-a4.pdf").write_bytes(pdf)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Africa · 2021" in text and "Printed from" in text and "Values for 12 of 25 members of Africa, 2021" in text
    assert "Source:" in text and "Metropolitan metrics, line 142" in text
