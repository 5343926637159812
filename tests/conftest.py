"""Shared fixtures: temporary SQLite and PostgreSQL stores, seeded once per test session."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from db.session import Session, make_engine
from seed.load import SEED_DIR, init_store

ROOT = Path(__file__).resolve().parent.parent
# An existing PostgreSQL database to connect to; each test run creates and drops its own databases there.
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


@contextlib.contextmanager
def temporary_database(backend: str, directory: Path) -> Iterator[str]:
    """Yield the URL of a new, empty database; drop it afterwards."""
    if backend == "sqlite":
        path = directory / f"store-{uuid.uuid4().hex[:8]}.sqlite3"
        yield f"sqlite:///{path}"
        path.unlink(missing_ok=True)
        return
    # pre-ping: the server may have restarted since CREATE DATABASE (tests/prod restarts it), leaving a dead
    # pooled connection that would otherwise fail the DROP
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    name = f"metropolis_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as err:  # noqa: BLE001 - turn any connection problem into one clear message
        admin.dispose()
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} ({err.__class__.__name__}); start it "
                    "(see README 'Tests') or set TEST_POSTGRES_URL", pytrace=False)
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def store_engine(request, tmp_path_factory):
    """An engine on a migrated, seeded store, one per backend for the whole session."""
    with temporary_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        engine = make_engine(url)
        init_store(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def session(store_engine):
    """A session on the seeded store (read-only use)."""
    with Session(bind=store_engine) as s:
        yield s


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path) -> Iterator[str]:
    """The URL of a new, empty database on each backend."""
    with temporary_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A writable copy of the seed folder, to break files in."""
    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


@pytest.fixture
def bound_store(store_engine):
    """Bind the app-wide Session factory to the seeded store for code that opens its own sessions."""
    Session.configure(bind=store_engine)
    yield store_engine


@pytest.fixture(scope="session")
def app_database_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('app') / 'app.sqlite3'}"


@pytest.fixture(scope="session")
def dash_app(app_database_url):
    """The dashboard's app module, imported once against a temporary SQLite store it seeds itself."""
    # app.py builds the app at import (gunicorn's `app:server`) from load_settings(); the store is named for that
    # import only, through pytest's MonkeyPatch (undone as soon as the module is built).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", app_database_url)
        patch.setenv("SEED_ON_START", "true")
        import app as app_module
    return app_module


@pytest.fixture
def app_store(dash_app, app_database_url):
    """Bind the app-wide Session to the app's store (other tests may have rebound it)."""
    engine = make_engine(app_database_url)
    Session.configure(bind=engine)
    yield engine
    engine.dispose()


def bind_store_copy(dash_app, app_database_url: str, copy: Path):
    """Copy the app's seeded SQLite store to `copy`, bind the app-wide Session to it and clear the cache (its keys
    name data versions, not stores); return the copy's engine."""
    import sqlite3

    from dashboard.cache import cache

    with sqlite3.connect(make_url(app_database_url).database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    engine = make_engine(f"sqlite:///{copy}")
    Session.configure(bind=engine)
    with dash_app.server.app_context():
        cache.clear()
    return engine


@pytest.fixture
def app_store_copy(dash_app, app_database_url, tmp_path):
    """A private copy of the app's seeded store, bound app-wide, for a test that writes; the cache is cleared
    before and after (its keys name data versions, not stores)."""
    from dashboard import prewarm
    from dashboard.cache import cache

    engine = bind_store_copy(dash_app, app_database_url, tmp_path / "app-copy.sqlite3")
    yield engine
    prewarm.wait()  # a write's background warm-up reads this store: let it finish before the store goes
    with dash_app.server.app_context():
        cache.clear()
    engine.dispose()
    Session.configure(bind=make_engine(app_database_url))


PASSWORD = "correct horse battery staple"


def create_user(engine, *, email: str, role: str, region: str | None = None, name: str | None = None,
                active: bool = True) -> int:
    """A user with the password PASSWORD (idempotent by e-mail); returns its id."""
    from sqlalchemy import select

    from dashboard.auth import hash_password
    from db import models as m
    from db.commands.users import create_user as create

    with Session(bind=engine) as session, session.begin():
        existing = session.scalar(select(m.UserAccount).where(m.UserAccount.email == email))
        if existing is not None:
            existing.active = active
            return existing.id
        user = create(session, email=email, name=name or email.split("@")[0], role=role, region=region,
                      password_hash=hash_password(PASSWORD))
        user.active = active
        return user.id


def seed_store(url: str, *users: dict) -> None:
    """Migrate and seed the store at `url`, then create `users` (create_user's keyword arguments)."""
    engine = make_engine(url)
    try:
        init_store(engine)
        for user in users:
            create_user(engine, **user)
    finally:
        engine.dispose()


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign in through the login form (with its CSRF token); return the response."""
    import re

    page = client.get("/login")
    token = re.search(r"name='csrf_token' value='([^']+)'", page.get_data(as_text=True)).group(1)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def csrf_headers(client) -> dict:
    """The X-CSRFToken header a signed-in page's script would send (from the _csrf_token cookie)."""
    client.get("/api/v1/version")
    cookie = client.get_cookie("_csrf_token")
    return {"X-CSRFToken": cookie.value if cookie else ""}


@pytest.fixture
def web_app(bound_store, tmp_path):
    """A Flask app with the API, the write endpoints and sign-in (no Dash), on the seeded store."""
    from flask import Flask

    from dashboard.api import register_api
    from dashboard.auth import init_auth
    from dashboard.records_api import register_records

    app = Flask(__name__)
    init_auth(app, secret="test-secret-" + "x" * 20, cookie_secure=False, public_access="aggregates")
    register_api(app)
    register_records(app, max_upload_mb=1)
    return app


def api_app():
    """The dashboard's HTTP layer without Dash: sign-in, the API, the write endpoints and the 503 handlers, on the
    store the app-wide Session is bound to."""
    from flask import Flask

    from dashboard.api import register_api
    from dashboard.auth import init_auth
    from dashboard.health import register_health
    from dashboard.records_api import register_records

    app = Flask(__name__)
    init_auth(app, secret="test-secret-" + "x" * 20, cookie_secure=False, public_access="aggregates")
    register_api(app)
    register_health(app)
    register_records(app, max_upload_mb=1)
    app.add_url_rule("/", "home", lambda: "signed in")  # where sign-in sends the user (Dash's pages are not here)
    return app


@contextlib.contextmanager
def threaded_server(app) -> Iterator[str]:
    """Serve `app` on a free port of 127.0.0.1 with a thread per request (as the app's servers do); yield its URL."""
    import threading

    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
