"""Benchmark of a Board pack: how long the job takes to make each file (the CSV zip, the deck of every page, the
printed pages) on the curated store, and how large they are.

    .venv/bin/python bench/pack_bench.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test] [--runs 2]

Makes a fresh store seeded from seed/ (SQLite in a temporary folder, or a new database on the PostgreSQL server
given, dropped afterwards), records a Board meeting, and asks for its pack as the Secretariat would (POST
/api/v1/meetings/<slug>/pack, then polling its state), in this process: the job's thread, its kaleido renderer and
its printing Chromium are this process's. Each run is a new meeting (nothing is reused but the warm renderer and
the cache). Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

EMAIL, PASSWORD = "bench@metropolis.org", "bench password " + uuid.uuid4().hex


def _database(url: str | None, tmp: str) -> tuple[str, callable]:
    """The URL of a new, empty store and a function dropping it."""
    if url is None:
        return f"sqlite:///{tmp}/pack-bench.sqlite3", lambda: None
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"metropolis_pack_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False), drop


def _seconds(file: dict) -> float:
    return (dt.datetime.fromisoformat(file["finished_at"]) - dt.datetime.fromisoformat(file["started_at"])).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server to make the store on (default: SQLite)")
    parser.add_argument("--runs", type=int, default=2, help="packs to make, one meeting each (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = _database(args.database_url, tmp)
        try:
            os.environ.update(DATABASE_URL=url, SEED_ON_START="true", LOG_LEVEL="WARNING")
            import app as app_module  # builds the app on that store (migrated and seeded)
            from dashboard.auth import hash_password
            from db.commands.base import Actor, run_command
            from db.commands.meetings import record_meeting
            from db.commands.users import create_user
            from db.session import Session

            with Session() as session, session.begin():
                user = create_user(session, email=EMAIL, name="Bench", role="secretariat", region=None,
                                   password_hash=hash_password(PASSWORD))
                session.flush()
                actor = Actor(user.id, "Bench", "secretariat")
            server = app_module.server
            client = server.test_client()
            page = client.get("/login").get_data(as_text=True)
            token = page.split("name='csrf_token' value='")[1].split("'")[0]
            client.post("/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
            client.get("/api/v1/version")
            csrf = {"X-CSRFToken": client.get_cookie("_csrf_token").value}
            print(f"store: {make_url(url).get_backend_name()} (the curated store), {os.cpu_count()} cores")
            print(f"{'run':>3} {'csv s':>7} {'deck s':>7} {'pdf s':>7} {'total s':>8}   sizes (csv, deck, pdf)")
            for run in range(1, args.runs + 1):
                slug = run_command(record_meeting, actor, name=f"Bench meeting {run}",
                                   held_on=dt.date(2021, 1, run).isoformat(), what="record")["slug"]
                start = time.perf_counter()
                answer = client.post(f"/api/v1/meetings/{slug}/pack", headers=csrf)
                assert answer.status_code == 202, answer.get_data(as_text=True)
                while True:
                    state = client.get(f"/api/v1/meetings/{slug}/pack").get_json()
                    if not state["running"]:
                        break
                    time.sleep(0.5)
                total = time.perf_counter() - start
                files = {f["kind"]: f for f in state["files"]}
                failed = [f"{k}: {f['error']}" for k, f in files.items() if f["status"] != "done"]
                if failed:
                    print(f"{run:>3} failed: {failed}")
                    continue
                sizes = ", ".join(f"{files[k]['size'] / 1e6:.2f} MB" for k in ("csv", "deck", "pdf"))
                print(f"{run:>3} {_seconds(files['csv']):7.1f} {_seconds(files['deck']):7.1f} "
                      f"{_seconds(files['pdf']):7.1f} {total:8.1f}   {sizes}; {files['deck']['total']} slides, "
                      f"{files['pdf']['total']} pages printed, {files['csv']['total'] - 1} CSV files")
        finally:
            drop()


if __name__ == "__main__":
    main()
