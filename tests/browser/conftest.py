"""Browser fixtures: the app served by a real process on 127.0.0.1, and Debian's headless Chromium."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _chromium() -> str:
    path = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it) or set BROWSER_PATH",
                    pytrace=False)
    return path


def dash_id(component_id: dict) -> str:
    """A CSS selector for a pattern-matching Dash id (Dash writes it as compact JSON with sorted keys)."""
    return "[id='" + json.dumps(component_id, sort_keys=True, separators=(",", ":")) + "']"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(workdir: Path, database_url: str, *, seed: bool = True) -> Iterator[str]:
    """Run `python app.py` on a free port against `database_url`; yield its base URL. Fails the test if the
    server does not start, and afterwards if it logged a traceback."""
    if not (ROOT / "assets" / "vendor" / "bootstrap" / "bootstrap.min.css").exists():
        pytest.fail("front-end files are not installed: run `make install` (README 'Run')", pytrace=False)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PORT": str(port), "HOST": "127.0.0.1",
           "SEED_ON_START": "true" if seed else "false", "LOG_LEVEL": "WARNING", "DASH_DEBUG": "false"}
    log = open(workdir / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "/api/v1/", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the app did not start: {(workdir / 'server.log').read_text()[-2000:]}", pytrace=False)
        time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    errors = [line for line in (workdir / "server.log").read_text().splitlines() if "Traceback" in line]
    assert not errors, "the server logged tracebacks during the browser tests"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on a free port against a fresh SQLite store seeded from seed/; yields its base URL."""
    workdir = tmp_path_factory.mktemp("server")
    with serve(workdir, f"sqlite:///{workdir / 'store.sqlite3'}") as url:
        yield url


# the Secretariat users of the groups that sign in but never write (test_a11y, test_keyboard, test_reflow): they
# share one server (staff_server), each signing in as its own user
READ_ONLY_STAFF = [{"email": "a11y-sec@metropolis.test", "role": "secretariat", "name": "Ana"},
                   {"email": "reflow-sec@metropolis.test", "role": "secretariat", "name": "Rae"},
                   {"email": "a11y-europe@metropolis.test", "role": "regional_secretary", "region": "Europe",
                    "name": "Barbara"}]
# the Board meeting recorded in staff_server's store before it starts, so that the meeting pages have one to show
STAFF_MEETING = {"name": "Board of Directors", "held_on": "2020-11-12", "note": "Annual review"}
STAFF_MEETING_SLUG = "2020-11-12"


@pytest.fixture(scope="session")
def staff_server(tmp_path_factory):
    """The app on a fresh seeded SQLite store with the READ_ONLY_STAFF users and STAFF_MEETING; yields its base URL.
    Started once for the groups that only read (a start and a seeding cost seconds each, many more on a loaded
    machine)."""
    from sqlalchemy.orm import sessionmaker

    from db.commands import meetings
    from db.commands.base import Actor
    from db.session import StoreSession, make_engine, write_session
    from tests.conftest import seed_store

    workdir = tmp_path_factory.mktemp("staff")
    url = f"sqlite:///{workdir / 'store.sqlite3'}"
    seed_store(url, *READ_ONLY_STAFF)
    engine = make_engine(url)
    try:
        with write_session(sessionmaker(bind=engine, class_=StoreSession, expire_on_commit=False)) as session:
            slug = meetings.record_meeting(session, Actor(None, "Ana", "secretariat"), **STAFF_MEETING)["slug"]
    finally:
        engine.dispose()
    assert slug == STAFF_MEETING_SLUG
    with serve(workdir, url, seed=False) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@contextlib.contextmanager
def new_tab(browser, *, width: int = 1440, height: int = 900, timeout: int = 20000, **options):
    """A page in a new browser profile (its own cookies and cache) of `width` x `height`, closed afterwards; its
    console errors and uncaught exceptions collect in `page.errors`. `options` go to Playwright's new_context
    (bypass_csp=True where axe is injected, reduced_motion, locale ...)."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    try:
        page = context.new_page()
        page.set_default_timeout(timeout)
        page.errors = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        yield page
    finally:
        context.close()


class Watched:
    """A page plus what it logged and requested."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = getattr(page, "errors", None)
        if self.errors is None:  # a page not opened by new_tab
            self.errors = []
            page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.outside: list[str] = []
        self.requested: list[str] = []
        page.on("request", self._request)

    def _request(self, request) -> None:
        self.requested.append(request.url)
        if not request.url.startswith((self.base_url, "data:", "blob:", "about:")):
            self.outside.append(request.url)

    def open(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def watched(browser, live_server):
    with new_tab(browser) as page:
        yield Watched(page, live_server)
