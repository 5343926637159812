"""The command-line tools on a store that is not set up: one line saying what to run (never a traceback, never an
empty SQLite file left behind); after `python -m seed init` they work; the embedded store is prepared as the app
prepares it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import load_settings
from dashboard.store import StoreNotReady, check_store, open_store
from db.session import Session

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], url: str, tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "SEED_ON_START": "true"}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, input=stdin,
                          timeout=300)


COMMANDS = [
    ["-m", "dashboard.export", "deck", "--region", "Europe", "--year", "2020", "-o", "board.pptx"],
    ["-m", "dashboard.export", "image", "gender-parity", "--format", "csv", "-o", "gender.csv"],
    ["-m", "dashboard.users", "list"],
    ["-m", "dashboard.users", "create", "--email", "ana@metropolis.example", "--name", "Ana", "--role", "secretariat",
     "--password-stdin"],
]


def test_commands_on_a_new_store_say_what_to_run_first(tmp_path):
    store = tmp_path / "new.sqlite3"
    url = f"sqlite:///{store}"
    for args in COMMANDS:
        args = [a if not a.endswith((".pptx", ".csv")) else str(tmp_path / a) for a in args]
        result = run(args, url, tmp_path, stdin="correct horse battery staple\n")
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert lines == [f"error: there is no store at {url}: run `.venv/bin/python -m seed init` first (with the same "
                         "DATABASE_URL)"], args
        assert not store.exists() and not (tmp_path / "board.pptx").exists()


def test_after_db_init_the_commands_work(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    assert run(["-m", "db", "migrate"], url, tmp_path).returncode == 0
    migrated_only = run(["-m", "dashboard.users", "list"], url, tmp_path)
    assert migrated_only.returncode == 0 and migrated_only.stdout == ""  # migrated, no users yet: an empty list
    init = run(["-m", "seed", "init"], url, tmp_path)
    assert init.returncode == 0 and init.stdout.startswith("seeded:"), init.stderr
    out = tmp_path / "gender.csv"
    export = run(["-m", "dashboard.export", "image", "gender-parity", "--format", "csv", "-o", str(out)], url, tmp_path)
    assert export.returncode == 0, export.stderr
    assert "Women's share" in out.read_text(encoding="utf-8")
    created = run(COMMANDS[3], url, tmp_path, stdin="correct horse battery staple\n")
    assert created.returncode == 0 and "created ana@metropolis.example" in created.stdout, created.stderr


def test_db_init_points_to_seed_init(tmp_path):
    """The store's CLI never imports the seed (db knows nothing of seed/): `db init` names the command that moved."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    result = run(["-m", "db", "init"], url, tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == "error: migrating and seeding is `.venv/bin/python -m seed init` (same options)"
    assert not (tmp_path / "store.sqlite3").exists()


def test_an_empty_or_old_store_is_named(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()  # what the command line used to leave behind
    with pytest.raises(StoreNotReady, match="has no tables yet: run `.venv/bin/python -m seed init` first"):
        check_store(f"sqlite:///{empty}")
    with pytest.raises(StoreNotReady, match="is not reachable"):
        check_store("postgresql+psycopg://nobody@127.0.0.1:1/nothing")


def test_the_embedded_store_is_prepared_as_the_app_prepares_it(tmp_path):
    """With SEED_ON_START and the embedded store (here a temporary stand-in for instance/metropolis.sqlite3), a
    command migrates and seeds it first; with SEED_ON_START=false it says what to run."""
    url = f"sqlite:///{tmp_path / 'instance' / 'metropolis.sqlite3'}"
    previous = Session.kw.get("bind")
    try:
        with pytest.raises(StoreNotReady, match="there is no store"):
            open_store(load_settings({"DATABASE_URL": url, "SEED_ON_START": "false"}), embedded_url=url)
        engine = open_store(load_settings({"DATABASE_URL": url}), embedded_url=url)
        with Session() as session:
            from db.queries.members import member_list

            assert len(member_list(session)) == 142
        engine.dispose()
        check_store(url)  # ready now
    finally:
        Session.configure(bind=previous)
