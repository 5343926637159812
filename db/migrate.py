"""Run the Alembic migrations of the store programmatically (tests, `python -m db`, first start).

Alembic is imported by the functions that use it, not at the top: with it come Mako and Pygments, about 14 MB in
every process that imports the store's code, and a dashboard worker in production never migrates (README 'Speed':
memory per worker)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

if TYPE_CHECKING:
    from alembic.config import Config

ALEMBIC_INI = Path(__file__).resolve().parent / "alembic.ini"


def alembic_config(*, url: str | None = None, connection: Connection | None = None) -> Config:
    """Return the Alembic config bound to `connection` (preferred) or `url`, without touching logging."""
    from alembic.config import Config  # lazily: see the module's docstring

    config = Config(str(ALEMBIC_INI))
    config.attributes["configure_logging"] = False
    if connection is not None:
        config.attributes["connection"] = connection
    if url is not None:
        config.attributes["url"] = url
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Migrate the database of `connection` to `revision`, inside the caller's transaction."""
    from alembic import command  # lazily: see the module's docstring

    command.upgrade(alembic_config(connection=connection), revision)


def head_revision() -> str:
    from alembic.script import ScriptDirectory  # lazily: see the module's docstring

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext  # lazily: see the module's docstring

    return MigrationContext.configure(connection).get_current_revision()
