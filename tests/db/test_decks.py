"""The deck's structure, opened with python-pptx: a title slide naming the page, the filters and the date; the
overview's key figures and headline; a slide per chart part with its title and source once each (the picture drawn
without them), pictures at their own aspect, and speaker notes a presenter can read out. The renderer is replaced by
one that records the figures it is given (the drawings themselves are checked by tests/visual)."""

from __future__ import annotations

import io
import re
import zipfile

import plotly.graph_objects as go
import pytest
from PIL import Image

from dashboard import export
from dashboard.charts import CHARTS, ChartFilters, ChartId, charts_of_page, render
from dashboard.export import Para, text_fits, write_text
from dashboard.kpis import build_kpis, headline

BASE = "https://dashboard.metropolis.example"
EUROPE = ChartFilters(["Europe"], 2020)


class FakeRenderer:
    """Stands in for kaleido: a blank image of the asked size, and an SVG holding every text the figure draws."""

    figures: list[go.Figure] = []

    @classmethod
    def render(cls, fig, *, fmt, width, height, scale):
        fig = go.Figure(fig)  # kaleido is given a figure dict: read (and validated) through plotly's schema
        cls.figures.append(fig)
        if fmt == "png":
            out = io.BytesIO()
            Image.new("RGB", (round(width * scale), round(height * scale)), "white").save(out, "PNG")
            return out.getvalue()
        texts = [fig.layout.title.text or "", *(a.text or "" for a in fig.layout.annotations)]
        return ("<svg xmlns='http://www.w3.org/2000/svg'>"
                + "".join(f"<text>{t}</text>" for t in texts) + "</svg>").encode()


@pytest.fixture
def fake_renderer(monkeypatch):
    FakeRenderer.figures = []
    monkeypatch.setattr(export, "Renderer", FakeRenderer)
    return FakeRenderer


def _deck(page, filters=EUROPE):
    from pptx import Presentation

    data = export.deck(export.deck_charts(page), filters, data_as_of=None, base_url=BASE, page=page)
    return Presentation(io.BytesIO(data))


def _texts(slide, *, title=True):
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()
            and (title or s != slide.shapes.title)]


def _fits(shape) -> bool:
    from pptx.util import Emu

    tf = shape.text_frame
    paras = [Para(p.text, p.runs[0].font.size.pt, bool(p.runs[0].font.bold)) for p in tf.paragraphs if p.runs]
    return text_fits(paras, Emu(shape.width - tf.margin_left - tf.margin_right).pt,
                     Emu(shape.height - tf.margin_top - tf.margin_bottom).pt)


def test_the_title_slide_names_the_page_the_filters_and_the_date_in_boxes_that_fit(app_store, fake_renderer):
    prs = _deck("/engagement")
    first = prs.slides[0]
    assert first.shapes.title.text_frame.text == "Engagement: Metropolis dashboard"
    subtitle = first.placeholders[1].text_frame.text
    assert subtitle.splitlines()[0] == "Europe · 2020"
    assert "2020 is a reported year" in subtitle and re.search(r"Exported \d{1,2} \w{3} \d{4}", subtitle)
    assert all(_fits(s) for s in first.shapes if s.has_text_frame and s.text_frame.text)
    assert _deck(None, ChartFilters(None, 2020)).slides[0].shapes.title.text_frame.text == \
        "All charts: Metropolis dashboard"


def test_the_second_slide_holds_the_overviews_key_figures_and_headline(app_store, fake_renderer):
    from db.session import Session

    slide = _deck("/gender").slides[1]
    with Session() as session:
        cards, by_region, _source = build_kpis(session, EUROPE, frozenset(), True)
    texts = _texts(slide, title=False)
    assert slide.shapes.title.text_frame.text == "Key figures: Europe · 2020"
    assert headline(by_region, EUROPE) in texts and "14 of 16 members were active" in headline(by_region, EUROPE)
    shown = [t for t in texts if any(t.startswith(c.title + "\n") for c in cards)]
    assert len(shown) == len(cards) >= 4
    for card, text in zip(cards, shown):
        assert text.splitlines()[1] == card.value
    assert sum(t.count("Source:") for t in texts) == 1
    assert all(_fits(s) for s in slide.shapes if s.has_text_frame and s.text_frame.text)


def test_each_chart_slide_has_its_title_and_source_once_and_a_picture_drawn_without_them(app_store, fake_renderer):
    prs = _deck("/")
    charts = charts_of_page("/")
    slides = list(prs.slides)[2:]
    assert len(slides) == len(charts)
    for chart_id, slide in zip(charts, slides):
        title = str(render(chart_id, EUROPE).title)
        assert slide.shapes.title.text_frame.text == title
        texts = _texts(slide, title=False)
        assert title not in texts and sum(t.count("Source:") for t in texts) == 1
        assert any("Europe · 2020" in t for t in texts if "Source:" in t)
        assert len([s for s in slide.shapes if s.shape_type == 13]) == 1
        assert all(_fits(s) for s in slide.shapes if s.has_text_frame and s.text_frame.text)
    drawn = fake_renderer.figures
    assert len(drawn) == 2 * len(charts)  # a PNG and its SVG per slide
    for fig in drawn:
        assert not fig.layout.title.text
        assert not any((a.text or "").startswith("Source:") for a in fig.layout.annotations)
    svg_parts = [p for p in prs.part.package.iter_parts() if p.content_type == "image/svg+xml"]
    assert len(svg_parts) == len(charts)


def test_slide_figure_keeps_the_note_of_the_source_line_for_the_slide(app_store):
    # the heatmaps' change (aea9d97) moved this caveat from the source line onto the chart, over the months, and
    # reworded it; on a slide it is text under the source again, not drawn in the picture (whose top band is
    # given back with the title's)
    data = render(ChartId.ACTIVATIONS_BY_MONTH, EUROPE)
    fig, subtitle, note = export.slide_figure(data)
    fig = go.Figure(fig)  # a figure dict, as kaleido takes it: read through plotly's schema
    assert "Europe · 2020" in subtitle
    assert note.startswith("Only the July-September progress report names the members each event activated")
    assert not fig.layout.title.text and "Source:" not in str(fig.layout.annotations)
    assert "progress report" not in str(fig.layout.annotations)


def test_slide_pictures_draw_no_note_or_page_hint_the_slide_prints_them_as_text(app_store):
    women = export.slide_figure(render(ChartId.GOVERNED_BY_WOMEN, ChartFilters(None, 2020)))
    assert women[2] == "As of 31 December 2020." and "31 December" not in str(go.Figure(women[0]).layout.annotations)
    status, _subtitle, _note = export.slide_figure(render(ChartId.ACTION_PLAN_STATUS, ChartFilters(None, 2020)))
    assert "Click a bar" not in str(go.Figure(status).layout.annotations)  # nobody clicks a slide


def test_a_heatmap_slide_keeps_its_column_headers_and_colour_key_inside_the_picture(app_store):
    data = render(ChartId.ENGAGEMENT_MATRIX, EUROPE)
    fig, _subtitle, _note = export.slide_figure(data)
    fig = go.Figure(fig)
    # the headers lie across their columns on a slide (wrapped: every line of each is kept), under the key;
    # both stay above the plot, inside the picture
    headers = fig.layout.xaxis2
    assert headers.tickangle == 0 and list(headers.tickvals) == list(data.figure["data"][1]["x"])
    words = lambda t: t.replace("<br>", " ").split()  # noqa: E731
    assert [words(t) for t in headers.ticktext] == [words(str(h)) for h in headers.tickvals]
    header_px = max(t.count("<br>") + 1 for t in headers.ticktext) * headers.tickfont.size * 1.3
    key = next(a for a in fig.layout.annotations if a.text and a.text.startswith("Colour:"))
    assert key.yshift >= header_px  # over the headers, not on them
    assert key.yshift + 15 * (key.text.count("<br>") + 1) <= fig.layout.margin.t - 6  # not above the canvas
    assert fig.layout.height - fig.layout.margin.t - fig.layout.margin.b >= 22 * 16  # 16 rows at their height



def test_a_member_matrix_slide_fills_the_picture_box_and_its_names_read(app_store):
    """Asia-Pacific's first part (25 of 73 rows), the fullest slide: drawn as tall as its rows, the picture was a
    third of the box's width and its names were 4.7 pt; it is as wide as the box holds, the names at least 7 pt."""
    from dashboard.charts import slide_parts

    first = slide_parts(ChartId.ENGAGEMENT_MATRIX, ChartFilters(["Asia-Pacific"], 2020))[0]
    fig = go.Figure(export.slide_figure(render(ChartId.ENGAGEMENT_MATRIX, first))[0])
    assert len(fig.data[1].y) == 25
    box_aspect = export.PICTURE_BOX[2] / export.PICTURE_BOX[3]
    assert abs(fig.layout.width / fig.layout.height - box_aspect) < 0.05 * box_aspect
    points_per_px = export.PICTURE_BOX[3] * 72 / fig.layout.height
    assert fig.layout.yaxis.tickfont.size * points_per_px >= 7, points_per_px  # a member's name, in points


def test_pictures_keep_their_aspect_a_one_region_heatmap_is_not_stretched(app_store, fake_renderer):
    from pptx.util import Inches

    prs = _deck("/engagement")
    box_h = Inches(export.PICTURE_BOX[3])
    heights = {}
    for slide in list(prs.slides)[2:]:
        picture = next(s for s in slide.shapes if s.shape_type == 13)
        heights[slide.shapes.title.text_frame.text] = picture.height
    activations = next(h for t, h in heights.items() if t.startswith("Members activated by events"))
    assert activations < 0.6 * box_h  # one row: a short picture
    assert max(heights.values()) <= box_h


def test_the_timeline_slide_names_its_events_beside_the_picture(app_store, fake_renderer):
    slide = _deck("/events", ChartFilters(None, 2020)).slides[2]
    tables = [s for s in slide.shapes if s.has_table]
    assert len(tables) == 1
    table = tables[0].table
    assert 2 <= len(table.rows) <= export.TIMELINE_TABLE_ROWS + 1
    events = render(ChartId.EVENTS_TIMELINE, ChartFilters(None, 2020)).rows
    assert table.cell(1, 1).text.split(" (")[0].rstrip(" …") in " ".join(events["title"])
    assert any("events with the most activated members" in t for t in _texts(slide))


def test_speaker_notes_are_a_few_sentences_with_the_key_numbers_never_raw_rows(app_store, fake_renderer):
    prs = _deck(None, ChartFilters(None, 2020))
    notes = {s.shapes.title.text_frame.text: s.notes_slide.notes_text_frame.text for s in list(prs.slides)[2:]}
    assert len(notes) >= len(CHARTS)
    for title, text in notes.items():
        lines = text.splitlines()
        assert len(lines) == 4, (title, text)
        assert lines[2].startswith("Live view: " + BASE) and lines[3].startswith("The data behind this slide: " + BASE)
        assert len(lines[0]) + len(lines[1]) < 700, (title, text)
        assert not re.search(r"\b[a-z_]+: [^;\n]*; [a-z_]+: ", text), (title, text)  # no 'name: Abidjan; region: ...'
        assert re.search(r"\d", lines[1]) or lines[1] == "There are no data for these filters.", (title, text)
    active = next(t for k, t in notes.items() if k.startswith("Members active in 2020"))
    assert "108 of 141 members were active in 2020" in active


def test_text_is_scaled_down_then_shortened_to_fit_its_box():
    from pptx import Presentation
    from pptx.util import Inches

    slide = Presentation().slides.add_slide(Presentation().slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(0), Inches(0), Inches(4), Inches(0.5))
    long = "A title much longer than its box can hold at twenty-eight points"
    assert not text_fits([Para(long, 28, bold=True)], 4 * 72 - 14.4, 0.5 * 72 - 7.2)
    write_text(box, [Para(long, 28, bold=True)], min_scale=0.5)
    assert _fits(box) and box.text_frame.paragraphs[0].runs[0].font.size.pt < 28
    write_text(box, [Para(long * 5, 28)], min_scale=0.5)
    assert _fits(box) and box.text_frame.text.endswith(" …")


def test_the_deck_with_its_data_is_a_zip_of_the_pptx_and_a_csv_per_chart_slide(app_store, fake_renderer):
    data = export.deck_bundle(charts_of_page("/"), EUROPE, data_as_of=None, base_url=BASE, page="/", name="deck")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert names[0] == "deck.pptx"
        assert names[1:] == [f"data/{i:02d}-{c}-europe.csv" for i, c in enumerate(charts_of_page("/"), start=3)]
        assert "# title: Members active in 2020, by region" in zf.read(names[1]).decode("utf-8-sig")


def test_the_zip_route_answers_and_a_bad_deck_format_is_refused(dash_app, app_store, fake_renderer):
    client = dash_app.server.test_client()
    response = client.get("/export/deck.zip?page=/gender&region=Europe&year=2020")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert 'filename="metropolis-deck-europe-2020.zip"' in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as zf:
        assert zf.namelist()[0] == "metropolis-deck-europe-2020.pptx"
    bad = client.get("/export/deck.pdf")
    assert bad.status_code == 400 and "deck.zip" in bad.get_data(as_text=True)
