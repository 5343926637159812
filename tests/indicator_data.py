"""The synthetic per-member indicator values the tests import (tests/fixtures/synthetic_indicator_values.csv:
made-up figures for the tests only, never Metropolis data), imported the way the Record page imports a file."""

from __future__ import annotations

from pathlib import Path

from db.commands import imports
from db.commands.base import Actor
from db.session import Session

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "synthetic_indicator_values.csv"
SECRETARIAT = Actor(user_id=None, name="Test import", role="secretariat")


def import_fixture(engine, path: Path = FIXTURE):
    """Import the fixture file into the store of `engine` through the import command; return its report."""
    from dashboard.uploads import read_table  # the upload reader the Record page uses (dashboard layer)

    header, rows = read_table(path.name, path.read_bytes(), max_bytes=1_000_000)
    imports.check_columns("indicators", header)
    with Session(bind=engine) as session, session.begin():
        report = imports.run_import(session, SECRETARIAT, "indicators", rows, commit=True)
    assert report.committed, [p.message for p in report.problems]
    return report
