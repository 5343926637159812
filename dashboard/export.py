"""Exports of the registered charts: PNG/SVG/PDF rendered on the server by one kept-alive kaleido renderer,
CSV of the rows behind a chart, and PowerPoint decks. Every file carries the chart's title, the filters in
words, the source line, the date of the store's last change and the link back to the live view.

CLI: python -m dashboard.export deck --region Europe --year 2020 -o board.pptx   (-o board.zip: with the CSVs)
     python -m dashboard.export image members-map --format svg -o map.svg
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import io
import logging
import os
import re
import shutil
import sys
import threading
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from flask import has_request_context

from config.settings import SettingsError, load_settings
from dashboard import ids, urls, years
from dashboard.auth import current_actor
from dashboard.charts import CHARTS, ChartData, ChartFilters, ChartId, charts_of_page, render, slide_parts, summary
from dashboard.figures.action_plan import STATUS_LABELS
from dashboard.figures.engagement import ROW_HEIGHT as MATRIX_ROW_HEIGHT
from dashboard.figures.events import KIND_LABELS
from dashboard.figures.overview import FUND_COLOURS
from dashboard.figures.style import EDGE, EXPORT, KEY_NAME, SLIDE, figure_note, key_band, title_band, wrap_px
from dashboard.i18n import SHORT_DATE, _, format_date, format_eur, format_number, format_percent, ngettext
from dashboard.kpis import build_kpis, headline
from dashboard.responses import csv_text
from dashboard.store import StoreNotReady, open_store
from dashboard.summaries import activity_sentence, fee_sentence
from dashboard.urls import FILTER_PARAMS
from dashboard.validation import (
    InvalidInput,
    is_whole_number,
    parse_choice,
    parse_choices,
    parse_filters,
    reject_unknown,
)
from db.queries.common import region_names, year_choices
from db.queries.provenance import last_change
from db.session import Session

logger = logging.getLogger(__name__)

IMAGE_FORMATS = ("png", "svg", "pdf")
FORMATS = (*IMAGE_FORMATS, "csv")
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "csv": "text/csv",
               "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
               "zip": "application/zip"}
SIZES = {"slide": (1920, 1080), "print": (3508, 2480)}  # print: A4 landscape at 300 dpi
MIN_SIDE, MAX_SIDE = 200, 8000
LAYOUT_WIDTH = 1280  # CSS pixels the figure is laid out at; larger outputs are scaled up, so text keeps its size
TOPOJSON_DIR = Path(__file__).resolve().parent.parent / "assets" / "topojson"


@dataclass(frozen=True)
class ExportRequest:
    chart_id: str
    fmt: str
    filters: ChartFilters
    width: int
    height: int | None = None  # None: the size preset's proportions, or the natural height of a tall chart
    aspect: float = 9 / 16  # height / width when the height is not given


# ---- parameters -------------------------------------------------------------------------------

def _size(name: str, raw: str | None) -> int | None:
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip()
    if not is_whole_number(text) or not MIN_SIDE <= int(text) <= MAX_SIDE:
        raise InvalidInput(name, _("%(name)s must be a whole number of pixels from %(low)s to %(high)s, not '%(value)s'.",
                                   name=name, low=MIN_SIDE, high=MAX_SIDE, value=text[:20]))
    return int(text)


def parse_chart_params(chart_id: str, params: Mapping[str, object], *, regions: Sequence[str], years: Sequence[int],
                       extra: Sequence[str] = (), default_year: int | None = None) -> ChartFilters:
    """Parse region, year and the chart's options from query parameters (lists for repeated ones); without a
    year, `default_year` (the store's default), else the latest."""
    chart = CHARTS[chart_id]
    reject_unknown(params, [*FILTER_PARAMS, *chart.options, *extra])
    filters = parse_filters(params.get("region"), _one(params.get("year")), params.get("lang"),
                            known_regions=regions, years=years, default=default_year, strict=True)
    options: dict[str, object] = {}
    for name, allowed in chart.options.items():
        if name in chart.multi_options:
            values = parse_choices(name, params.get(name), allowed)
            options[name] = values if values is not None else list(allowed)
        else:
            options[name] = parse_choice(name, _one(params.get(name)), allowed, default=allowed[0])
    return filters.with_options(options)


def _one(value):
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def parse_export_request(chart_id: str, fmt: str, params: Mapping[str, object], *, regions: Sequence[str],
                         years: Sequence[int], default_year: int | None = None) -> ExportRequest:
    """Validate an export request; raise KeyError for an unknown chart, InvalidInput for a bad parameter."""
    if chart_id not in CHARTS:
        raise KeyError(chart_id)
    fmt = parse_choice("format", fmt, FORMATS)
    filters = parse_chart_params(chart_id, params, regions=regions, years=years, extra=["width", "height", "size"],
                                 default_year=default_year)
    size = parse_choice("size", _one(params.get("size")), tuple(SIZES), default="slide")
    width = _size("width", _one(params.get("width")))
    height = _size("height", _one(params.get("height")))
    preset_w, preset_h = SIZES[size]
    if width is None:
        width = preset_w if height is None else round(height * preset_w / preset_h)
    return ExportRequest(chart_id, fmt, filters, width, height, preset_h / preset_w)


# ---- decorating and sizing --------------------------------------------------------------------

def live_url(base_url: str, chart_id: str, filters: ChartFilters) -> str:
    """The address of the chart on its page, with its filters (and the options its page reads)."""
    chart = CHARTS[chart_id]
    options = [(name, str(filters.options[name])) for name in sorted(chart.page_options) if filters.options.get(name)]
    return base_url.rstrip("/") + urls.page(chart.page, filters, extra=options, fragment=ids.Charts.block(chart_id))


def _as_of_text(data_as_of: dt.datetime | None) -> str:
    return format_date(data_as_of, format=SHORT_DATE) if data_as_of else _("unknown")


def as_of_line(data_as_of: dt.datetime | None, url: str) -> str:
    """The line every exported image carries under its source: the date of the data and the live view."""
    return _("Data as of %(date)s · %(url)s", date=_as_of_text(data_as_of), url=url)


def layout_size(data: ChartData, width: int, height: int | None, aspect: float = 9 / 16) -> tuple[int, int | None, float]:
    """Return (layout width, layout height, scale) so that the output is width x height pixels; the height is None
    for a tall chart drawn at its natural height (lay_out gives it: its rows and its bands of text)."""
    scale = max(1.0, width / LAYOUT_WIDTH)
    layout_w = round(width / scale)
    if height is not None:
        layout_h = round(height / scale)
    elif data.natural_height:
        return layout_w, None, scale
    else:
        layout_h = round(layout_w * aspect)
    return layout_w, layout_h, scale


# ---- the renderer -----------------------------------------------------------------------------

class Renderer:
    """One headless Chromium (kaleido) per process, started on first use and reused for every image."""

    _lock = threading.Lock()
    _started = False

    @classmethod
    def _start(cls) -> None:
        import kaleido

        browser = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
        if browser:
            os.environ["BROWSER_PATH"] = browser  # kaleido's own Chrome download is not available offline
        kaleido.start_sync_server(mathjax=False, silence_warnings=True)
        cls._started = True
        logger.info("export renderer started (%s)", browser or "kaleido's browser")

    @classmethod
    def render(cls, fig: dict, *, fmt: str, width: int, height: int, scale: float) -> bytes:
        from kaleido._sync_server import GlobalKaleidoServer  # the sync server's documented entry point

        with cls._lock:  # the sync server answers one call at a time through shared queues
            if not cls._started:
                cls._start()
            result = GlobalKaleidoServer().call_function(
                "calc_fig", fig, opts={"format": fmt, "width": width, "height": height, "scale": scale},
                topojson=TOPOJSON_DIR.as_uri() + "/")
        if isinstance(result, BaseException):
            raise result
        return result


def image(request: ExportRequest, *, data_as_of: dt.datetime | None, base_url: str,
          data: ChartData | None = None) -> bytes:
    """Render the chart of `request` as PNG, SVG or PDF."""
    data = data or render(request.chart_id, request.filters)
    layout_w, layout_h, scale = layout_size(data, request.width, request.height, request.aspect)
    fig = data.laid_out(EXPORT.sized(layout_w, layout_h),
                        source_after=[as_of_line(data_as_of, live_url(base_url, request.chart_id, request.filters))])
    layout_h = layout_h or int(fig["layout"].get("height") or round(layout_w * request.aspect))
    fig["layout"].update(width=layout_w, height=layout_h)
    return Renderer.render(fig, fmt=request.fmt, width=layout_w, height=layout_h, scale=scale)


def chart_csv(request: ExportRequest, *, data_as_of: dt.datetime | None, base_url: str) -> str:
    """The rows behind the chart, each with its source, under header lines naming the chart and filters."""
    data = render(request.chart_id, request.filters)
    df = data.rows
    records = [{k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else (None if v != v else v))
                for k, v in row.items()} for row in df.to_dict("records")]
    meta = {"title": data.title, "filters": request.filters.words(),
            "year": years.year_note(years.coverage_of(request.filters.year, request.filters.regions),
                                    request.filters.year),
            "source": data.source,
            "data_as_of": _as_of_text(data_as_of), "url": live_url(base_url, request.chart_id, request.filters)}
    return csv_text(records, list(df.columns), meta)


# ---- decks ------------------------------------------------------------------------------------
# A deck a Secretariat can send unedited: a title slide naming the page, the filters and the date; the overview's
# key figures and headline sentence; then a slide per chart part with its title and its source once each (on the
# slide, the picture drawn without them), speaker notes a presenter can read out, and the data as CSV (the links
# in the notes, the files beside the deck in /export/deck.zip). Text is fitted to its box by font metrics.

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # measured in DejaVu Sans, wider than the theme's Calibri
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MARGIN_IN = 0.5
CONTENT_W_IN = SLIDE_W_IN - 2 * MARGIN_IN
TITLE_BOX = (MARGIN_IN, 0.25, CONTENT_W_IN, 0.75)  # left, top, width, height in inches
SUBTITLE_BOX = (MARGIN_IN, 0.98, CONTENT_W_IN, 0.4)
PICTURE_BOX = (MARGIN_IN, 1.45, CONTENT_W_IN, 5.05)
SOURCE_BOX = (MARGIN_IN, 6.6, CONTENT_W_IN, 0.75)
SLIDE_LAYOUT_WIDTH = SLIDE.width  # CSS pixels a slide's chart is laid out at: a 12 px label reads at about 11 pt
SLIDE_RENDER_SCALE = 2  # the picture at twice its layout pixels: sharp on a projector
HEATMAP_ROW_PX = 60  # a heatmap row on a slide when the chart has no height of its own (a one-region heatmap)
TIMELINE_TABLE_ROWS = 10  # events listed beside the timeline (all of them are in the CSV)
NOTES_MAX_LINES = 6  # lines of a registered summary read out in the notes (the rest is in the CSV)
MUTED = (0x6C, 0x75, 0x7D)
INK = (0x21, 0x25, 0x29)


@dataclass(frozen=True)
class Para:
    """One paragraph of a text box: its text, size in points, weight and colour (RGB)."""

    text: str
    size: float
    bold: bool = False
    colour: tuple[int, int, int] = INK


@functools.lru_cache(maxsize=128)
def _font(bold: bool, px: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), px)
    except OSError:  # no DejaVu on this machine: a width estimate on the safe side
        return None


def text_width_pt(text: str, size: float, bold: bool = False) -> float:
    """The width in points of `text` drawn at `size` points (DejaVu Sans metrics, measured at 4 px a point)."""
    font = _font(bold, max(1, int(size * 4)))
    if font is None:
        return len(text) * size * (0.68 if bold else 0.62)
    return font.getlength(text) / 4


def _wrapped(text: str, size: float, bold: bool, width_pt: float) -> tuple[int, float]:
    """(lines, widest line in points) of `text` wrapped at spaces to `width_pt`."""
    lines, line, widest = 1, "", 0.0
    for word in text.split(" ") if text else [""]:
        trial = f"{line} {word}" if line else word
        if line and text_width_pt(trial, size, bold) > width_pt:
            widest = max(widest, text_width_pt(line, size, bold))
            lines, line = lines + 1, word
        else:
            line = trial
    return lines, max(widest, text_width_pt(line, size, bold))


def text_fits(paras: Sequence[Para], width_pt: float, height_pt: float, scale: float = 1.0) -> bool:
    """Whether the paragraphs at `scale` times their sizes fit a box of width_pt x height_pt (1.2 line height)."""
    height = 0.0
    for p in paras:
        lines, widest = _wrapped(p.text, p.size * scale, p.bold, width_pt)
        if widest > width_pt:
            return False
        height += lines * p.size * scale * 1.2
    return height <= height_pt


def _fitted(paras: Sequence[Para], width_pt: float, height_pt: float, min_scale: float) -> tuple[list[Para], float]:
    """The paragraphs and the largest scale (down to min_scale) at which they fit; when even that is too big,
    the last paragraph is shortened at a word with an ellipsis (never text running out of its box)."""
    paras = list(paras)
    scale = 1.0
    while scale > min_scale and not text_fits(paras, width_pt, height_pt, scale):
        scale = round(scale - 0.05, 2)
    while not text_fits(paras, width_pt, height_pt, scale) and paras:
        last = paras[-1]
        words = last.text.rstrip(" …").split(" ")
        if len(words) <= 1:
            paras.pop()
            continue
        paras[-1] = replace(last, text=" ".join(words[:-1]) + " …")
    return paras, scale


def write_text(shape, paras: Sequence[Para], *, min_scale: float = 0.6, anchor: str = "top",
               align: str = "left") -> None:
    """Fill `shape`'s text frame with `paras`, scaled down (and at worst shortened) to fit its box."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Emu, Inches, Pt

    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.margin_left = tf.margin_right = Inches(0.1)
    tf.margin_top = tf.margin_bottom = Inches(0.05)
    tf.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}[anchor]
    width_pt = Emu(shape.width - tf.margin_left - tf.margin_right).pt
    height_pt = Emu(shape.height - tf.margin_top - tf.margin_bottom).pt
    paras, scale = _fitted(paras, width_pt, height_pt, min_scale)
    tf.clear()
    for i, p in enumerate(paras):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.alignment = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER}[align]
        run = para.add_run()
        run.text = p.text
        run.font.size = Pt(round(p.size * scale * 2) / 2)
        run.font.bold = p.bold
        run.font.color.rgb = RGBColor(*p.colour)


def _box(slide, box: tuple[float, float, float, float]):
    from pptx.util import Inches

    return slide.shapes.add_textbox(*(Inches(v) for v in box))


def _place(shape, box: tuple[float, float, float, float]) -> None:
    from pptx.util import Inches

    shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in box)


def page_name(page: str | None) -> str:
    """The page's name as the navigation shows it ('Engagement'), or the whole dashboard's for every chart."""
    from dashboard.shell import NAV_PAGES  # lazy: the shell registers Dash callbacks, which the CLI does not need

    for _key, path, label, _icon in NAV_PAGES:
        if path == page:
            return str(label)
    return _("All charts")


def deck_title(page: str | None) -> str:
    return _("%(page)s: Metropolis dashboard", page=page_name(page))


def _source_line(data: ChartData, part: ChartFilters) -> str:
    return _("Source: %(source)s · %(filters)s · %(kind)s", source=data.source, filters=part.words(),
             kind=years.kind_phrase(years.coverage_of(part.year, part.regions)))


def slide_figure(data: ChartData, box_w_in: float = PICTURE_BOX[2],
                 box_h_in: float = PICTURE_BOX[3]) -> tuple[dict, str, str]:
    """The chart drawn for a slide's picture box (`box_w_in` x `box_h_in` inches), laid out for the SLIDE medium:
    without its title, subtitle, source line, notes and page hints (the slide carries them once, as text);
    returns the figure (sized: width and height set), its subtitle (under the slide's title) and its notes ('' if
    none: the on-chart key note first, then the figure's note), which go under the slide's source.

    Only the title's band is given back at the top: a heatmap's column headers and colour key stay above its
    plot. A chart with a height of its own keeps its plot's height (a one-region heatmap is a short picture, not
    one stretched to the box); a heatmap without one is as tall as its rows; any other chart fills the box."""
    fill = round(SLIDE_LAYOUT_WIDTH * box_h_in / box_w_in)
    own_height = bool(data.natural_height and data.height)
    rows = None if own_height else _heatmap_rows(data.figure.get("data", []))
    given_back = title_band(data.figure, SLIDE)  # the title's band, from the canvas' top edge
    # a chart that fills the box is laid out at the box's height plus the title's band it gives back, so a few
    # bars keep a bar's shape on the canvas they end up on
    medium = SLIDE if own_height or rows is not None else SLIDE.sized(SLIDE_LAYOUT_WIDTH,
                                                                    fill + round(given_back) - EDGE)
    fig = data.laid_out(medium)  # a figure dict (a copy): kaleido takes it as it is
    layout = fig["layout"]
    subtitle = ((layout.get("title") or {}).get("subtitle") or {}).get("text") or ""
    notes, kept = [], []
    for annotation in layout.get("annotations") or []:
        if annotation.get("name") == KEY_NAME:  # drawn over the plot on a page; on a slide it is text under the source
            notes.append(" ".join((annotation.get("text") or "").replace("<br>", " ").split()))
            given_back += key_band((annotation.get("text") or "").count("<br>") + 1)
            continue
        kept.append(annotation)
    if note := " ".join(figure_note(fig).replace("<br>", " ").split()):
        notes.append(note)
    layout["annotations"] = kept
    layout["title"] = {}
    laid_top = (layout.get("margin") or {}).get("t") or 0
    top = round(max(EDGE, laid_top - given_back + EDGE))
    if own_height:  # the plot keeps its height; the bands given back are gone from the picture
        height = max(200, int(layout.get("height") or data.height) - (laid_top - top))
    elif rows is not None:  # as tall as its rows, not stretched to the box
        height = min(fill, max(rows * HEATMAP_ROW_PX, 80) + 24 + 40 + 46)
    else:
        height = fill
    layout.update(margin={**(layout.get("margin") or {}), "t": top}, width=SLIDE_LAYOUT_WIDTH, height=height)
    if own_height:
        _headers_across(fig, box_w_in / box_h_in)
    return fig, subtitle, " ".join(notes)


SLIDE_MATRIX_FONTS = {"names": 14, "headers": 13, "cells": 13}  # px: a member matrix's texts on a slide


def _headers_across(fig: dict, box_aspect: float) -> None:
    """A member matrix (column headers rotated over the plot) on a slide: drawn as tall as its rows, its picture
    was narrower than the slide's box, and the box's height made it small (names at under 5 pt). On the slide its
    headers lie across their columns, wrapped, the picture is as wide as the box holds (its columns wider), and
    its texts a size larger: the rows take most of the picture's height, and the names read at about 8 pt."""
    layout = fig["layout"]
    axis = dict(layout.get("xaxis2") or {})
    headers = next((t.get("x") for t in fig["data"] if t.get("type") == "heatmap" and t.get("xaxis") == "x2"), None)
    if axis.get("tickangle") != -90 or axis.get("side") != "top" or not headers:
        return
    margin = dict(layout.get("margin") or {})
    fonts = SLIDE_MATRIX_FONTS
    names = dict(layout.get("yaxis") or {})
    old_names = (names.get("tickfont") or {}).get("size", 12)
    margin["l"] = round(margin.get("l", 0) * fonts["names"] / old_names)
    names["tickfont"] = {**(names.get("tickfont") or {}), "size": fonts["names"]}
    rows = max(len(t.get("y") or []) for t in fig["data"] if t.get("type") == "heatmap")
    plot = rows * MATRIX_ROW_HEIGHT + margin.get("b", 0)  # the rows at their height (not the page's notes band)
    span = (axis.get("domain") or [0, 1])[1] - (axis.get("domain") or [0, 1])[0]
    # the key over the headers (what colour means, the regions' colours) stays in the picture, over the headers
    keys = [a for a in layout.get("annotations") or [] if a.get("yref") == "paper" and a.get("y") == 1
            and a.get("yanchor") == "bottom"]
    key_px = max((15 * (str(a.get("text", "")).count("<br>") + 1) + 10 for a in keys), default=0)
    for lines in (2, 3, 4):  # the fewest lines that the columns' width holds
        headers_px = round(lines * fonts["headers"] * 1.3 + EDGE)
        band = headers_px + key_px + EDGE
        width = max(SLIDE_LAYOUT_WIDTH, round((plot + band) * box_aspect))
        column = (width - margin["l"] - margin.get("r", 0)) * span / len(headers)
        wrapped = [wrap_px(str(h).replace("<br>", " "), column - 10, fonts["headers"]) for h in headers]
        if max(len(w) for w in wrapped) <= lines:
            break
    axis.update(tickangle=0, tickmode="array", tickvals=list(headers), ticktext=["<br>".join(w) for w in wrapped],
                tickfont={**(axis.get("tickfont") or {}), "size": fonts["headers"]})
    for key in keys:
        key["yshift"] = headers_px + 4
    for trace in fig["data"]:
        if trace.get("mode") == "text" or trace.get("texttemplate"):  # the cells' texts
            trace["textfont"] = {**(trace.get("textfont") or {}), "size": fonts["cells"]}
    layout.update(xaxis2=axis, yaxis=names, width=width, height=plot + band, margin={**margin, "t": band})


def _slide_pictures(fig: dict) -> tuple[bytes, bytes]:
    """(PNG, SVG) of a slide's figure (slide_figure), at its own width and height."""
    width, height = int(fig["layout"]["width"]), int(fig["layout"]["height"])
    png = Renderer.render(fig, fmt="png", width=width, height=height, scale=SLIDE_RENDER_SCALE)
    svg = Renderer.render(fig, fmt="svg", width=width, height=height, scale=1)
    return png, svg


def _heatmap_rows(traces: Sequence[dict]) -> int | None:
    """The number of rows of a figure's heatmap, from its traces as dicts (None: the figure has no heatmap)."""
    rows = None
    for trace in traces:
        if trace.get("type") == "heatmap":
            count = len(trace["y"]) if trace.get("y") is not None else len(trace.get("z") or [])
            rows = max(rows or 0, count)
    return rows


SVG_BLIP_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # PowerPoint's extension for an SVG beside the PNG
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _add_picture(slide, png: bytes, svg: bytes | None, box: tuple[float, float, float, float], *,
                 description: str = "") -> None:
    """The picture scaled to fit `box` at its own aspect, centred in it; the SVG rides along as the vector
    version PowerPoint draws (the PNG is the fallback); `description` is its alternative text."""
    from lxml import etree
    from PIL import Image
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.package import Part
    from pptx.util import Emu, Inches

    left, top, max_w, max_h = (Inches(v) for v in box)
    with Image.open(io.BytesIO(png)) as img:
        w, h = img.size
    ratio = min(max_w / w, max_h / h)
    width, height = Emu(int(w * ratio)), Emu(int(h * ratio))
    pic = slide.shapes.add_picture(io.BytesIO(png), left + (max_w - width) // 2, top + (max_h - height) // 2,
                                   width=width, height=height)
    if description:
        pic._element.nvPicPr.cNvPr.set("descr", description)
    if svg:
        package = slide.part.package
        part = Part(package.next_partname("/ppt/media/image%d.svg"), "image/svg+xml", package, svg)
        rid = slide.part.relate_to(part, RT.IMAGE)
        blip = pic._element.blipFill.find(f"{{{NS_A}}}blip")
        ext_list = blip.find(f"{{{NS_A}}}extLst")
        if ext_list is None:
            ext_list = etree.SubElement(blip, f"{{{NS_A}}}extLst")
        ext = etree.SubElement(ext_list, f"{{{NS_A}}}ext", uri=SVG_BLIP_EXT)
        etree.SubElement(ext, f"{{{NS_ASVG}}}svgBlip", nsmap={"asvg": NS_ASVG}).set(f"{{{NS_R}}}embed", rid)


def _titled_slide(prs, title: str):
    """A slide with its title in the title placeholder (what PowerPoint's outline and screen readers name)."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # 'Title Only'
    _place(slide.shapes.title, TITLE_BOX)
    write_text(slide.shapes.title, [Para(title, 28, bold=True)], anchor="middle")
    return slide


def _title_slide(prs, page: str | None, filters: ChartFilters, data_as_of: dt.datetime | None, base_url: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    _place(slide.shapes.title, (0.9, 1.5, SLIDE_W_IN - 1.8, 2.0))
    write_text(slide.shapes.title, [Para(deck_title(page), 40, bold=True)], anchor="bottom", align="center")
    subtitle = slide.placeholders[1]
    _place(subtitle, (0.9, 3.75, SLIDE_W_IN - 1.8, 2.6))
    cov = years.coverage_of(filters.year, filters.regions)
    write_text(subtitle, [
        Para(filters.words(), 24, bold=True),
        Para(years.year_note(cov, filters.year), 16, colour=MUTED),
        Para(_("Exported %(date)s · data as of %(as_of)s", date=format_date(dt.date.today(), format=SHORT_DATE),
               as_of=_as_of_text(data_as_of)), 16, colour=MUTED),
        Para(_("Live dashboard: %(url)s", url=base_url), 14, colour=MUTED),
    ], min_scale=0.5, align="center")


def _cover_slide(prs, title: str, lines: Sequence[str]) -> None:
    """A first slide of its own (the Board pack's): `title`, then `lines` under it, each fitted to its box."""
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    _place(slide.shapes.title, (0.9, 1.3, SLIDE_W_IN - 1.8, 2.2))
    write_text(slide.shapes.title, [Para(title, 40, bold=True)], anchor="bottom", align="center")
    subtitle = slide.placeholders[1]
    _place(subtitle, (0.9, 3.75, SLIDE_W_IN - 1.8, 2.6))
    write_text(subtitle, [Para(line, 24 if i == 0 else 16, bold=i == 0, colour=INK if i == 0 else MUTED)
                          for i, line in enumerate(lines)], min_scale=0.5, align="center")


def _kpi_slide(prs, filters: ChartFilters) -> None:
    """The overview's key figures and its headline sentence, from the data functions the overview page uses."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    signed_in = current_actor() is not None if has_request_context() else filters.signed_in
    with Session() as session:
        cards, by_region, _source = build_kpis(session, filters, frozenset(), signed_in)
    slide = _titled_slide(prs, _("Key figures: %(filters)s", filters=filters.words()))
    write_text(_box(slide, (MARGIN_IN, 1.2, CONTENT_W_IN, 1.25)), [Para(headline(by_region, filters), 18)])
    cols = min(4, len(cards)) or 1
    rows = -(-len(cards) // cols)
    gap, top, bottom = 0.2, 2.55, 6.45
    card_w = (CONTENT_W_IN - gap * (cols - 1)) / cols
    card_h = (bottom - top - gap * (rows - 1)) / rows
    for i, card in enumerate(cards):
        r, c = divmod(i, cols)
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Inches(MARGIN_IN + c * (card_w + gap)),
                                       Inches(top + r * (card_h + gap)), Inches(card_w), Inches(card_h))
        shape.adjustments[0] = 0.06
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor(0xF8, 0xF9, 0xFA)
        shape.line.color.rgb = RGBColor(0xDE, 0xE2, 0xE6)
        shape.shadow.inherit = False
        paras = [Para(card.title, 14, bold=True, colour=MUTED), Para(card.value, 30, bold=True), Para(card.detail, 11)]
        paras += [Para(text, 10, colour=MUTED) for text in (card.added, card.coverage) if text]
        if card.note:
            paras.append(Para(card.note[0], 10))
        write_text(shape, paras, min_scale=0.5)
    sources = list(dict.fromkeys(card.source for card in cards if card.source))
    write_text(_box(slide, SOURCE_BOX), [Para(_("Source: %(source)s", source="; ".join(sources)), 11, colour=MUTED),
                                         Para(filters.words(), 11, colour=MUTED)], min_scale=0.7)


def _events_table(slide, rows, box: tuple[float, float, float, float]) -> None:
    """Beside the timeline: the events with the most activated members (the first of the year when none has
    any), with their dates, so the slide names what its dots are."""
    from pptx.util import Inches, Pt

    left, top, width, height = box
    df = rows.copy()
    df["member_count"] = df["member_count"].fillna(0)
    by_members = bool(df["member_count"].sum())
    df = (df.sort_values(["member_count", "start_date"], ascending=[False, True]) if by_members
          else df.sort_values("start_date")).head(TIMELINE_TABLE_ROWS).sort_values("start_date")
    caption = (_("The %(n)s events with the most activated members (all %(total)s in the data)", n=len(df),
                 total=len(rows)) if by_members else
               _("The first %(n)s events of the year (all %(total)s in the data)", n=len(df), total=len(rows)))
    write_text(_box(slide, (left, top, width, 0.55)), [Para(caption, 12, bold=True)])
    table = slide.shapes.add_table(len(df) + 1, 2, Inches(left), Inches(top + 0.6), Inches(width),
                                   Inches(0.3 * (len(df) + 1))).table
    table.columns[0].width, table.columns[1].width = Inches(1.0), Inches(width - 1.0)
    header = [_("Date"), _("Event")]
    for j, text in enumerate(header):
        table.cell(0, j).text = text
    for i, row in enumerate(df.itertuples(), start=1):
        title = row.title if len(row.title) <= 70 else row.title[:68].rsplit(" ", 1)[0] + " …"
        label = title + (f" ({format_number(int(row.member_count))})" if by_members and row.member_count else "")
        table.cell(i, 0).text = format_date(row.start_date, format="d MMM")
        table.cell(i, 1).text = label
    for cell in (table.cell(i, j) for i in range(len(df) + 1) for j in range(2)):
        cell.margin_top = cell.margin_bottom = Inches(0.02)
        for para in cell.text_frame.paragraphs:
            for run in para.runs:
                run.font.size = Pt(10)


def _chart_slide(prs, chart_id: str, part: ChartFilters, *, data_as_of, base_url: str) -> None:
    data = render(chart_id, part)
    slide = _titled_slide(prs, data.title)
    box = PICTURE_BOX
    if chart_id == ChartId.EVENTS_TIMELINE and not data.rows.empty:
        box = (MARGIN_IN, PICTURE_BOX[1], 7.9, PICTURE_BOX[3])
        _events_table(slide, data.rows, (MARGIN_IN + 8.1, PICTURE_BOX[1], CONTENT_W_IN - 8.1, PICTURE_BOX[3]))
    fig, subtitle, note = slide_figure(data, box[2], box[3])
    if subtitle:
        write_text(_box(slide, SUBTITLE_BOX), [Para(" ".join(subtitle.replace("<br>", " ").split()), 14,
                                                     colour=MUTED)], min_scale=0.7)
    png, svg = _slide_pictures(fig)
    notes = presenter_notes(chart_id, data, part, base_url=base_url)
    _add_picture(slide, png, svg, box, description=notes.split("\n")[1] if "\n" in notes else data.title)
    paras = [Para(_source_line(data, part), 12, colour=MUTED)]
    if note:
        paras.append(Para(note, 10, colour=MUTED))
    write_text(_box(slide, SOURCE_BOX), paras, min_scale=0.65)
    slide.notes_slide.notes_text_frame.text = notes


def data_url(base_url: str, chart_id: str, part: ChartFilters) -> str:
    """The address of the CSV of the rows behind a slide's chart."""
    extra = []
    for name in CHARTS[chart_id].options:
        value = part.options.get(name)
        extra += [(name, str(v)) for v in value] if isinstance(value, (list, tuple)) else (
            [(name, str(value))] if value not in (None, "") else [])
    return base_url.rstrip("/") + urls.export(chart_id, "csv", part, extra=extra)


def deck(chart_ids: Sequence[str], filters: ChartFilters, *, data_as_of: dt.datetime | None, base_url: str,
         page: str | None = None) -> bytes:
    """A 16:9 PowerPoint deck of `page`'s charts (`chart_ids`): a title slide naming the page, the filters and
    the date; the key figures with the headline sentence; then a slide per chart part (slide_parts: a chart too
    tall for one slide spreads over several) with its title and source once each and notes for the presenter."""
    return pages_deck([(page, chart_ids)], filters, data_as_of=data_as_of, base_url=base_url)


ProgressCallback = Callable[[int, int], None]


def pages_deck(pages: Sequence[tuple[str | None, Sequence[str]]], filters: ChartFilters, *,
               data_as_of: dt.datetime | None, base_url: str, cover: Sequence[str] = (),
               progress: ProgressCallback | None = None) -> bytes:
    """One deck holding each page's deck in turn (`pages`: (page path, its chart ids)): the page's title slide
    and its chart slides, the key figures once, after the first page's title. `cover` (a title, then lines)
    adds a first slide before them (the Board pack's). `progress(done, total)` is called after each slide."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    # every slide planned first, so that progress knows the total (the registry says how a chart splits)
    plan = [(page, [(chart_id, part) for chart_id in chart_ids for part in slide_parts(chart_id, filters)])
            for page, chart_ids in pages]
    total = (1 if cover else 0) + 1 + sum(1 + len(parts) for _page, parts in plan)
    done = 0
    if progress is not None:
        progress(0, total)

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    if cover:
        _cover_slide(prs, cover[0], cover[1:])
        step()
    for number, (page, parts) in enumerate(plan):
        _title_slide(prs, page, filters, data_as_of, base_url)
        step()
        if number == 0:
            _kpi_slide(prs, filters)
            step()
        for chart_id, part in parts:
            _chart_slide(prs, chart_id, part, data_as_of=data_as_of, base_url=base_url)
            step()
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def deck_bundle(chart_ids: Sequence[str], filters: ChartFilters, *, data_as_of: dt.datetime | None, base_url: str,
                page: str | None = None, name: str = "deck") -> bytes:
    """A zip of the deck and, beside it, the CSV of the rows behind each of its chart slides (data/NN-<chart>.csv,
    numbered in slide order), each with the header lines that name its chart, filters and source."""
    pptx = deck(chart_ids, filters, data_as_of=data_as_of, base_url=base_url, page=page)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{name}.pptx", pptx)
        number = 2  # slides 1 and 2: the title and the key figures
        for chart_id in chart_ids:
            for part in slide_parts(chart_id, filters):
                number += 1
                regions = "-".join(urls_slug(r) for r in part.regions or []) or "all"
                request = ExportRequest(chart_id, "csv", part, SIZES["slide"][0])
                zf.writestr(f"data/{number:02d}-{chart_id}-{regions}.csv",
                            chart_csv(request, data_as_of=data_as_of, base_url=base_url))
    return out.getvalue()


def urls_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# ---- speaker notes ----------------------------------------------------------------------------

def presenter_notes(chart_id: str, data: ChartData, part: ChartFilters, *, base_url: str) -> str:
    """What a presenter reads out: what the chart shows, its key numbers in a sentence or two, and where the data
    are. Never the rows themselves (they are in the CSV)."""
    return "\n".join([
        _("%(title)s, %(filters)s.", title=data.title, filters=part.words()),
        key_numbers(chart_id, data, part),
        _("Live view: %(url)s", url=live_url(base_url, chart_id, part)),
        _("The data behind this slide: %(url)s", url=data_url(base_url, chart_id, part)),
    ])


def key_numbers(chart_id: str, data: ChartData, part: ChartFilters) -> str:
    """The chart's key numbers in words: the headline sentence for the overview's shares, the chart's registered
    summary (its first lines) if it has one, else a reading of its rows; a chart without rows says so."""
    rows = data.rows
    if rows.empty:
        return _("There are no data for these filters.")
    cov = years.coverage_of(part.year, part.regions)
    try:
        if chart_id == ChartId.ACTIVE_BY_REGION:
            return activity_sentence(rows, year=part.year, coverage=cov)
        if chart_id == ChartId.FEE_PAID_BY_REGION:
            return fee_sentence(rows, year=part.year, coverage=cov)
        if CHARTS[chart_id].summary is not None:
            lines = [line for line in summary(chart_id, data).splitlines() if line.strip()]
            more = len(lines) - NOTES_MAX_LINES
            text = "; ".join(lines[:NOTES_MAX_LINES]) + "."
            return text + (" " + _("(%(n)s more in the data.)", n=more) if more > 0 else "")
        reader = _KEY_NUMBERS.get(chart_id)
        if reader is not None:
            return reader(data, part)
    except (KeyError, AttributeError, TypeError, ValueError):  # a frame without the columns read: say less
        logger.warning("speaker notes of %s: the rows do not have the expected columns", chart_id, exc_info=True)
    return ngettext("The chart rests on %(n)s row of data.", "The chart rests on %(n)s rows of data.", len(rows))


def _top(rows, column: str, label: str = "member") -> tuple[str, int]:
    best = rows.sort_values(column, ascending=False).iloc[0]
    return str(best[label]), int(best[column])


def _matrix_numbers(data: ChartData, part: ChartFilters) -> str:
    rows = data.rows
    members = len(rows)
    active = int(rows["activated"].fillna(False).astype(bool).sum())
    if "fee_paid" not in rows:  # per-member fee payments are not told to this audience, nor counted per slide
        return _("%(active)s of %(total)s members shown were active in %(year)s.", active=format_number(active),
                 total=format_number(members), year=part.year)
    paid = int(rows["fee_paid"].fillna(False).astype(bool).sum())
    return _("%(active)s of %(total)s members shown were active in %(year)s and %(paid)s paid the fee.",
             active=format_number(active), total=format_number(members), year=part.year, paid=format_number(paid))


def _activations_numbers(data: ChartData, part: ChartFilters) -> str:
    rows = data.rows
    by_month = rows.groupby("month")["activations"].sum()
    month = int(by_month.idxmax())
    return _("%(n)s activations of members by events, in %(months)s months; the busiest month was %(month)s "
             "(%(top)s).", n=format_number(int(by_month.sum())), months=len(by_month[by_month > 0]),
             month=format_date(dt.date(part.year, month, 1), format="LLLL"), top=format_number(int(by_month.max())))


WEBSITE_COLUMNS = ("news", "library_publications", "publication_mentions", "use_cases", "c4gh_initiatives")


def _website_numbers(data: ChartData, part: ChartFilters) -> str:
    rows = data.rows
    counts = rows[[c for c in WEBSITE_COLUMNS if c in rows]].fillna(0)
    total = counts.sum(axis=1)
    named, best = _top(rows.assign(total=total), "total")
    return _("%(n)s of %(total)s members shown were mentioned on the Metropolis website; the most mentioned was "
             "%(member)s (%(count)s mentions).", n=format_number(int((total > 0).sum())),
             total=format_number(len(rows)), member=named, count=format_number(best))


def _events_numbers(data: ChartData, part: ChartFilters) -> str:
    rows = data.rows
    months = pd.to_datetime(rows["start_date"]).dt.month.value_counts()
    kinds = rows["kind"].value_counts()
    return _("%(n)s events in %(year)s; the busiest month was %(month)s (%(top)s events). The most frequent kind: "
             "%(kind)s (%(count)s).", n=format_number(len(rows)), year=part.year,
             month=format_date(dt.date(part.year, int(months.idxmax()), 1), format="LLLL"),
             top=format_number(int(months.max())), kind=_(KIND_LABELS.get(kinds.idxmax(), kinds.idxmax())),
             count=format_number(int(kinds.max())))


def _gender_numbers(data: ChartData, part: ChartFilters) -> str:
    rows = data.rows
    df = rows.dropna(subset=["women_pct"])
    if df.empty:
        return _("No women's shares are recorded for these filters.")
    low, high = df.sort_values("women_pct").iloc[0], df.sort_values("women_pct").iloc[-1]
    return _("Women's share ranges from %(low)s (%(low_name)s) to %(high)s (%(high_name)s), against a parity "
             "of 50%%.", low=format_percent(low["women_pct"] / 100, decimals=1), low_name=low["name"],
             high=format_percent(high["women_pct"] / 100, decimals=1), high_name=high["name"])


def _governed_numbers(data: ChartData, part: ChartFilters) -> str:
    rows = data.rows
    members, women = int(rows["members"].sum()), int(rows["women"].sum())
    return _("%(women)s of %(members)s members are governed by women (%(share)s).", women=format_number(women),
             members=format_number(members), share=format_percent(women / members if members else 0, decimals=1))


def _completion_numbers(data: ChartData, part: ChartFilters) -> str:
    rows = data.rows
    done, total = int(rows["done"].sum()), int(rows["total"].sum())
    best = rows.assign(share=rows["done"] / rows["total"].where(rows["total"] > 0)).sort_values("share").iloc[-1]
    return _("%(done)s of %(total)s deliverables are done (%(share)s); the most advanced line is %(line)s "
             "(%(line_done)s of %(line_total)s).", done=done, total=total,
             share=format_percent(done / total if total else 0, decimals=0), line=best["line"],
             line_done=int(best["done"]), line_total=int(best["total"]))


def _status_numbers(data: ChartData, part: ChartFilters) -> str:
    rows = data.rows
    counts = rows["status"].fillna("unknown").value_counts()
    parts = [f"{_(STATUS_LABELS.get(k, k))}: {format_number(int(n))}" for k, n in counts.items()]
    return _("%(n)s deliverables by status: %(statuses)s.", n=format_number(len(rows)), statuses="; ".join(parts))


def _map_numbers(data: ChartData, part: ChartFilters) -> str:
    rows = data.rows
    active = int(rows["activated"].fillna(False).astype(bool).sum())
    return _("%(n)s members in %(regions)s regions; %(active)s were active in %(year)s.",
             n=format_number(len(rows)), regions=rows["region"].nunique(), active=format_number(active),
             year=part.year)


def _funds_numbers(data: ChartData, part: ChartFilters) -> str:
    rows = data.rows
    drawn = [fs for fs in FUND_COLOURS if fs in set(rows["fund_source"])]  # the figure's traces, in its order
    labels = dict(zip(drawn, (t.get("name") for t in data.figure.get("data", []) if t.get("type") == "bar")))
    cash = rows[rows["basis"] == rows["basis"].iloc[0]].sort_values("share_pct", ascending=False)
    parts = [f"{labels.get(r.fund_source, r.fund_source)} {format_percent(r.share_pct / 100)}" for r in cash.itertuples()]
    return _("Of %(total)s in funds: %(parts)s.", total=format_eur(float(cash["total"].iloc[0])),
             parts=", ".join(parts))


def _indicator_numbers(data: ChartData, part: ChartFilters) -> str:
    """The members' values in words; the network figure (the row without a region, not a member) as printed."""
    rows = data.rows
    network = rows[rows["region"].fillna("").astype(str) == ""] if "region" in rows else rows.iloc[0:0]
    members = rows.drop(index=network.index).dropna(subset=["value"])
    printed = network["printed"].iloc[0] if not network.empty else ""
    said = _("Network figure, as printed: %(value)s.", value=printed) if printed else ""
    if members.empty:
        return " ".join(filter(None, [_("No member has a value of its own for these filters."), said]))
    ranked = members.sort_values("value")
    top, low = ranked.iloc[-1], ranked.iloc[0]

    def shown(r):
        return r.get("printed") or format_number(r["value"], decimals=1)

    if len(members) == 1:
        text = _("One member has a value: %(member)s (%(value)s).", member=top["member"], value=shown(top))
    else:
        text = _("%(n)s members with a value; the highest is %(top)s (%(top_value)s), the lowest %(low)s "
                 "(%(low_value)s).", n=format_number(len(members)), top=top["member"], top_value=shown(top),
                 low=low["member"], low_value=shown(low))
    return " ".join(filter(None, [text, said]))


_KEY_NUMBERS = {
    ChartId.ENGAGEMENT_MATRIX: _matrix_numbers,
    ChartId.ACTIVATIONS_BY_MONTH: _activations_numbers,
    ChartId.WEBSITE_PRESENCE: _website_numbers,
    ChartId.EVENTS_TIMELINE: _events_numbers,
    ChartId.EVENTS_PER_MONTH: _events_numbers,
    ChartId.GENDER_PARITY: _gender_numbers,
    ChartId.GENDER_RECORDED: _gender_numbers,
    ChartId.GOVERNED_BY_WOMEN: _governed_numbers,
    ChartId.ACTION_PLAN_COMPLETION: _completion_numbers,
    ChartId.ACTION_PLAN_STATUS: _status_numbers,
    ChartId.MEMBERS_MAP: _map_numbers,
    ChartId.FUNDS: _funds_numbers,
    ChartId.INDICATOR_MAP: _indicator_numbers,
    ChartId.INDICATOR_RANKING: _indicator_numbers,
    ChartId.INDICATOR_DISTRIBUTION: _indicator_numbers,
}


def deck_charts(page: str | None) -> list[str]:
    """The charts of the page at `page` (all charts for a page without any, or none given)."""
    ids = charts_of_page(page) if page else []
    return ids or list(CHARTS)


# ---- command line -----------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    # A composition root like app.py: reads settings, binds the store, then exports.
    parser = argparse.ArgumentParser(prog="python -m dashboard.export", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_deck = sub.add_parser("deck", help="a PowerPoint deck")
    p_deck.add_argument("--page", help="only the charts of this page, e.g. /engagement (default: every chart)")
    p_img = sub.add_parser("image", help="one chart as PNG, SVG, PDF or CSV")
    p_img.add_argument("chart", choices=sorted(CHARTS))
    p_img.add_argument("--format", default="png", choices=FORMATS)
    p_img.add_argument("--width")
    p_img.add_argument("--height")
    for p in (p_deck, p_img):
        p.add_argument("--region", action="append", help="a region (repeat for several; default all)")
        p.add_argument("--year", help="default: the latest year")
        p.add_argument("-o", "--output", required=True, help="file to write")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
    except SettingsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        open_store(settings)
    except StoreNotReady as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with Session() as session:
        regions, (years, default), as_of = region_names(session), year_choices(session), last_change(session)
    params = {"region": args.region or [], "year": args.year}
    try:
        if args.command == "deck":
            charts = deck_charts(args.page)
            filters = parse_chart_params(charts[0], params, regions=regions, years=years, default_year=default)
            make = deck_bundle if args.output.endswith(".zip") else deck
            payload = make(charts, filters.with_options(), data_as_of=as_of, base_url=settings.public_url,
                           page=args.page)
        else:
            request = parse_export_request(args.chart, args.format, {**params, "width": args.width,
                                                                     "height": args.height},
                                           regions=regions, years=years, default_year=default)
            if request.fmt == "csv":
                payload = chart_csv(request, data_as_of=as_of, base_url=settings.public_url).encode()
            else:
                payload = image(request, data_as_of=as_of, base_url=settings.public_url)
    except InvalidInput as err:
        print(f"error: {err.message}", file=sys.stderr)
        return 2
    Path(args.output).write_bytes(payload)
    print(f"wrote {args.output} ({len(payload):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
