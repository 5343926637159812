"""Run the Alembic migrations of the store programmatically (tests, `python -m db`, first start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def alembic_config(*, url: str | None = None, connection: Connection | None = None) -> Config:
    """Return the Alembic config bound to `connection` (preferred) or `url`, without touching logging."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["configure_logging"] = False
    if connection is not None:
        config.attributes["connection"] = connection
    if url is not None:
        config.attributes["url"] = url
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Migrate the database of `connection` to `revision`, inside the caller's transaction."""
    command.upgrade(alembic_config(connection=connection), revision)


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
