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


def test_unknown_cells_migration_makes_the_columns_nullable_and_back(empty_database):
    """0004 lets engagement counts and fee payments be unknown (NULL); its downgrade turns them into 0/false."""
    from sqlalchemy import text

    from seed.load import init_store

    engine = make_engine(empty_database)
    init_store(engine)  # head: Tehran's six unreadable cells are NULL
    columns = {c["name"]: c for c in inspect(engine).get_columns("engagement")}
    assert columns["learning_activities"]["nullable"] and columns["call_endorsement"]["nullable"]
    assert not columns["pilot_projects"]["nullable"]
    tehran = "(SELECT id FROM member WHERE name = 'Tehran')"
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT learning_activities, call_endorsement FROM engagement "
                                 f"WHERE member_id = {tehran}")).one() == (None, None)
    with engine.begin() as conn:
        command.downgrade(alembic_config(connection=conn), "0003")
    with engine.connect() as conn:
        row = conn.execute(text(f"SELECT learning_activities, board_meetings, call_endorsement FROM engagement "
                                f"WHERE member_id = {tehran}")).one()
        paid = conn.execute(text(f"SELECT paid FROM fee_payment WHERE member_id = {tehran}")).scalar_one()
    assert (row[0], row[1], bool(row[2]), bool(paid)) == (0, 0, False, False)
    assert not {c["name"]: c for c in inspect(engine).get_columns("engagement")}["learning_activities"]["nullable"]
    with engine.begin() as conn:
        command.upgrade(alembic_config(connection=conn), "head")
    assert {c["name"]: c for c in inspect(engine).get_columns("fee_payment")}["paid"]["nullable"]
    engine.dispose()
