"""The Board pack of a meeting (issue 17): the deck of every page, the printed pages as one PDF and every chart's
CSV in a zip, made by a background job and kept in the store with the meeting, so every worker serves them.

- **Who.** The Secretariat starts it (`start_pack`: the page's button, POST /api/v1/meetings/<slug>/pack); the
  job claims its rows in the store first (db/commands/packs.py), so two requests, or two workers, never make the
  same pack twice, and a job that died (it ran past PACK_TIMEOUT) can be started again.
- **As presented.** Everything is read as of the meeting (db.asof.reading_as_of, set in the job's own thread:
  a thread does not inherit the request's context), or asked of the app's own pages with `?as_of=<slug>`.
- **Audience.** The pack is made as a signed-in user sees the dashboard (members' fee payments included), so it
  is downloaded by signed-in users only (the Board, the regional secretaries, the Secretariat), never by an
  anonymous visitor, whatever PUBLIC_ACCESS says.
- **Printing.** A headless Chromium (playwright, Debian's chromium) prints each page of the navigation, as the
  print tests do, from a private server on 127.0.0.1 serving this same app, signed in as the Secretariat who
  asked (dashboard.auth.session_cookie); the PDFs are joined with pypdf, one bookmark per page.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import shutil
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Flask, Response, current_app, request
from flask_login import current_user, login_user

from dashboard import export
from dashboard.auth import SignedInUser, current_actor, session_cookie
from dashboard.charts import CHARTS, charts_of_page, render
from dashboard.i18n import DEFAULT_LOCALE, SHORT_DATE, _, current_locale, format_date, format_number
from dashboard.responses import error_response
from dashboard.urls import base_url
from db.asof import reading_as_of
from db.commands import packs as pack_commands
from db.commands.base import run_command
from db.queries import meetings as meeting_queries
from db.queries import packs as pack_queries
from db.queries.common import region_names, year_choices
from db.queries.provenance import last_change, sources_table
from db.reference import PACK_KINDS
from db.session import Session, write_session

logger = logging.getLogger(__name__)

PACK_TIMEOUT = dt.timedelta(minutes=30)  # a file takes minutes; one still "running" after this is a dead job's
ORDER = ("csv", "deck", "pdf")  # quickest first: the data is there within seconds, the printed pages last
EXTENSIONS = {"deck": "pptx", "pdf": "pdf", "csv": "zip"}
MEDIA_TYPES = {"deck": export.MEDIA_TYPES["pptx"], "pdf": "application/pdf", "csv": "application/zip"}
PROGRESS_EVERY = 0.5  # seconds between two progress writes of one file (the last step is always written)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PAPER = "A4"
PRINT_VIEWPORT = {"width": 1280, "height": 900}
# What the print tests wait for (tests/visual/harness.py): every chart drawn, nothing loading.
PLOTS_DRAWN_JS = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return plots.length > 0 && plots.every(p => p.querySelector('.main-svg'))
    && !document.querySelector('[data-dash-is-loading="true"]');
}"""
PAGE_DRAWN_JS = """() => !!document.querySelector('.page')
  && [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))
  && !document.querySelector('[data-dash-is-loading="true"]')"""
# A printed page must show the meeting's banner and a signed-in user's account menu: else it is not the pack's.
AS_PRESENTED_JS = """(ids) => !!document.getElementById(ids.banner) && !!document.getElementById(ids.account)"""

_threads: dict[str, threading.Thread] = {}  # the latest job of each meeting in this process (tests wait for it)


def print_pages() -> list[tuple[str, str]]:
    """(path, name) of every page the pack prints: the navigation's pages, in its order, but the list of Board
    meetings (the pack is one meeting's; the list would name meetings recorded after it)."""
    from dashboard.shell import NAV_PAGES  # lazy, as export.page_name: the shell registers Dash callbacks

    return [(path, str(label)) for key, path, label, _icon in NAV_PAGES if key != "meetings"]


def deck_pages() -> list[tuple[str, list[str]]]:
    """(path, chart ids) of every page with charts, in the navigation's order: the deck holds each page's deck."""
    return [(path, charts_of_page(path)) for path, _name in print_pages() if charts_of_page(path)]


def filename(meeting: dict, kind: str) -> str:
    """The downloaded file's name, naming the meeting: metropolis-board-pack-2021-03-12-slides.pptx."""
    part = {"deck": "slides", "pdf": "pages", "csv": "data"}[kind]
    return f"metropolis-board-pack-{meeting['slug']}-{part}.{EXTENSIONS[kind]}"


def download_path(slug: str, kind: str) -> str:
    return f"/meetings/{slug}/pack/{kind}"


# ---- the state of a pack ----------------------------------------------------------------------------------------

def pack_status(slug: str) -> dict | None:
    """The meeting's pack: {"meeting": slug, "running": bool, "files": [one per kind, PACK_KINDS order: kind,
    status (missing, queued, running, done, failed, or stalled: its job died), progress, total, filename, size,
    error, started_at, finished_at, download (the address, when done), media_type]}; None: no such meeting."""
    with reading_as_of(None), Session() as session:  # the pack's rows as they are, even in a meeting's view
        meeting = meeting_queries.meeting(session, slug)
        if meeting is None:
            return None
        rows = pack_queries.pack_files(session, meeting["id"])
    now = dt.datetime.now(dt.UTC)
    files = []
    for kind in PACK_KINDS:
        row = rows.get(kind)
        status = row["status"] if row else "missing"
        if status in pack_commands.ACTIVE and pack_commands.expired(row["started_at"], now, PACK_TIMEOUT):
            status = "stalled"
        files.append({
            "kind": kind, "status": status, "progress": row["progress"] if row else 0,
            "total": row["total"] if row else 0, "filename": filename(meeting, kind),
            "size": row["size"] if row and status == "done" else None, "error": row["error"] if row else "",
            "started_at": _iso(row["started_at"]) if row else None,
            "finished_at": _iso(row["finished_at"]) if row else None,
            "download": download_path(meeting["slug"], kind) if status == "done" else None,
            "media_type": MEDIA_TYPES[kind]})
    return {"meeting": meeting["slug"], "running": any(f["status"] in pack_commands.ACTIVE for f in files),
            "files": files}


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).isoformat()


def pack_file(slug: str, kind: str) -> tuple[str, bytes] | None:
    """(filename, bytes) of a made file of the meeting's pack; None when there is no such meeting or file yet."""
    with reading_as_of(None), Session() as session:
        meeting = meeting_queries.meeting(session, slug)
        if meeting is None:
            return None
        return pack_queries.pack_content(session, meeting["id"], kind)


# ---- starting the job -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    """One claimed making of a pack: the app, the meeting, the rows claimed (kind -> file id), the address and
    language of the request that asked, and the Secretariat who asked (the pack is made as they see it)."""

    server: Flask
    slug: str
    files: dict[str, int]
    url_root: str
    locale: str
    user: SignedInUser


def start_pack(slug: str) -> dict:
    """Make the meeting's pack in a background job, as the signed-in user (the Secretariat only: CommandError
    otherwise, the refusal logged; NotFound for an unknown meeting). Returns pack_status with `started`: whether
    this call started the job (False: one is already making it, or the pack is made)."""
    with reading_as_of(None):  # the pack is not the meeting's data: it may be asked for from a meeting's view
        claim = run_command(pack_commands.claim_pack, current_actor(), slug, timeout=PACK_TIMEOUT,
                            what=f"make the Board pack of {str(slug)[:80]}", changes_data=False)
    started = bool(claim["claimed"])
    if started:
        launch(Job(current_app._get_current_object(), slug, claim["claimed"], request.url_root, current_locale(),
                   current_user._get_current_object()))
    return {**pack_status(slug), "started": started}


def launch(job: Job) -> threading.Thread:
    """Run `job` in a background thread (the request answers at once)."""
    thread = threading.Thread(target=run_job, args=(job,), name=f"board-pack-{job.slug}", daemon=True)
    _threads[job.slug] = thread
    thread.start()
    return thread


def wait(slug: str, timeout: float = 1800) -> None:
    """Wait for this process's latest job of meeting `slug` to end (tests and the benchmark)."""
    thread = _threads.get(slug)
    if thread is not None:
        thread.join(timeout)


# ---- the job ---------------------------------------------------------------------------------------------------

class Superseded(Exception):
    """The job's row was taken over (the job ran too long and a new claim replaced it): stop, store nothing."""


def _store(update: Callable[..., bool], *args, **kwargs) -> bool:
    """Run one of the job's updates of its rows in a write transaction on the store as it is."""
    with reading_as_of(None), write_session() as session:
        return update(session, *args, **kwargs)


class Progress:
    """progress(done, total) for a maker: written to the file's row (at most every PROGRESS_EVERY seconds);
    raises Superseded when the row is no longer the job's, TimeoutError past PACK_TIMEOUT."""

    def __init__(self, file_id: int):
        self.file_id = file_id
        self.begun = time.monotonic()
        self.written = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.begun > PACK_TIMEOUT.total_seconds():
            raise TimeoutError(f"stopped after {PACK_TIMEOUT.total_seconds() / 60:.0f} minutes")
        if done < total and now - self.written < PROGRESS_EVERY:
            return
        self.written = now
        if not _store(pack_commands.report_progress, self.file_id, done, total):
            raise Superseded(self.file_id)


def run_job(job: Job) -> dict[str, str]:
    """Make each claimed file in turn (ORDER) and store it; a file that fails is marked failed with its reason
    and the others are still made. Returns {kind: what became of it}."""
    with reading_as_of(None), job.server.app_context(), Session() as session:
        meeting = meeting_queries.meeting(session, job.slug)
    outcome: dict[str, str] = {}
    started = time.monotonic()
    for kind in ORDER:
        file_id = job.files.get(kind)
        if file_id is None:
            continue
        if not _store(pack_commands.begin_file, file_id):
            outcome[kind] = "taken"  # another worker began it (or a new claim replaced it)
            continue
        begun = time.monotonic()
        try:
            content = MAKERS[kind](job, meeting, Progress(file_id))
        except Superseded:
            logger.warning("Board pack %s: the job was taken over; stopping", job.slug)
            outcome[kind] = "taken"
            break
        except Exception as err:  # noqa: BLE001 - any failure of one file: say so on its row, make the others
            logger.exception("Board pack %s: the %s failed", job.slug, kind)
            _store(pack_commands.fail_file, file_id, f"{err.__class__.__name__}: {err}"[:500])
            outcome[kind] = "failed"
            continue
        stored = _store(pack_commands.finish_file, file_id, filename=filename(meeting, kind), content=content)
        outcome[kind] = "done" if stored else "taken"
        logger.info("Board pack %s: %s made in %.1f s (%s bytes)", job.slug, kind, time.monotonic() - begun,
                    f"{len(content):,}")
    logger.info("Board pack %s: %s in %.1f s", job.slug, outcome, time.monotonic() - started)
    return outcome


@contextmanager
def as_presented(job: Job, meeting: dict) -> Iterator[None]:
    """A request of the job's own (its address, language and user) reading the store as of the meeting: what
    the exports read in a request with `?as_of=<slug>` by that user."""
    with job.server.test_request_context("/", base_url=job.url_root, headers={"Accept-Language": job.locale}):
        login_user(job.user)
        with reading_as_of(meeting["frozen"]):
            yield


def _store_context() -> tuple[list[str], list[int], int | None, dt.datetime | None]:
    with Session() as session:
        (years, default) = year_choices(session)
        return region_names(session), years, default, last_change(session)


# -- the CSVs

def csv_entries() -> list[tuple[str, str, export.ChartFilters]]:
    """(file name, chart id, filters) of every CSV of the pack, read as presented: each registered chart for all
    regions at its default options (what /export/<chart>.csv?as_of=<slug> serves), and a file per further part of
    a chart the deck splits by its own parts (an indicator chart: each indicator with members' values)."""
    regions, years, default, _as_of = _store_context()
    entries = []
    for chart_id, chart in CHARTS.items():
        filters = export.parse_chart_params(chart_id, {}, regions=regions, years=years, default_year=default)
        entries.append((f"{chart_id}.csv", chart_id, filters))
        if chart.split.parts is not None:
            for part in chart.split.parts(filters):
                if dict(part.options) == dict(filters.options):
                    continue
                label = "-".join(export.urls_slug(str(v)) for k, v in sorted(part.options.items())
                                 if v != filters.options.get(k))
                entries.append((f"{chart_id}-{label}.csv", chart_id, replace(filters, options=dict(part.options))))
    return entries


def make_csv(job: Job, meeting: dict, progress: Callable[[int, int], None]) -> bytes:
    """The zip of every chart's CSV (csv_entries) with a README.md naming the meeting, each file's chart and
    source, and the documents the data come from."""
    with as_presented(job, meeting):
        entries = csv_entries()
        pages = dict(print_pages())
        _regions, _years, _default, as_of = _store_context()
        base = base_url()
        out = io.BytesIO()
        listed = []
        progress(0, len(entries) + 1)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for number, (name, chart_id, filters) in enumerate(entries, start=1):
                request_ = export.ExportRequest(chart_id, "csv", filters, export.SIZES["slide"][0])
                zf.writestr(f"data/{name}", export.chart_csv(request_, data_as_of=as_of, base_url=base))
                data = render(chart_id, filters)
                listed.append((name, data.title, pages.get(CHARTS[chart_id].page, CHARTS[chart_id].page),
                               data.source, len(data.rows)))
                progress(number, len(entries) + 1)
            zf.writestr("README.md", readme(meeting, listed, as_of=as_of, base=base))
            progress(len(entries) + 1, len(entries) + 1)
    return out.getvalue()


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def readme(meeting: dict, files: list[tuple[str, str, str, str, int]], *, as_of: dt.datetime | None,
           base: str) -> str:
    """The README of the CSV zip (Markdown): the meeting, how the files were made, who may read them, each
    file's chart, page and source, and the documents."""
    with Session() as session:
        documents = sources_table(session)
    slug = meeting["slug"]
    lines = [
        "# " + _("Board pack: %(name)s, the data of every chart", name=meeting["name"]), "",
        _("Board meeting held on %(date)s. The data as they stood when the meeting was recorded (%(frozen)s, data "
          "version %(version)s; data as of %(as_of)s).", date=format_date(meeting["held_on"], format="long"),
          frozen=format_date(meeting["frozen_at"], format=SHORT_DATE), version=meeting["data_version"],
          as_of=format_date(as_of, format=SHORT_DATE) if as_of else _("unknown")), "",
        _("Each file is the CSV of one chart of the dashboard for all regions, as %(url)s serves it to a signed-in "
          "user: the rows behind the chart, each with its source, under # lines naming the chart, the filters, the "
          "source, the date of the data and the chart's address.",
          url=f"{base}/export/<chart>.csv?as_of={slug}"), "",
        _("These files hold members' fee payments: the Board pack is for signed-in users of the dashboard (the "
          "Board, the regional secretaries and the Secretariat). Do not publish it."), "",
        _("The dashboard as presented to the Board: %(url)s", url=f"{base}/?as_of={slug}"), "",
        "## " + _("Files"), "",
        "| " + " | ".join([_("File"), _("Chart"), _("Page"), _("Rows"), _("Source")]) + " |",
        "|---|---|---|---|---|",
    ]
    for name, title, page, source, rows in files:
        lines.append("| " + " | ".join([f"data/{name}", _cell(title), page, format_number(rows), _cell(source)]) + " |")
    lines += ["", "## " + _("Sources"), "",
              _("The documents the curated data were read from (the dashboard's Data & sources page: %(url)s):",
                url=f"{base}/sources?as_of={slug}"), ""]
    for doc in documents.itertuples():
        detail = ", ".join(str(v) for v in (doc.publisher, doc.published) if v)
        lines.append(f"- **{doc.key}**: {_cell(doc.title)}" + (f" ({_cell(detail)})" if detail else "")
                     + (f". {_cell(doc.citation)}" if doc.citation and doc.citation != doc.title else ""))
    return "\n".join(lines) + "\n"


# -- the deck

def make_deck(job: Job, meeting: dict, progress: Callable[[int, int], None]) -> bytes:
    """One deck of every page's deck (export.pages_deck), read as presented, after a cover naming the meeting."""
    with as_presented(job, meeting):
        regions, years, default, as_of = _store_context()
        pages = deck_pages()
        filters = export.parse_chart_params(pages[0][1][0], {}, regions=regions, years=years,
                                            default_year=default).with_options()
        cover = [_("Board pack: %(name)s", name=meeting["name"]),
                 _("As presented to the Board on %(date)s", date=format_date(meeting["held_on"], format="long")),
                 meeting["note"] or "",
                 _("The deck of every page of the dashboard · data as of %(as_of)s",
                   as_of=format_date(as_of, format=SHORT_DATE) if as_of else _("unknown")),
                 _("Live dashboard as presented: %(url)s", url=f"{base_url()}/?as_of={meeting['slug']}")]
        return export.pages_deck(pages, filters, data_as_of=as_of, base_url=base_url(),
                                 cover=[line for line in cover if line], progress=progress)


# -- the printed pages

def chromium() -> str:
    """Debian's chromium (or BROWSER_PATH): the browser the exports' renderer uses too."""
    path = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("no chromium to print the pages with (install Debian's chromium or set BROWSER_PATH)")
    return path


@contextmanager
def private_server(server: Flask, url_root: str) -> Iterator[str]:
    """Serve `server` on a free port of 127.0.0.1 for the printer, each request seen as reached at `url_root`
    (the address the Secretariat used: its host is trusted, and the printed pages name it); yield its address."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    reached = urlsplit(url_root)

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs) -> None:  # the app logs what matters; not every asset fetched
            pass

    def as_reached(environ, start_response):
        environ["HTTP_HOST"] = reached.netloc
        environ["wsgi.url_scheme"] = reached.scheme or "http"
        return server(environ, start_response)

    httpd = make_server("127.0.0.1", 0, as_reached, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, name="board-pack-printer", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def _print_page(context, url: str) -> bytes:
    """One page printed as the print tests print it: loaded, every chart drawn, then page.pdf() on A4."""
    from dashboard import ids  # the ids the check reads

    page = context.new_page()
    page.set_default_timeout(60000)
    try:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        try:  # the page's charts drawn; a page with none (a table only) is ready when nothing is loading
            page.wait_for_function(PLOTS_DRAWN_JS, timeout=20000)
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: no chart on this page
            page.wait_for_function(PAGE_DRAWN_JS)
        if not page.evaluate(AS_PRESENTED_JS, {"banner": ids.Shell.MEETING_BANNER, "account": ids.Shell.ACCOUNT}):
            raise RuntimeError(f"{urlsplit(url).path} was not shown as presented to a signed-in user")
        page.emulate_media(media="print")
        page.wait_for_timeout(500)  # plotly's relayout at the printable width
        return page.pdf(format=PAPER, print_background=True)
    finally:
        page.close()


def make_pdf(job: Job, meeting: dict, progress: Callable[[int, int], None]) -> bytes:
    """Every page of the navigation printed with `?as_of=<slug>` in the pack's language, joined in one PDF with
    a bookmark per page."""
    # imported here: only the pack's job drives a browser, and a worker that never makes one never loads them
    from playwright.sync_api import sync_playwright
    from pypdf import PdfWriter

    with job.server.test_request_context("/", headers={"Accept-Language": job.locale}):
        pages = print_pages()  # the pages' names in the pack's language
    cookie_name, cookie_value = session_cookie(job.server, job.user)
    writer = PdfWriter()
    progress(0, len(pages))
    with private_server(job.server, job.url_root) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=PRINT_VIEWPORT, locale=job.locale)
            context.add_cookies([{"name": cookie_name, "value": cookie_value, "url": base}])
            for number, (path, name) in enumerate(pages, start=1):
                query = urlencode([("as_of", meeting["slug"]),
                                   *([("lang", job.locale)] if job.locale != DEFAULT_LOCALE else [])])
                pdf = _print_page(context, f"{base}{path}?{query}")
                writer.append(io.BytesIO(pdf), outline_item=name)
                progress(number, len(pages))
        finally:
            browser.close()
    writer.add_metadata({"/Title": f"{meeting['name']} ({meeting['slug']})", "/Creator": "Metropolis dashboard"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


MAKERS: dict[str, Callable[[Job, dict, Callable[[int, int], None]], bytes]] = {
    "csv": make_csv, "deck": make_deck, "pdf": make_pdf}


# ---- downloads ---------------------------------------------------------------------------------------------------

downloads = Blueprint("packs", __name__)


@downloads.get("/meetings/<slug>/pack/<kind>")
def download(slug: str, kind: str) -> Response:
    """A file of the meeting's Board pack (deck, pdf, csv), for signed-in users only: it holds members' fees."""
    slug, kind = slug[:80], kind[:20]
    links = [("/meetings", _("Board meetings"))]
    if current_actor() is None:
        return error_response(401, _("Sign in to download the Board pack: it holds members' fee payments, which "
                                     "only signed-in users see."), links=[(f"/login?next={request.path}", _("Sign in")), *links])
    status = pack_status(slug)
    if status is None:
        return error_response(404, _("There is no Board meeting %(meeting)s.", meeting=slug), links=links)
    if kind not in PACK_KINDS:
        return error_response(404, _("A Board pack holds the files %(kinds)s, not '%(kind)s'.",
                                     kinds=", ".join(PACK_KINDS), kind=kind), parameter="kind",
                              valid=list(PACK_KINDS), links=links)
    found = pack_file(slug, kind)
    if found is None:
        return error_response(404, _("This file of the Board pack has not been made yet: the Secretariat makes the "
                                     "pack on the meeting's page."), links=[(f"/meetings/{slug}", _("The meeting"))])
    name, content = found
    return Response(content, mimetype=MEDIA_TYPES[kind], headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"})


def register_packs(server: Flask) -> None:
    server.register_blueprint(downloads)
