"""Migrations: upgrade to head, models and migrations agree, downgrade to base, on both backends."""

from alembic import command
from sqlalchemy import inspect

from db.migrate import alembic_config, head_revision
from db.models import Base
from db.session import make_engine


def test_upgrade_check_downgrade(empty_database):
    engine = make_engine(empty_database)
    with engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), "head")
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with engine.begin() as conn:
        command.check(alembic_config(connection=conn))  # raises if models and migrations drifted
    with engine.begin() as conn:
        command.downgrade(alembic_config(connection=conn), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_single_head():
    assert head_revision()
