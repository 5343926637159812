"""Exports rendered on the server by headless Chromium (kaleido): images, vector files, CSV, decks, embeds, print."""

import csv
import io
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from dashboard import ids
from db.queries import engagement, events
from db.session import Session

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture
def client(dash_app, app_store):
    return dash_app.server.test_client()


def ok(response, mimetype):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == mimetype
    return response.data


def not_blank(png: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(png)).convert("RGB")
    small = img.resize((200, 120))
    colours = small.getcolors(maxcolors=200 * 120)
    non_white = sum(n for n, c in colours if c != (255, 255, 255))
    assert len(colours) > 20 and non_white > 0.05 * 200 * 120, "the image is (nearly) blank"
    return img


@pytest.mark.parametrize("url,size", [
    ("/export/active-by-region.png", (1920, 1080)),
    ("/export/members-map.png?region=Europe&year=2020", (1920, 1080)),
    ("/export/gender-parity.png?width=1280&height=720", (1280, 720)),
    ("/export/gender-parity.png?size=print", (3508, 2480)),
    ("/export/events-per-month.png?region=Africa&width=800", (800, 450)),
])
def test_exp001_png_has_the_requested_size_and_is_not_blank(client, url, size):
    img = not_blank(ok(client.get(url), "image/png"))
    assert img.size == size
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    img.save(SCREENSHOTS / ("export-" + re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") + ".png"))


def test_exp002_charts_with_their_own_proportions_keep_them(client):
    img = not_blank(ok(client.get("/export/engagement-matrix.png?region=Africa"), "image/png"))
    assert img.width == 1920 and img.height > 1080  # one row per member: it grows instead of squashing
    gauges = not_blank(ok(client.get("/export/action-plan-completion.png?size=print"), "image/png"))
    assert gauges.width == 3508 and gauges.height < 2480  # gauges are not stretched to A4's proportions
    fixed = not_blank(ok(client.get("/export/action-plan-completion.png?width=1600&height=1200"), "image/png"))
    assert fixed.size == (1600, 1200)  # an explicit size is always honoured


@pytest.mark.parametrize("url,title,words", [
    ("/export/engagement-matrix.svg?region=Europe&year=2020", "Engagement of each member in 2020", "Europe · 2020"),
    ("/export/fee-paid-by-region.svg?region=Africa&region=North%20America", "Members who paid the 2020 fee, by region",
     "Africa, North America · 2020"),
    ("/export/events-timeline.svg?kind=wmd", "Events of 2020", "All regions · 2020"),
])
def test_exp003_svg_carries_title_filters_source_date_and_link(client, url, title, words):
    svg = ok(client.get(url), "image/svg+xml").decode()
    assert title in svg and words in svg
    assert "Source: Metropolis" in svg
    assert "Data as of" in svg and "http://localhost/" in svg  # the link back to the live view


def test_exp004_pdf_opens_and_has_the_text(client):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(ok(client.get("/export/funds.pdf"), "application/pdf")))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1 and "Where the funds came from in 2020" in text and "€936,463" in text


def read_csv(text: str):
    comments = [line for line in text.splitlines() if line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(x for x in text.splitlines() if not x.startswith("#")))))
    return comments, rows


def test_exp005_csv_rows_equal_the_data_layer(client):
    comments, rows = read_csv(ok(client.get("/export/engagement-matrix.csv?region=Europe"), "text/csv").decode())
    assert any(c.startswith("# filters: Europe · 2020") for c in comments)
    assert any(c.startswith("# source: Metropolis Annual Report 2020") for c in comments)
    assert any(c.startswith("# data_as_of:") for c in comments) and any(c.startswith("# url: http") for c in comments)
    with Session() as session:
        expected = engagement.engagement_by_member(session, year=2020, regions=["Europe"])
    assert [r["member"] for r in rows] == list(expected["member"])
    assert [int(r["learning_activities"]) for r in rows] == list(expected["learning_activities"])
    assert all(r["source"].startswith("Metropolis Annual Report 2020, 4.1") for r in rows)


def test_exp006_csv_follows_the_chart_options(client):
    _comments, rows = read_csv(ok(client.get("/export/events-timeline.csv?kind=wmd&kind=statutory"), "text/csv").decode())
    with Session() as session:
        expected = events.events_in_year(session, year=2020, kinds=["statutory", "wmd"])
    assert [r["title"] for r in rows] == list(expected["title"]) and len(rows) == 24
    _comments, rows = read_csv(ok(client.get("/export/activations-by-month.csv?region=Asia-Pacific"), "text/csv").decode())
    with Session() as session:
        expected = events.activations_by_region_month(session, year=2020, regions=["Asia-Pacific"])
    assert [(r["month"], r["activations"]) for r in rows] == [(str(m), str(a)) for m, a in
                                                              zip(expected["month"], expected["activations"])]


def test_exp007_map_exports_with_land_drawn(client):
    svg = ok(client.get("/export/members-map.svg"), "image/svg+xml").decode()
    land = re.search(r'class="layer land".*?<path[^>]* d="([^"]+)"', svg)
    assert land and len(land.group(1)) > 10000
    img = not_blank(ok(client.get("/export/members-map.png"), "image/png")).resize((192, 108))
    land_pixels = sum(n for n, c in img.getcolors(192 * 108) if c == (233, 236, 239))
    assert land_pixels > 0.05 * 192 * 108


@pytest.mark.parametrize("url,status,parameter", [
    ("/export/nonexistent.png", 404, "chart"),
    ("/export/funds.gif", 400, "format"),
    ("/export/funds.png?width=0", 400, "width"),
    ("/export/funds.png?width=-5", 400, "width"),
    ("/export/funds.png?height=100000", 400, "height"),
    ("/export/funds.png?width=1e9", 400, "width"),
    ("/export/funds.png?region=Atlantis", 400, "region"),
    ("/export/funds.png?year=1850", 400, "year"),
    ("/export/members-map.png?colour=purple", 400, "colour"),
    ("/export/funds.png?size=poster", 400, "size"),
    ("/export/funds.png?lang=xx", 400, "lang"),
    ("/export/funds.png?sort=total", 400, "sort"),
    ("/export/deck.pptx?page=%3Cscript%3E", 400, "page"),
    ("/export/deck.pdf", 400, "format"),
    ("/embed/nonexistent", 404, "chart"),
    ("/embed/members-map?region=Atlantis", 400, "region"),
    ("/embed/members-map?debug=1", 400, "debug"),
])
def test_exp008_bad_requests_are_refused_clearly(client, url, status, parameter):
    response = client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["parameter"] == parameter and error["message"] and "Traceback" not in error["message"]
    page = client.get(url, headers={"Accept": "text/html"})
    assert page.status_code == status and page.mimetype == "text/html" and b"<h1" in page.data


def test_exp009_charts_index(client):
    body = client.get("/api/v1/charts").get_json()
    ids_ = {c["id"] for c in body["charts"]}
    assert {"members-map", "engagement-matrix", "gender-parity", "action-plan-completion"} <= ids_
    assert body["filters"]["region"][0] == "Africa" and body["filters"]["year"] == [2020]
    assert all(c["export"].startswith(f"/export/{c['id']}.") for c in body["charts"])


def _check_deck(data: bytes, *, charts: int, words: str):
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation(io.BytesIO(data))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    slides = list(prs.slides)
    assert len(slides) == 2 + charts  # the title slide, the key figures, a slide per chart
    assert words in slides[0].placeholders[1].text_frame.text
    assert slides[1].shapes.title.text_frame.text == f"Key figures: {words}"
    for slide in slides[2:]:
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        texts = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert len(pictures) == 1 and texts.count("Source:") == 1 and words in texts
        notes = slide.notes_slide.notes_text_frame.text
        assert words in notes and "Live view:" in notes and len(notes.splitlines()) == 4
    return slides


def test_exp010_deck_of_a_page(client):
    data = ok(client.get("/export/deck.pptx?page=/gender&region=Europe&year=2020"),
              "application/vnd.openxmlformats-officedocument.presentationml.presentation")
    slides = _check_deck(data, charts=3, words="Europe · 2020")  # the reports' figures, the recorded ones, leaders
    assert slides[0].shapes.title.text_frame.text == "Gender parity: Metropolis dashboard"
    assert "Women's share" in slides[2].shapes.title.text_frame.text
    assert "2020 is a reported year" in slides[0].placeholders[1].text_frame.text


@pytest.mark.slow  # a second whole deck rendered by kaleido, in its own process (exp010 renders it over HTTP)
def test_exp011_deck_from_the_command_line(tmp_path, dash_app, app_database_url):
    # dash_app: the app's store seeded (run on its own, as `make test-slow` does, nothing else seeds it first)
    out = tmp_path / "board.pptx"
    env = {**os.environ, "DATABASE_URL": app_database_url, "PUBLIC_URL": "https://dashboard.metropolis.example"}
    result = subprocess.run([sys.executable, "-m", "dashboard.export", "deck", "--page", "/", "--region", "Europe",
                             "--year", "2020", "-o", str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    slides = _check_deck(out.read_bytes(), charts=3, words="Europe · 2020")
    assert "https://dashboard.metropolis.example/?region=Europe&year=2020" in slides[2].notes_slide.notes_text_frame.text
    assert slides[0].shapes.title.text_frame.text == "Overview: Metropolis dashboard"
    bad = subprocess.run([sys.executable, "-m", "dashboard.export", "deck", "--region", "Atlantis", "-o",
                          str(tmp_path / "x.pptx")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Unknown region 'Atlantis'" in bad.stderr and "Traceback" not in bad.stderr


def test_exp012_embed_shows_the_chart_alone_offline(watched):
    watched.open("/embed/members-map?region=Europe&colour=engagement")
    page = watched.page
    page.wait_for_selector(f"#{ids.Embed.GRAPH} g.layer.land path", state="attached")
    assert len(page.locator(f"#{ids.Embed.GRAPH} g.layer.land path").first.get_attribute("d")) > 1000
    assert not page.locator(".navbar").is_visible() and not page.locator(".filter-bar").is_visible()
    assert page.locator(f"#{ids.Embed.GRAPH} .scattergeo path.point").count() == 16
    link = page.locator(".embed-footer a")
    assert link.get_attribute("href").endswith("/map?region=Europe&year=2020#chart-members-map")
    watched.page.set_viewport_size({"width": 640, "height": 400})
    page.wait_for_function(f"() => document.querySelector('#{ids.Embed.GRAPH} .main-svg').getBoundingClientRect()"
                           ".width <= 640")  # the responsive graph follows its frame
    width = page.evaluate(f"document.querySelector('#{ids.Embed.GRAPH} .main-svg').getBoundingClientRect().width")
    assert width <= 640  # follows its frame
    watched.shot("embed-members-map")
    assert watched.errors == [] and watched.outside == []


def test_exp013_chart_menu_links_carry_the_filters(watched):
    watched.open("/engagement?region=Africa&year=2020")
    page = watched.page
    block = page.locator(f"#{ids.Charts.block('engagement-matrix')}")
    block.get_by_role("button", name="Export").click()
    hrefs = [a.get_attribute("href") for a in block.locator(".dropdown-menu a").all()]
    assert "/export/engagement-matrix.png?region=Africa&year=2020" in hrefs
    assert "/export/engagement-matrix.csv?region=Africa&year=2020" in hrefs
    page.get_by_label("Sort by total engagement").check()
    page.wait_for_function(f"() => document.querySelector('#{ids.Charts.block('engagement-matrix')} .dropdown-menu a')"
                           ".getAttribute('href').includes('sort=total')")
    assert watched.errors == []


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_exp014_pages_print_whole_without_the_frame(watched, paper):
    from pypdf import PdfReader

    page = watched.page
    watched.open("/?region=Europe&year=2020")
    page.wait_for_selector(f"#{ids.Overview.ACTIVE_CHART} .barlayer")
    page.emulate_media(media="print")
    page.evaluate("window.metropolisPrintLayout.toPrint()")  # what the browser's beforeprint does
    page.wait_for_function("() => Array.from(document.querySelectorAll('.js-plotly-plot .main-svg:first-child'))"
                           ".every(s => s.getBoundingClientRect().width <= 720)")  # every graph relaid for paper
    assert not page.locator(".navbar").is_visible() and not page.locator(".filter-bar").is_visible()
    assert not page.locator(".chart-menu").first.is_visible()
    assert page.locator(".print-only").first.is_visible()
    assert page.inner_text(f"#{ids.Shell.FILTER_WORDS}") == "Europe · 2020"
    widths = page.evaluate("Array.from(document.querySelectorAll('.js-plotly-plot .main-svg:first-child'))"
                           ".map(s => s.getBoundingClientRect().width)")
    assert widths and max(widths) <= 720  # inside the printable width of A4 and Letter
    pdf = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Europe · 2020" in text and "Source:" in text and "Printed from" in text
    assert "Data curated from Metropolis Annual Report 2020" in text
    assert "Find a member" not in text  # no filter bar


def test_exp015_printed_heatmaps_are_tables_of_every_member_redrawn_on_sort(watched):
    """The member heatmaps print as tables the browser draws from the page's data (assets/app.js printTable):
    every member of the chart, in its order, with a header row of its columns; a new sort draws them again."""
    from pypdf import PdfReader

    watched.open("/engagement?region=Europe&year=2020")
    page = watched.page
    table = f"#{ids.Engagement.MATRIX_PRINT} table.heatmap-table"
    page.wait_for_selector(f"{table} tbody tr", state="attached")
    names = page.eval_on_selector_all(f"{table} tbody th[scope=row]", "ns => ns.map(n => n.textContent)")
    assert len(names) == 16 and names == sorted(names)  # Europe's 16 members, by name within the region
    headers = page.eval_on_selector_all(f"{table} thead th[scope=col]", "ns => ns.map(n => n.textContent)")
    assert headers[0] == "Member" and "Bilateral meetings" in headers and len(headers) == 11  # no fee column: signed out
    cells = page.eval_on_selector_all(f"{table} tbody tr:first-child td",
                                      "ns => ns.map(n => [n.textContent, getComputedStyle(n).backgroundColor])")
    assert len(cells) == 10 and len({bg for _text, bg in cells}) > 1  # filled as the chart's cells
    assert page.get_attribute(f"#{ids.Engagement.MATRIX_PRINT}", "data-rows") == "16"
    assert page.eval_on_selector_all(f"#{ids.Engagement.WEBSITE_PRINT} tbody tr", "ns => ns.length") == 16
    page.get_by_label("Sort by total engagement").check()
    page.wait_for_function(f"() => Array.from(document.querySelectorAll('{table} tbody th'))"
                           f".map(n => n.textContent).join('|') !== {'|'.join(names)!r}")
    resorted = page.eval_on_selector_all(f"{table} tbody th[scope=row]", "ns => ns.map(n => n.textContent)")
    assert sorted(resorted) == sorted(names) and resorted != names
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)
    text = unicodedata.normalize("NFKC", text)  # the PDF's text has ligatures ("Soﬁa")
    assert [name for name in names if name not in text] == []
    assert watched.errors == []
