"""What a Board meeting costs in the store, and what reading as of one costs (README 'Board meetings').

    .venv/bin/python bench/meeting_storage.py                 # the real store, SQLite and PostgreSQL
    .venv/bin/python bench/meeting_storage.py --synthetic     # also the synthetic store on PostgreSQL (10,000
                                                              # members, 2 million participation rows; minutes)

For each store: record a meeting, then a script of writes (events with their members, fee payments, member edits,
plan statuses), then a second meeting; print the rows and bytes each meeting added (its own row, and the history
rows the writes between the meetings left), the whole store's size for scale, and the time of a few page queries
read as of the first meeting against the same queries today. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from db import models as m  # noqa: E402
from db.asof import reading_as_of  # noqa: E402
from db.commands import meetings, records  # noqa: E402
from db.commands.base import Actor, run_command  # noqa: E402
from db.queries import engagement, events  # noqa: E402
from db.queries import meetings as meeting_queries  # noqa: E402
from db.session import Session, make_engine  # noqa: E402
from seed.load import init_store  # noqa: E402
from tests.conftest import temporary_database  # noqa: E402

SECRETARIAT = Actor(user_id=None, name="Benchmark", role="secretariat")
WRITES = 20  # of each kind between the two meetings


def history_rows(session) -> int:
    return sum(session.scalar(select(func.count()).select_from(t)) for t in m.HISTORY_TABLES.values())


def table_bytes(session, names: list[str]) -> int:
    if session.bind.dialect.name == "postgresql":  # the rows themselves (pages are allocated 8 kB at a time)
        return int(sum(session.execute(text(f'SELECT COALESCE(SUM(pg_column_size(t.*)), 0) FROM "{n}" AS t'))
                       .scalar() for n in names))
    try:
        listed = ", ".join(f"'{n}'" for n in names)  # the history tables' own names, never input
        return int(session.execute(text(f"SELECT SUM(pgsize) FROM dbstat WHERE name IN ({listed})")).scalar() or 0)
    except Exception:  # noqa: BLE001 - SQLite built without the dbstat table: say so
        return -1


def store_bytes(session) -> int:
    if session.bind.dialect.name == "postgresql":
        return int(session.execute(text("SELECT pg_database_size(current_database())")).scalar())
    page_size = session.execute(text("PRAGMA page_size")).scalar()
    return int(session.execute(text("PRAGMA page_count")).scalar() * page_size)


def measure(session_rows, label: str):
    with Session() as s:
        names = [t.name for t in m.HISTORY_TABLES.values()] + ["board_meeting"]
        return {"history_rows": history_rows(s), "meetings": s.scalar(select(func.count(m.BoardMeeting.id))),
                "bytes": table_bytes(s, names), "store_bytes": store_bytes(s)}


def write_script(year: int) -> None:
    with Session() as s:
        names = list(s.scalars(select(m.Member.name).where(m.Member.honorary.is_(False)).order_by(m.Member.id)
                               .limit(WRITES * 3)))
        slugs = list(s.scalars(select(m.Member.slug).where(m.Member.honorary.is_(False)).order_by(m.Member.id)
                               .limit(WRITES)))
    for i in range(WRITES):
        run_command(records.record_event, SECRETARIAT, {
            "title": f"Benchmark event {i}", "start_date": f"{year}-03-{1 + i % 28:02d}", "online": True,
            "kind": "learning", "metropolis_role": "organised", "members": names[i:i + 5]}, what="bench")
        run_command(records.record_fee_payment, SECRETARIAT,
                    {"member": names[WRITES + i], "fee_year": year, "paid": True}, what="bench")
        run_command(records.update_member, SECRETARIAT, slugs[i], {"coord_note": f"benchmark edit {i}"}, what="bench")


def timed(fn, reps: int = 5) -> float:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(label: str, url: str, *, seeded: bool) -> None:
    engine = make_engine(url)
    if seeded:
        init_store(engine)
    Session.configure(bind=engine)
    year = dt.date.today().year  # a year no document printed: writes for it are accepted
    start = measure(None, label)
    first = run_command(meetings.record_meeting, SECRETARIAT, name="Benchmark meeting A", held_on="2021-03-12",
                        what="bench")
    after_first = measure(None, label)
    write_script(year)
    run_command(meetings.record_meeting, SECRETARIAT, name="Benchmark meeting B", held_on="2021-06-12", what="bench")
    after_second = measure(None, label)
    with Session() as s:
        frozen = meeting_queries.meeting(s, first["slug"])["frozen"]

    def pages():
        with Session() as s:
            engagement.engagement_by_region(s, year=year)
            events.events_in_year(s, year=year)
    live_ms = timed(pages)
    with reading_as_of(frozen):
        asof_ms = timed(pages)
    print(f"\n{label}")
    print(f"  store: {start['store_bytes'] / 1e6:.1f} MB before any meeting")
    print(f"  meeting A recorded on the store as seeded: +{after_first['history_rows'] - start['history_rows']} "
          f"history rows, +1 meeting row, +{(after_first['bytes'] - start['bytes']) / 1e3:.1f} kB in the history "
          f"and meeting tables ({'rows' if 'postgresql' in label else 'pages'})")
    print(f"  {WRITES} events (5 members each), {WRITES} fee payments, {WRITES} member edits, then meeting B: "
          f"+{after_second['history_rows'] - after_first['history_rows']} history rows, "
          f"+{(after_second['bytes'] - after_first['bytes']) / 1e3:.1f} kB")
    print(f"  engagement by region + events of {year}: today {live_ms:.1f} ms, as of meeting A {asof_ms:.1f} ms "
          "(median of 5)")
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic", action="store_true", help="also the synthetic store on PostgreSQL")
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql"):
        with temporary_database(backend, Path(tempfile.mkdtemp())) as url:
            run(f"real store, {backend}", url, seeded=True)
    if args.synthetic:
        from seed.synthetic import Scale, generate  # noqa: PLC0415 - only this option needs the generator

        with temporary_database("postgresql", Path(tempfile.mkdtemp())) as url:
            start = time.perf_counter()
            generate(url, Scale(), protected=[], replace=True)
            print(f"\n(synthetic store generated in {time.perf_counter() - start:.0f} s)")
            run("synthetic store, postgresql", url, seeded=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
