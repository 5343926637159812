"""Exports of the registered charts: PNG/SVG/PDF rendered on the server by one kept-alive kaleido renderer,
CSV of the rows behind a chart, and PowerPoint decks. Every file carries the chart's title, the filters in
words, the source line, the date of the store's last change and the link back to the live view.

CLI: python -m dashboard.export deck --region Europe --year 2020 -o board.pptx
     python -m dashboard.export image members-map --format svg -o map.svg
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import logging
import os
import shutil
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from config.settings import SettingsError, load_settings
from dashboard import ids, urls, years
from dashboard.charts import CHARTS, ChartData, ChartFilters, charts_of_page, render, slide_parts, summary
from dashboard.figures.style import EXPORT
from dashboard.i18n import SHORT_DATE, _, format_date
from dashboard.responses import csv_text
from dashboard.store import StoreNotReady, open_store
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
               "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
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
    def render(cls, fig: go.Figure, *, fmt: str, width: int, height: int, scale: float) -> bytes:
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

def deck(chart_ids: Sequence[str], filters: ChartFilters, *, data_as_of: dt.datetime | None, base_url: str,
         title: str | None = None) -> bytes:
    """A 16:9 PowerPoint deck: a title slide with the filters and date, then one slide per chart (tall charts
    without a region filter get a slide per region) with its title, image and source; the data summary is in
    the speaker notes."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = title or _("Metropolis dashboard")
    first.placeholders[1].text = "\n".join([
        filters.words(), years.year_note(years.coverage_of(filters.year, filters.regions), filters.year), _("Exported %(date)s · data as of %(as_of)s", date=format_date(dt.date.today(), format=SHORT_DATE),
                           as_of=_as_of_text(data_as_of)),
        base_url])
    blank = prs.slide_layouts[6]
    for chart_id in chart_ids:
        for part in slide_parts(chart_id, filters):  # the registry says how a chart splits
            data = render(chart_id, part)
            slide = prs.slides.add_slide(blank)
            box = slide.shapes.add_textbox(Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.7))
            box.text_frame.text = data.title
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(26)
            box.text_frame.paragraphs[0].runs[0].font.bold = True
            request = ExportRequest(chart_id, "png", part, 1920)
            png = image(request, data_as_of=data_as_of, base_url=base_url, data=data)
            _add_picture(slide, png, left=Inches(0.5), top=Inches(1.0), max_w=Inches(12.3), max_h=Inches(5.6), emu=Emu)
            source = slide.shapes.add_textbox(Inches(0.5), Inches(6.75), Inches(12.3), Inches(0.5))
            source.text_frame.word_wrap = True
            source.text_frame.text = _("Source: %(source)s · %(filters)s · %(kind)s", source=data.source,
                                       filters=part.words(),
                                       kind=years.kind_phrase(years.coverage_of(part.year, part.regions)))
            source.text_frame.paragraphs[0].runs[0].font.size = Pt(11)
            slide.notes_slide.notes_text_frame.text = "\n".join([
                data.title, part.words(), summary(chart_id, data), "",
                _("Live view: %(url)s", url=live_url(base_url, chart_id, part))])
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _add_picture(slide, png: bytes, *, left, top, max_w, max_h, emu) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        w, h = img.size
    ratio = min(max_w / w, max_h / h)
    width, height = emu(int(w * ratio)), emu(int(h * ratio))
    slide.shapes.add_picture(io.BytesIO(png), left + (max_w - width) // 2, top, width=width, height=height)


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
            payload = deck(charts, filters.with_options(), data_as_of=as_of,
                           base_url=settings.public_url)
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
