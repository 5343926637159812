"""Engine and session factory. The caller owns each session (`with Session() as s:` / `Session.begin()`)."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import sessionmaker

logger = logging.getLogger(__name__)

Session = sessionmaker(expire_on_commit=False)


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine for `url`; SQLite gets foreign keys enforced and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {}).setdefault("timeout", 30)
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
    cursor.close()


def _sqlite_begin(connection) -> None:
    # `sqlite_begin="IMMEDIATE"` takes the write lock at once (used by the one-transaction init).
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def init_engine(url: str, **kwargs) -> Engine:
    """Create the engine for `url` and bind the module's `Session` factory to it."""
    engine = make_engine(url, **kwargs)
    Session.configure(bind=engine)
    logger.info("database: %s", engine.url.render_as_string(hide_password=True))
    return engine
