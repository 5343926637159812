"""The visual harness (issue 13, 'Checked by machine'): draws every chart in every medium through the running
app's public routes, measures the text boxes in headless Chromium, checks the decks (python-pptx, font metrics,
LibreOffice) and the printed pages (Chromium page.pdf(), pdftotext), and writes the table of findings to
artifacts/visual/report.json and report.md (images beside it, git-ignored).

It talks to the app over HTTP only (/api/v1/charts, /export/..., /embed/..., the pages), so it does not depend on
how the dashboard's modules are arranged. The only imports from the project are the registry's chart ids and the
region list, needed to name the test cases before the app runs.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "visual"
TOLERANCE = 1.0  # px: boxes touching within this are not overlapping; a box may pass the edge by this much

# medium -> how it is drawn. A PNG export is the raster of the same layout as the SVG export of the same request
# (the export renderer draws the figure once, at the size asked, then writes either format), so its text boxes are
# measured on that SVG (a raster has no text to measure) and the image kept is that SVG drawn by Chromium. The PNG
# at slide size is the default export, the same request as the SVG: measured once, reported for both.
MEDIA = {
    "png-slide": {"kind": "export", "query": {}},
    "png-print": {"kind": "export", "query": {"size": "print"}},
    "svg": {"kind": "export", "query": {}},
    "embed-600x400": {"kind": "embed", "viewport": (600, 400)},
    "embed-360x640": {"kind": "embed", "viewport": (360, 640)},
}
PAPERS = ("A4", "Letter")
PAGE_LIMITS = {"/": 2}  # issue 13: the overview prints on at most 2 A4 pages
MAX_HEATMAP_ROWS_PER_SLIDE = 25
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


def slug(text: str | None) -> str:
    """'Asia-Pacific' -> 'asia-pacific', None (no filter) -> 'all', a page path '/' -> 'overview'."""
    if text == "/":
        return "overview"
    return re.sub(r"[^a-z0-9]+", "-", (text or "all").lower()).strip("-")


def case_id(*parts: str | None) -> str:
    """The id of a case, as written in KNOWN_LAYOUT_FAILURES: 'engagement-matrix|europe|embed-600x400'."""
    return "|".join(slug(p) if p is not None else "all" for p in parts)


def _query(region: str | None, extra: dict | None = None) -> str:
    params = [("region", region)] if region else []
    params += sorted((extra or {}).items())
    return ("?" + urllib.parse.urlencode(params)) if params else ""


# ---- measuring in Chromium ------------------------------------------------------------------------

# Every visible text element: SVG <text> (not nested in another <text>; tspans belong to their text), as the
# four screen corners of its getBBox() through getScreenCTM() (so rotated labels keep their real shape), and every
# HTML element holding visible text outside an SVG, as the union of its text nodes' client rects.
MEASURE_JS = """
(opts) => {
  const visible = el => !el.checkVisibility || el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  // A text inside a box that scrolls (a tall heatmap in an embed, a wide one in a phone's) is reachable by scrolling
  // that box: it is judged against the box's whole scrollable area, and against other texts only where the box
  // shows it.
  const scrollers = new Map();
  const scrollerOf = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (a instanceof SVGElement) continue;
      const st = getComputedStyle(a), scrolls = v => v === 'auto' || v === 'scroll';
      // (or sideways: a matrix keeps a readable column each in a phone's frame, as a wide table does)
      if ((scrolls(st.overflowY) && a.scrollHeight > a.clientHeight + 1)
          || (scrolls(st.overflowX) && a.scrollWidth > a.clientWidth + 1)) {
        if (!scrollers.has(a)) {
          const r = a.getBoundingClientRect();
          scrollers.set(a, {id: scrollers.size, clip: [r.left, r.top, r.left + a.clientWidth, r.top + a.clientHeight],
                            reach: [r.left - a.scrollLeft, r.top - a.scrollTop,
                                    r.left - a.scrollLeft + a.scrollWidth, r.top - a.scrollTop + a.scrollHeight]});
        }
        return scrollers.get(a);
      }
    }
    return null;
  };
  const out = [];
  for (const t of document.querySelectorAll('text')) {
    if (t.parentElement && t.parentElement.closest('text')) continue;
    const lines = [...t.querySelectorAll('tspan')].map(s => (s.textContent || '').replace(/\\s+/g, ' ').trim())
      .filter(Boolean);
    const whole = (lines.length ? lines.join(' ') : (t.textContent || '')).replace(/\\s+/g, ' ').trim();
    if (!whole || !visible(t)) continue;
    const style = getComputedStyle(t);
    if (parseFloat(style.fillOpacity) === 0 && (style.stroke === 'none' || !style.stroke)) continue;
    let b; try { b = t.getBBox(); } catch (e) { continue; }
    if (b.width < 0.5 || b.height < 0.5) continue;
    const m = t.getScreenCTM();
    const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
      .map(([x, y]) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
    out.push({text: whole, lines: lines.length ? lines : [whole], corners: pts, where: 'svg', owner: 'svg' + out.length,
              scroller: scrollerOf(t)});
  }
  const byParent = new Map();  // HTML text outside SVG: one box per line fragment, owned by its element
  const walker = document.body ? document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT) : null;
  for (let n = walker && walker.nextNode(); n; n = walker.nextNode()) {
    const p = n.parentElement;
    if (!p || !n.textContent.trim() || !visible(p)) continue;
    // a skip link waits off-screen until it takes focus; visually hidden text is for screen readers only
    if (p.closest('svg, script, style, noscript, .visually-hidden, .visually-hidden-focusable, .skip-link')) continue;
    if (!byParent.has(p)) byParent.set(p, byParent.size);
    const r = document.createRange(); r.selectNodeContents(n);
    const text = n.textContent.replace(/\\s+/g, ' ').trim();
    for (const q of r.getClientRects()) {
      if (q.width < 0.5 || q.height < 0.5) continue;
      out.push({text, lines: [text], where: 'html', owner: 'html' + byParent.get(p), scroller: scrollerOf(n),
                corners: [[q.left, q.top], [q.right, q.top], [q.right, q.bottom], [q.left, q.bottom]]});
    }
  }
  const root = opts.root ? document.querySelector(opts.root) : null;
  const c = root ? root.getBoundingClientRect() : {left: 0, top: 0, width: innerWidth, height: innerHeight};
  return {texts: out, canvas: [c.left, c.top, c.left + c.width, c.top + c.height],
          heatmap: !!document.querySelector('g.hm, .hm')};
}
"""

PLOTS_DRAWN_JS = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return plots.length > 0 && plots.every(p => p.querySelector('.main-svg'))
    && !document.querySelector('[data-dash-is-loading="true"]');
}"""


def _axes(poly):
    for i in range(len(poly)):
        (x0, y0), (x1, y1) = poly[i], poly[(i + 1) % len(poly)]
        dx, dy = x1 - x0, y1 - y0
        norm = (dx * dx + dy * dy) ** 0.5
        if norm > 1e-9:
            yield (-dy / norm, dx / norm)


def overlap_depth(a, b) -> float:
    """How far two convex quadrilaterals overlap (the smallest penetration over the separating axes); <= 0 apart."""
    depth = float("inf")
    for ax, ay in (*_axes(a), *_axes(b)):
        pa = [x * ax + y * ay for x, y in a]
        pb = [x * ax + y * ay for x, y in b]
        depth = min(depth, min(max(pa), max(pb)) - max(min(pa), min(pb)))
        if depth <= 0:
            return depth
    return depth


@dataclass
class Measure:
    overlaps: list[tuple[str, str]] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    heatmap: bool = False
    texts: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.overlaps and not self.outside and not self.missing


def judge(result: dict, names: list[str] | None) -> Measure:
    """Count overlapping pairs and texts outside the canvas; on a heatmap, the member names with no label."""
    texts = result["texts"]
    cx0, cy0, cx1, cy1 = result["canvas"]
    m = Measure(heatmap=result["heatmap"], texts=len(texts))
    boxes = []
    for t in texts:
        xs, ys = [p[0] for p in t["corners"]], [p[1] for p in t["corners"]]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
        scroller = t.get("scroller")
        if scroller:  # reachable by scrolling its box, and the box itself on the canvas
            (rx0, ry0, rx1, ry1), (bx0, by0, bx1, by1) = scroller["reach"], scroller["clip"]
            out = (min(xs) < rx0 - TOLERANCE or min(ys) < ry0 - TOLERANCE or max(xs) > rx1 + TOLERANCE
                   or max(ys) > ry1 + TOLERANCE or bx0 < cx0 - TOLERANCE or by0 < cy0 - TOLERANCE
                   or bx1 > cx1 + TOLERANCE or by1 > cy1 + TOLERANCE)
        else:
            out = (min(xs) < cx0 - TOLERANCE or min(ys) < cy0 - TOLERANCE or max(xs) > cx1 + TOLERANCE
                   or max(ys) > cy1 + TOLERANCE)
        if out:
            m.outside.append(t["text"][:80])
    order = sorted(range(len(texts)), key=lambda i: boxes[i][0])
    for pos, i in enumerate(order):  # sweep on x: only boxes whose x ranges meet can overlap
        for j in order[pos + 1:]:
            if boxes[j][0] > boxes[i][2] - TOLERANCE:
                break
            if boxes[j][1] >= boxes[i][3] - TOLERANCE or boxes[i][1] >= boxes[j][3] - TOLERANCE \
                    or texts[i]["owner"] == texts[j]["owner"]:
                continue
            si, sj = texts[i].get("scroller"), texts[j].get("scroller")
            if (si or {}).get("id") != (sj or {}).get("id"):  # in different boxes: only where each is shown
                a, b = _shown(boxes[i], si), _shown(boxes[j], sj)
                if a is None or b is None or min(a[2], b[2]) - max(a[0], b[0]) <= TOLERANCE \
                        or min(a[3], b[3]) - max(a[1], b[1]) <= TOLERANCE:
                    continue
            if overlap_depth(texts[i]["corners"], texts[j]["corners"]) > TOLERANCE:
                m.overlaps.append((texts[i]["text"][:60], texts[j]["text"][:60]))
    if m.heatmap and names:
        labels = set()
        for t in texts:
            labels.add(_norm(t["text"]))
            labels.update(_norm(line) for line in t["lines"])
        m.missing = [n for n in names if _norm(n) not in labels]
    return m


def _shown(box, scroller):
    """The part of a text's box its scrolling box shows (the whole box outside any); None if none is shown."""
    if not scroller:
        return box
    cx0, cy0, cx1, cy1 = scroller["clip"]
    x0, y0, x1, y1 = max(box[0], cx0), max(box[1], cy0), min(box[2], cx1), min(box[3], cy1)
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


# ---- the app over HTTP -------------------------------------------------------------------------------

class App:
    """The running app: its chart index, exports and the rows behind each chart (cached)."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self._csv: dict[str, tuple[dict, list[dict]]] = {}
        self._svg: dict[str, str] = {}
        self.index = json.loads(self.get("/api/v1/charts"))

    def get(self, path: str, timeout: float = 180) -> bytes:
        with urllib.request.urlopen(self.base_url + path, timeout=timeout) as response:
            return response.read()

    @property
    def chart_ids(self) -> list[str]:
        return [c["id"] for c in self.index["charts"]]

    @property
    def regions(self) -> list[str]:
        return list(self.index["filters"]["region"])

    @property
    def pages(self) -> list[str]:
        seen: list[str] = []
        for c in self.index["charts"]:
            if c["page"] not in seen:
                seen.append(c["page"])
        return seen

    def rows(self, chart_id: str, region: str | None) -> tuple[dict, list[dict]]:
        """The chart's CSV export: its header lines ('title', 'source', ...) and the rows behind it."""
        key = f"{chart_id}{_query(region)}"
        if key not in self._csv:
            text = self.get(f"/export/{chart_id}.csv{_query(region)}").decode("utf-8-sig")
            meta, body = {}, []
            for line in text.splitlines():
                if line.startswith("# ") and ": " in line and not body:
                    k, v = line[2:].split(": ", 1)
                    meta[k] = v
                else:
                    body.append(line)
            self._csv[key] = (meta, list(csv.DictReader(io.StringIO("\n".join(body)))))
        return self._csv[key]

    def svg(self, chart_id: str, region: str | None) -> str:
        """The chart's SVG export at its default size (what a deck's picture is drawn from), cached."""
        key = f"{chart_id}{_query(region)}"
        if key not in self._svg:
            self._svg[key] = self.get(f"/export/{chart_id}.svg{_query(region)}").decode()
        return self._svg[key]

    def member_names(self, chart_id: str, region: str | None) -> list[str]:
        _meta, rows = self.rows(chart_id, region)
        return [r["member"] for r in rows if r.get("member")]


# ---- charts x regions x media ------------------------------------------------------------------------

def draw_chart(app: App, browser, chart_id: str) -> dict:
    """Draw one chart for every region filter and medium, measure each drawing; keys are case ids (and 'seconds':
    the time spent on exports and on embeds). One browser context serves the whole chart."""
    out: dict[str, Measure] = {}
    folder = ARTIFACTS / "charts" / chart_id
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.set_default_timeout(30000)
    seconds = {"export": 0.0, "embed": 0.0}
    try:
        for region in [None, *app.regions]:
            names = app.member_names(chart_id, region)
            measured: dict[str, dict] = {}  # export address -> its measure (the same request drawn once)
            for medium, how in MEDIA.items():
                key = case_id(chart_id, region, medium)
                stem = folder / f"{slug(region)}-{medium}"
                started = time.monotonic()
                try:
                    if how["kind"] == "export":
                        address = f"/export/{chart_id}.svg{_query(region, how['query'])}"
                        if address not in measured:
                            stem.with_suffix(".svg").write_bytes(app.get(address))
                            page.set_viewport_size({"width": 1920, "height": 1080})
                            page.goto(stem.with_suffix(".svg").as_uri())
                            measured[address] = page.evaluate(MEASURE_JS, {"root": "svg"})
                            if medium.startswith("png"):  # the image a person sees: the SVG drawn by Chromium
                                page.locator("svg").first.screenshot(path=str(stem.with_suffix(".png")))
                        result = measured[address]
                    else:
                        w, h = how["viewport"]
                        page.set_viewport_size({"width": w, "height": h})
                        url = f"{app.base_url}/embed/{chart_id}{_query(region)}"
                        if page.url != url:  # the second frame size resizes the loaded embed, as a frame does
                            page.goto(url)
                        page.wait_for_function(PLOTS_DRAWN_JS)
                        page.wait_for_timeout(400)  # plotly's responsive relayout after a draw or a resize
                        result = page.evaluate(MEASURE_JS, {"root": None})
                        page.screenshot(path=str(stem.with_suffix(".png")))
                    out[key] = judge(result, names)
                except Exception as err:  # noqa: BLE001 - a drawing that fails is a finding of its case
                    out[key] = Measure(error=f"{err.__class__.__name__}: {str(err)[:300]}")
                seconds[how["kind"]] += time.monotonic() - started
    finally:
        context.close()
    out["seconds"] = seconds
    return out


# ---- decks --------------------------------------------------------------------------------------------

_FONTS: dict[tuple[bool, int], object] = {}


def _font(bold: bool, px: int):
    from PIL import ImageFont

    key = (bold, px)
    if key not in _FONTS:
        _FONTS[key] = ImageFont.truetype(str(FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), px)
    return _FONTS[key]


def _text_extent(text_frame, width_pt: float | None, default_pt: float) -> tuple[float, float]:
    """(widest line, total height) in points of a text frame's paragraphs drawn in DejaVu at their sizes,
    wrapped to width_pt (None: no wrapping). Measured at 4 px per point for precision."""
    scale = 4
    widest, height = 0.0, 0.0
    for para in text_frame.paragraphs:
        size = next((r.font.size.pt for r in para.runs if r.font.size), None) or default_pt
        bold = any(r.font.bold for r in para.runs)
        font = _font(bold, int(size * scale))
        lines, line = [], ""
        for word in para.text.split(" ") if para.text else [""]:
            trial = f"{line} {word}".strip() if line else word
            if width_pt is not None and line and font.getlength(trial) / scale > width_pt:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
        widest = max(widest, *(font.getlength(x) / scale for x in lines))
        height += len(lines) * size * 1.2
    return widest, height


def _placeholder_default_pt(shape) -> float:
    """The size a placeholder's text takes when its runs set none (the default template: title 44, body 32)."""
    try:
        kind = shape.placeholder_format.type
    except ValueError:
        return 18.0
    return 44.0 if "TITLE" in str(kind) and "SUB" not in str(kind) else 32.0


@dataclass
class SlideFinding:
    slide: int
    titles: int
    sources: int
    overflows: list[str]
    heatmap_rows: int | None
    chart: str | None


def check_deck(app: App, pptx: bytes, heatmaps: set[str]) -> list[SlideFinding]:
    """Per slide: titles and sources (text on the slide and in its picture), text frames that overflow their box,
    and the rows of a heatmap picture (the rows behind the chart for the slide's filters)."""
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation(io.BytesIO(pptx))
    titles = {}  # chart title -> chart id, for the charts of any region (the CSV header names it)
    for chart_id in app.chart_ids:
        for region in [None, *app.regions]:
            titles.setdefault(app.rows(chart_id, region)[0].get("title", ""), chart_id)
    findings = []
    for number, slide in enumerate(prs.slides, start=1):
        texts, overflows = [], []
        title_shape = slide.shapes.title
        slide_title = title_shape.text_frame.text if title_shape is not None and title_shape.has_text_frame else ""
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            tf = shape.text_frame
            if title_shape is None or shape.shape_id != title_shape.shape_id:
                texts.append(tf.text)
            insets = [(v if v is not None else d) for v, d in ((tf.margin_left, 91440), (tf.margin_right, 91440),
                                                                (tf.margin_top, 45720), (tf.margin_bottom, 45720))]
            box_w = Emu(shape.width - insets[0] - insets[1]).pt
            box_h = Emu(shape.height - insets[2] - insets[3]).pt
            wraps = tf.word_wrap is not False and tf._bodyPr.get("wrap") != "none"
            widest, height = _text_extent(tf, box_w if wraps else None, _placeholder_default_pt(shape))
            if widest > box_w + 1 or height > box_h + 1:
                overflows.append(f"{tf.text[:50]!r}: {widest:.0f}x{height:.0f} pt text in {box_w:.0f}x{box_h:.0f} pt")
        # a title: the slide's title placeholder, or a text box holding a chart's title
        title_count = (1 if slide_title.strip() else 0) + sum(1 for t in texts if t in titles)
        # a part of a split chart (a region's 73 members on three slides): its title says which part
        part = PART_TITLE.search(slide_title)
        base_title = slide_title[:part.start()] if part else slide_title
        chart = titles.get(base_title) or next((titles[t] for t in texts if t in titles), None)
        source_count = sum(t.count("Source:") for t in texts)
        regions = [r for r in app.regions if any(r in t for t in texts if "Source:" in t)] or [None]
        rows = None
        if chart is not None:
            title = next(t for t in [base_title, *texts] if t in titles)
            for svg in _picture_svgs(slide) or [app.svg(chart, regions[0] if len(regions) == 1 else None)]:
                # what the slide's picture draws (its SVG version); a deck with PNG only: the chart's SVG export
                title_count += svg.count(_xml(title))
                source_count += svg.count("Source:")
            if chart in heatmaps:
                rows = len(app.rows(chart, regions[0] if len(regions) == 1 else None)[1])
                if part:  # part n of m: the rows cut into m parts as equal as can be, the first ones longer
                    n, of = int(part.group(1)), int(part.group(2))
                    size, extra = divmod(rows, of)
                    rows = size + (1 if n <= extra else 0)
        findings.append(SlideFinding(number, title_count, source_count, overflows, rows, chart))
    return findings


PART_TITLE = re.compile(r"\s*\(part (\d+) of (\d+)\)$")  # dashboard.charts' '%(title)s (part %(n)s of %(of)s)'

SVG_BLIP = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}svgBlip"
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


def _picture_svgs(slide) -> list[str]:
    """The SVG versions of a slide's pictures (PowerPoint's svgBlip extension beside the PNG), as text."""
    out = []
    for element in slide.shapes._spTree.iter(SVG_BLIP):
        out.append(slide.part.related_part(element.get(R_EMBED)).blob.decode("utf-8"))
    return out


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def deck_problems(findings: list[SlideFinding]) -> list[str]:
    problems = []
    for f in findings:
        if f.slide > 1 and f.titles != 1:
            problems.append(f"slide {f.slide}: {f.titles} titles")
        if f.slide > 1 and f.sources != 1:
            problems.append(f"slide {f.slide}: {f.sources} sources")
        problems += [f"slide {f.slide}: overflow {o}" for o in f.overflows]
        if f.heatmap_rows is not None and f.heatmap_rows > MAX_HEATMAP_ROWS_PER_SLIDE:
            problems.append(f"slide {f.slide}: {f.heatmap_rows} heatmap rows in one picture ({f.chart})")
    return problems


def convert_decks(paths: list[Path], outdir: Path) -> dict[Path, list[Path]]:
    """LibreOffice Impress: every deck to PDF in one run, then each PDF to PNG slides (pdftoppm, 50 dpi)."""
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if not soffice or not shutil.which("pdftoppm"):
        raise RuntimeError("LibreOffice Impress and poppler-utils are not installed: run `make install-test`")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, paths)], check=True, capture_output=True, timeout=900)
    pngs = {}
    for path in paths:
        pdf = outdir / (path.stem + ".pdf")
        if not pdf.exists():
            pngs[path] = []
            continue
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(outdir / path.stem)], check=True, timeout=300)
        pngs[path] = sorted(outdir.glob(path.stem + "-*.png"))
    return pngs


# ---- print ------------------------------------------------------------------------------------------

# What counts as a page's content in print: a chart's text, a table's cells, and the key-figure cards (the overview's
# KPIs, the indicators' results: each is a figure with what it counts and its source, as a table row is; their
# values are numbers, so their titles are what is looked for). A page holding none of them (a heading, a note) is
# an empty page.
PRINT_CONTENT_JS = """() => {
  const words = new Set();
  for (const t of document.querySelectorAll('.js-plotly-plot text, table td, table th, [role=gridcell], '
                                            + '.kpi-card .kpi-title, .result-card .result-title')) {
    const s = (t.textContent || '').replace(/\\s+/g, ' ').trim();
    if (s.length >= 4 && !/^[\\d\\s.,%+-]+$/.test(s)) words.add(s);
  }
  return [...words];
}"""


PAGE_DRAWN_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))
  && !document.querySelector('[data-dash-is-loading="true"]')"""  # a page may have no chart (a table only)


def pdf_pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True, timeout=120).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@dataclass
class PrintFinding:
    pages: int
    empty_pages: list[int]
    missing: list[str]
    limit: int | None

    def problems(self) -> list[str]:
        out = []
        if self.limit is not None and self.pages > self.limit:
            out.append(f"{self.pages} pages (at most {self.limit})")
        if self.empty_pages:
            out.append(f"pages without a chart or table: {self.empty_pages}")
        if self.missing:
            out.append(f"{len(self.missing)} heatmap member names not in the PDF text: {self.missing[:8]}")
        return out


def print_page(app: App, browser, path: str, region: str | None, heatmaps: list[str]) -> dict[str, PrintFinding]:
    """Open the page once (filtered to `region`), print it to PDF at each paper size, and judge each PDF:
    its page count, the pages beyond the first with no chart or table text, the heatmap names not in its text."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60000)
    folder = ARTIFACTS / "print"
    folder.mkdir(parents=True, exist_ok=True)
    pdfs = {}
    try:
        page.goto(f"{app.base_url}{path}{_query(region)}")
        page.wait_for_load_state("networkidle")
        try:  # the page's charts drawn; a page with none (a table only) is ready when nothing is loading
            page.wait_for_function(PLOTS_DRAWN_JS, timeout=20000)
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: no chart on this page
            page.wait_for_function(PAGE_DRAWN_JS)
        page.emulate_media(media="print")
        page.wait_for_timeout(500)
        content = page.evaluate(PRINT_CONTENT_JS)
        for paper in PAPERS:
            pdfs[paper] = folder / f"{slug(path)}-{slug(region)}-{paper.lower()}.pdf"
            page.pdf(path=str(pdfs[paper]), format=paper, print_background=True)
    finally:
        context.close()
    # a name must be printed once per heatmap listing it (two heatmaps on a page: one's label does not count
    # for the other); occurrences inside a longer name ('Lyon' in 'Grand Lyon') are not counted
    wanted: dict[str, int] = {}
    for chart in heatmaps:
        for n in set(app.member_names(chart, region)):
            key = re.sub(r"\s+", " ", n)
            wanted[key] = wanted.get(key, 0) + 1
    out = {}
    for paper, pdf in pdfs.items():
        texts = pdf_pages_text(pdf)
        flat = [re.sub(r"\s+", " ", t) for t in texts]
        empty = [n for n, t in enumerate(flat, start=1) if n > 1 and not any(w in t for w in content)]
        whole = " ".join(flat)
        missing = sorted(n for n, times in wanted.items() if whole.count(n) - sum(
            whole.count(longer) for longer in wanted if longer != n and n in longer) < times)
        if paper == "A4":  # the pages as images, to look at
            subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(pdf.with_suffix(""))], check=True,
                           timeout=300)
        out[paper] = PrintFinding(len(texts), empty, missing, PAGE_LIMITS.get(path))
    return out


# ---- the report ---------------------------------------------------------------------------------------

class Report:
    """Findings gathered during the run, written as artifacts/visual/report.json and report.md at the end."""

    def __init__(self):
        self.charts: dict[str, Measure] = {}
        self.decks: dict[str, dict] = {}
        self.prints: dict[str, PrintFinding] = {}
        self.seconds: dict[str, float] = {}

    def write(self, name: str | None = None) -> None:
        """Write report.json and report.md (or NAME.json/.md: VISUAL_REPORT names it, for runs split by -k)."""
        if not (self.charts or self.decks or self.prints):
            return
        name = name or os.environ.get("VISUAL_REPORT", "report")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        data = {
            "charts": {k: {"overlaps": len(m.overlaps), "outside": len(m.outside), "missing": len(m.missing),
                           "heatmap": m.heatmap, "texts": m.texts, "error": m.error,
                           "overlap_pairs": m.overlaps[:20], "outside_texts": m.outside[:20],
                           "missing_names": m.missing} for k, m in sorted(self.charts.items())},
            "decks": self.decks,
            "prints": {k: asdict(v) for k, v in sorted(self.prints.items())},
            "seconds": self.seconds,
        }
        (ARTIFACTS / f"{name}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False))
        lines = ["# Visual harness report", "", "## Charts by medium (summed over all regions and the five regions)",
                 "", "| chart | medium | failing cases | overlaps | outside | missing names |",
                 "|---|---|---|---|---|---|"]
        sums: dict[tuple[str, str], list[int]] = {}
        for key, m in self.charts.items():
            chart, _region, medium = key.split("|")
            row = sums.setdefault((chart, medium), [0, 0, 0, 0])
            for i, n in enumerate((not m.ok, len(m.overlaps), len(m.outside), len(m.missing))):
                row[i] += int(n)
        lines += [f"| {c} | {md} | {r[0]} of 6 | {r[1]} | {r[2]} | {r[3]} |" for (c, md), r in sorted(sums.items())]
        lines += ["", "## Charts (overlapping pairs / texts outside / missing names)", "",
                  "| chart | region | medium | overlaps | outside | missing names |", "|---|---|---|---|---|---|"]
        for key, m in sorted(self.charts.items()):
            chart, region, medium = key.split("|")
            lines.append(f"| {chart} | {region} | {medium} | {len(m.overlaps)} | {len(m.outside)} | "
                         f"{len(m.missing) if m.heatmap else '-'}{' ERROR ' + m.error if m.error else ''} |")
        lines += ["", "## Decks", "", "| deck | slides | problems |", "|---|---|---|"]
        for key, d in sorted(self.decks.items()):
            lines.append(f"| {key} | {d['slides']} | {len(d['problems'])}: {'; '.join(d['problems'][:6])} |")
        lines += ["", "## Print", "", "| page | region | paper | pages | problems |", "|---|---|---|---|---|"]
        for key, p in sorted(self.prints.items()):
            _print, page, region, paper = key.split("|")
            lines.append(f"| {page or '/'} | {region} | {paper} | {p.pages} | {'; '.join(p.problems())} |")
        lines += ["", "## Seconds", ""] + [f"- {k}: {v:.0f} s" for k, v in self.seconds.items()]
        (ARTIFACTS / f"{name}.md").write_text("\n".join(lines) + "\n")

    @classmethod
    def merged(cls, paths: list[Path]) -> Report:
        """The findings of several report.json files (runs split by -k) as one report."""
        report = cls()
        for path in paths:
            data = json.loads(Path(path).read_text())
            for key, m in data["charts"].items():
                report.charts[key] = Measure(overlaps=[tuple(p) for p in m["overlap_pairs"]][:m["overlaps"]] +
                                             [("", "")] * max(0, m["overlaps"] - len(m["overlap_pairs"])),
                                             outside=m["outside_texts"] + [""] * max(0, m["outside"] - len(
                                                 m["outside_texts"])),
                                             missing=m["missing_names"], heatmap=m["heatmap"], texts=m["texts"],
                                             error=m["error"])
            report.decks.update(data["decks"])
            report.prints.update({k: PrintFinding(**v) for k, v in data["prints"].items()})
            for k, v in data["seconds"].items():
                report.seconds[k] = report.seconds.get(k, 0) + v
        return report


if __name__ == "__main__":  # python -m tests.visual.harness merge A.json B.json: one report.json/.md of split runs
    import sys

    if sys.argv[1:2] != ["merge"] or len(sys.argv) < 4:
        sys.exit("usage: python -m tests.visual.harness merge A.json B.json ...")
    Report.merged([Path(p) for p in sys.argv[2:]]).write("report")
