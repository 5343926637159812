"""Engine and session factory. The caller owns each session (`with Session() as s:` / `Session.begin()`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from db import asof

logger = logging.getLogger(__name__)


class StoreSession(OrmSession):
    """A session that reads the store as of a Board meeting inside db.asof.reading_as_of (through the as-of
    engine of its bind), and the store as it is otherwise."""

    def get_bind(self, *args, **kwargs):
        bind = super().get_bind(*args, **kwargs)
        if asof.frozen() is None or not isinstance(bind, Engine):
            return bind
        if self.info.get("versioned_write"):  # a write never goes through the read-only views
            raise RuntimeError("a write cannot be made while reading the store as of a Board meeting")
        return asof.asof_engine(bind, make_engine)


Session = sessionmaker(class_=StoreSession, expire_on_commit=False)

# How long a write waits for another one to finish before it gives up ("the store is busy").
BUSY_TIMEOUT_SECONDS = 30


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine for `url`; SQLite gets foreign keys enforced and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {}).setdefault("timeout", BUSY_TIMEOUT_SECONDS)
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection, _record) -> None:
    # pysqlite would otherwise begin transactions late and commit around DDL, so a failed
    # migrate-and-seed could leave half a store; SQLAlchemy's documented recipe emits BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Write-ahead logging: readers never hold a writer up, nor a writer the readers. With the default rollback
    # journal, a thread reading on two connections at once (a page and a Board meeting's as-of view, as the cache
    # warm-up builds them after a write) deadlocked with a writer waiting to commit: the next write waited the
    # whole busy timeout and answered 503. An in-memory store keeps its own journal (the pragma answers 'memory').
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # `sqlite_begin="IMMEDIATE"` takes the write lock at once (used by the one-transaction init).
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


# The key of the PostgreSQL advisory lock every write transaction takes (the init of the store uses 8050141).
WRITE_LOCK_KEY = 8050142


@contextmanager
def write_session(factory: sessionmaker = Session) -> Iterator[OrmSession]:
    """Open a session in a write transaction that holds the store's write lock from its first statement;
    commit on success, roll back on an exception.

    Writers wait for each other (up to the busy timeout) instead of failing: on SQLite the transaction begins
    IMMEDIATE (a deferred one that has read cannot take the lock later, and SQLite answers "database is
    locked" at once, without waiting); on PostgreSQL an advisory lock orders the writers, so what a command
    reads before it writes (the row it updates, whether a fee row exists) is not changed under it.
    """
    with factory() as session, session.begin():
        session.info["versioned_write"] = True  # db.history keeps the states this write replaces
        connection = session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        if connection.dialect.name == "postgresql":
            # wait as long as SQLite's busy timeout, then fail (mapped to "the store is busy", never a hang)
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{BUSY_TIMEOUT_SECONDS}s'")
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
        yield session


def init_engine(url: str, **kwargs) -> Engine:
    """Create the engine for `url` and bind the module's `Session` factory to it."""
    engine = make_engine(url, **kwargs)
    Session.configure(bind=engine)
    logger.info("database: %s", engine.url.render_as_string(hide_password=True))
    return engine


def ping(session: OrmSession) -> None:
    """Ask the database for nothing (SELECT 1): raises DBAPIError when it cannot be reached."""
    session.execute(text("SELECT 1"))


def unusable(engine: Engine, err: OperationalError | InterfaceError) -> str:
    """One line for the command line saying why the database at `engine` cannot be used (no password shown)."""
    reason = " ".join(str(err.orig or err).split())[:160]
    return f"error: the database at {engine.url.render_as_string(hide_password=True)} cannot be used ({reason})"
