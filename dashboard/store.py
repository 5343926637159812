"""The store as the command-line tools open it: prepared as the app prepares it, or one line saying what to run.

With SEED_ON_START (the default) and the embedded SQLite store (DATABASE_URL unset), a command migrates and seeds
the store first, as `make run` would at the app's first start, so a fresh checkout's `python -m dashboard.export
deck ...` works at once. Any other store (PostgreSQL, another file) is never changed implicitly: a command checks
it is migrated to the current revision and otherwise stops with one line naming what to run (`python -m seed init`),
without leaving an empty SQLite file behind.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, make_url
from sqlalchemy.exc import InterfaceError, OperationalError

from config.settings import DEFAULT_DATABASE_URL, Settings
from db.migrate import current_revision, head_revision
from db.session import init_engine, make_engine
from seed.load import SeedError, init_store

logger = logging.getLogger(__name__)

INIT_COMMAND = ".venv/bin/python -m seed init"


class StoreNotReady(Exception):
    """The store cannot be used as it is; `str(err)` is one line for the user, naming what to run."""


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _missing_sqlite_file(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:" \
            or parsed.database.startswith("file:"):
        return False
    return not Path(parsed.database).exists()


def check_store(url: str) -> None:
    """Raise StoreNotReady unless the store at `url` exists and is migrated to head (nothing is created)."""
    if _missing_sqlite_file(url):
        raise StoreNotReady(f"there is no store at {_shown(url)}: run `{INIT_COMMAND}` first (with the same "
                            "DATABASE_URL)")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            revision = current_revision(conn)
    except (OperationalError, InterfaceError) as err:
        reason = " ".join(str(err.orig or err).split())[:160]
        raise StoreNotReady(f"the database at {_shown(url)} is not reachable ({reason})") from None
    finally:
        engine.dispose()
    head = head_revision()
    if revision is None:
        raise StoreNotReady(f"the store at {_shown(url)} has no tables yet: run `{INIT_COMMAND}` first (with the "
                            "same DATABASE_URL)")
    if revision != head:
        raise StoreNotReady(f"the store at {_shown(url)} is at migration {revision}, not {head}: run "
                            f"`{INIT_COMMAND}` first (with the same DATABASE_URL)")


def open_store(settings: Settings, *, embedded_url: str = DEFAULT_DATABASE_URL) -> Engine:
    """Bind the app-wide Session to the store of `settings` and return its engine: the embedded store is migrated
    and seeded first when SEED_ON_START is set (as the app does); any other store must be ready already.
    Raise StoreNotReady (one line for the user) when it cannot be used."""
    url = settings.database_url
    if settings.seed_on_start and url == embedded_url:
        engine = init_engine(url)
        try:
            result = init_store(engine)
        except SeedError as err:
            raise StoreNotReady(f"the seed files cannot be loaded ({err}); the store was not changed") from None
        if result.seeded:
            logger.warning("prepared the embedded store %s (migrated and seeded)", _shown(url))
        return engine
    check_store(url)
    return init_engine(url)
