"""Synthetic data at scale, for benchmarks: `python -m seed.synthetic <database-url>` (README 'Benchmarks').

Writes a whole store from a fixed seed: members with leadership, fees, website presence and indicator values;
events with the members they activated and the deliverables they served; bilateral meetings; action plans with
yearly statuses. Every row points to the SYNTHETIC source, every name says "Synthetic", and the dashboard shows a
banner on every page of such a store. It is never Metropolis data.

It only writes into the database named on its command line, in one transaction, and refuses the dashboard's
own store (DATABASE_URL or the embedded SQLite file), any database holding a store that is not synthetic, and a
synthetic store unless --replace is given.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, create_engine, func, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from config.settings import SettingsError, load_settings
from db import models as m
from db.migrate import upgrade
from db.reference import EVENT_KINDS, REGIONS, SYNTHETIC_SOURCE_KEY
from db.session import make_engine
from db.versioning import bump_data_version
from seed.load import slugify

logger = logging.getLogger(__name__)


class SyntheticRefused(Exception):
    """The target database must not receive synthetic data (the message says why)."""


@dataclass(frozen=True)
class Scale:
    """How much to generate. The defaults are the benchmark's scale."""

    members: int = 10_000
    first_year: int = 2016
    years: int = 10
    events: int = 50_000
    participations: int = 2_000_000  # event_member rows: a member activated by an event
    bilateral_meetings: int = 30_000
    seed: int = 2020

    def check(self) -> None:
        if self.members < 50 or self.years < 1 or self.events < self.years or self.participations < self.events:
            raise ValueError("need at least 50 members, 1 year, one event per year and one member per event")
        if self.participations > self.events * self.members // 4:
            raise ValueError("too many participations for so few events and members")
        if not 1990 <= self.first_year <= 2090:
            raise ValueError("the first year must be between 1990 and 2090")


# Region shares of the 2020 membership (25, 73, 16, 20, 7 of 141) and a box of latitudes/longitudes per region.
REGION_SHARES = np.array([25, 73, 16, 20, 7]) / 141
REGION_BOXES = [(-34, 35, -17, 50), (-40, 55, 60, 178), (36, 65, -10, 40), (-50, 30, -110, -35), (25, 60, -125, -65)]
KIND_SHARES = {"statutory": 0.06, "wmd": 0.04, "learning": 0.35, "global_event": 0.15, "webinar": 0.30, "other": 0.10}
ROLE_SHARES = {"organised": 0.5, "co_organised": 0.25, "participated": 0.2, "not_stated": 0.05}
PLAN_YEARS = 3  # one synthetic action plan per three years: 4 lines x 3 measures x 4 deliverables
SECTION = "synthetic"


# ---- the target -------------------------------------------------------------------------------------------------

def _same_database(a: URL, b: URL) -> bool:
    if a.get_backend_name() != b.get_backend_name():
        return False
    if a.get_backend_name() == "sqlite":
        return bool(a.database and b.database) and Path(a.database).resolve() == Path(b.database).resolve()
    return ((a.host or "localhost"), (a.port or 5432), a.database) == ((b.host or "localhost"), (b.port or 5432),
                                                                        b.database)


def check_target(conn: Connection, url: URL, *, protected: Sequence[str], replace: bool) -> bool:
    """Refuse a target that is the dashboard's store or holds real data; return True when a synthetic store is
    there (to be replaced)."""
    for other in protected:
        if _same_database(url, make_url(other)):
            raise SyntheticRefused("this is the dashboard's own store (DATABASE_URL or the embedded SQLite file); "
                                   "name a separate database for synthetic data")
    names = set(inspect(conn).get_table_names())
    if "source" not in names:
        if names - {"alembic_version"}:
            raise SyntheticRefused(f"the database holds other tables ({', '.join(sorted(names)[:5])}…); "
                                   "name an empty database")
        return False
    keys = set(conn.scalars(select(m.Source.key)))
    filled = conn.scalar(select(func.count()).select_from(m.Member))
    if SYNTHETIC_SOURCE_KEY not in keys:
        if filled or keys - {"DASHBOARD"}:
            raise SyntheticRefused("the database holds a store that is not synthetic (real data); the generator "
                                   "never writes into it")
        return False
    if not replace:
        raise SyntheticRefused("the database already holds a synthetic store; pass --replace to generate it again")
    return True


def _create_postgres_database(url: URL) -> None:
    """Create the PostgreSQL database of `url` when it does not exist (connecting to the server's 'postgres')."""
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{url.database}"'))  # a name cannot be a bound parameter
                logger.info("created database %s", url.database)
    finally:
        admin.dispose()


# ---- writing ----------------------------------------------------------------------------------------------------

def _write(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Bulk-insert `rows` into `table` in the caller's transaction: COPY on PostgreSQL, executemany on SQLite.
    Table and column names come from this module (checked against the models), never from input."""
    known = set(m.Base.metadata.tables[table].c.keys())
    if not set(columns) <= known:  # a programming error here, never bad input: stop before writing
        raise RuntimeError(f"synthetic {table}: no such columns {sorted(set(columns) - known)}")
    raw = conn.connection.driver_connection
    n = 0
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n
    rows = list(rows)
    raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
    return len(rows)


def _cols(*arrays) -> Iterable[tuple]:
    """Rows from column arrays, as plain Python values (numpy scalars are not bound by every driver)."""
    return zip(*[a.tolist() if isinstance(a, np.ndarray) else a for a in arrays])


PROV = ("source_id", "section", "locator")


# ---- generation -------------------------------------------------------------------------------------------------

class Generator:
    """Generates the store table by table (deterministic for a seed), writing as it goes."""

    def __init__(self, conn: Connection, scale: Scale):
        self.conn, self.s = conn, scale
        self.rng = np.random.default_rng(scale.seed)
        self.years = np.arange(scale.first_year, scale.first_year + scale.years)
        self.counts: dict[str, int] = {}

    def write(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        start = time.perf_counter()
        self.counts[table] = self.counts.get(table, 0) + _write(self.conn, table, columns, rows)
        logger.info("%-22s %9d rows  %5.1f s", table, self.counts[table], time.perf_counter() - start)

    def run(self) -> dict[str, int]:
        self.sources()
        self.regions()
        self.members()
        self.plans()
        self.events()
        self.participations()
        self.fees()
        self.bilateral()
        self.website()
        self.indicators()
        self.datasets()
        return self.counts

    def sources(self) -> None:
        s = self.s
        self.conn.execute(m.Source.__table__.insert().values(
            key=SYNTHETIC_SOURCE_KEY, file="", title=f"Synthetic data for benchmarks (seed {s.seed})",
            citation="Synthetic benchmark data, not Metropolis data", publisher="seed.synthetic",
            published=dt.date.today().isoformat(),
            description=(f"{s.members:,} invented members, {s.years} years from {s.first_year}, {s.events:,} "
                         f"events and {s.participations:,} activations, generated by `python -m seed.synthetic` "
                         f"with seed {s.seed}. Every figure is random."),
            reading_notes="Nothing here was read from a document."))
        self.source_id = self.conn.scalar(select(m.Source.id).where(m.Source.key == SYNTHETIC_SOURCE_KEY))
        self.prov = (self.source_id, SECTION, "")

    def regions(self) -> None:
        self.write("region", ("id", "name", "slug", "position"),
                   [(i, name, slugify(name), i) for i, name in enumerate(REGIONS, 1)])

    def members(self) -> None:
        n, rng = self.s.members, self.rng
        ids = np.arange(1, n + 1)
        region = rng.choice(len(REGIONS), size=n, p=REGION_SHARES)
        boxes = np.array(REGION_BOXES, dtype=float)[region]
        lat = np.round(rng.uniform(boxes[:, 0], boxes[:, 1]), 4)
        lon = np.round(rng.uniform(boxes[:, 2], boxes[:, 3]), 4)
        country = rng.integers(1, 13, size=n)
        since = rng.integers(1985, self.s.first_year + 1, size=n)
        # how often each member takes part: heavy-tailed, with a quarter of members nearly dormant
        weight = rng.lognormal(0.0, 1.0, size=n) * np.where(rng.random(n) < 0.25, 0.01, 1.0)
        self.member_region, self.member_weight = region + 1, weight
        self.write("member", ("id", "name", "slug", "official_name", "region_id", "region_ref", "country",
                              "country_code", "latitude", "longitude", "coord_source", "coord_note", "member_since",
                              "member_since_ref", "honorary", "note", *PROV),
                   ((i, f"Synthetic City {i:05d}", f"synthetic-city-{i:05d}",
                     f"Synthetic Metropolitan Government {i:05d}", r, SECTION, f"Synthland {r}-{c:02d}", "ZZ",
                     la, lo, "synthetic: random within the region's box", "", si, SECTION, False,
                     "Synthetic member for benchmarks.", *self.prov)
                    for i, r, c, la, lo, si in _cols(ids, region + 1, country, lat, lon, since)))
        # leadership: an election every four years (staggered), a woman elected one time in three
        first = rng.integers(0, 4, size=n)
        rows = []
        for offset in range(0, self.s.years + 4, 4):
            year = self.s.first_year - 1 + first + offset
            keep = year < self.s.first_year + self.s.years
            woman = rng.random(n) < 0.33
            rows.extend((i, dt.date(int(y), 12, 31), w, *self.prov)
                        for i, y, w in _cols(ids[keep], year[keep], woman[keep]))
        self.write("member_leadership", ("member_id", "as_of", "governed_by_woman", *PROV), rows)

    def plans(self) -> None:
        self.plan_of_year: dict[int, list[int]] = {}
        plans, items, statuses = [], [], []
        item_id = 0
        rng = self.rng
        for p, start in enumerate(range(self.s.first_year, self.s.first_year + self.s.years, PLAN_YEARS), 1):
            end = start + PLAN_YEARS - 1
            plans.append((p, f"SYN {start}-{end}", f"Synthetic action plan {start}-{end}", start, end, *self.prov))
            deliverables = []
            for li in range(1, 5):
                item_id += 1
                line = item_id
                items.append((line, p, None, "line", f"L{li}", f"Synthetic action line {li}", li, True, "",
                              *self.prov))
                for mi in range(1, 4):
                    item_id += 1
                    measure = item_id
                    items.append((measure, p, line, "measure", f"L{li}M{mi}", f"Synthetic measure {li}.{mi}", mi,
                                  True, "", *self.prov))
                    for di in range(1, 5):
                        item_id += 1
                        deliverables.append(item_id)
                        items.append((item_id, p, measure, "deliverable", f"L{li}M{mi}D{di}",
                                      f"Synthetic deliverable {li}.{mi}.{di}", di, True, "", *self.prov))
                        started = start + int(rng.integers(0, PLAN_YEARS))
                        done = started + int(rng.integers(0, PLAN_YEARS + 1))  # past the end: not done in time
                        for year in range(start, min(end, self.s.first_year + self.s.years - 1) + 1):
                            status = "done" if year >= done else "in_progress" if year >= started else "not_done"
                            statuses.append((item_id, year, status, None, "", "", *self.prov))
            for year in range(start, end + 1):
                self.plan_of_year[year] = deliverables
        self.write("action_plan", ("id", "code", "title", "start_year", "end_year", *PROV), plans)
        self.write("plan_item", ("id", "plan_id", "parent_id", "level", "code", "title", "position", "code_printed",
                                 "note", *PROV), items)
        self.write("plan_item_status", ("plan_item_id", "year", "status", "mark_id", "printed", "comment", *PROV),
                   statuses)

    def events(self) -> None:
        e, rng = self.s.events, self.rng
        ids = np.arange(1, e + 1)
        year = self.years[np.sort(rng.integers(0, self.s.years, size=e))]
        day = rng.integers(0, 365, size=e)
        start = [dt.date(int(y), 1, 1) + dt.timedelta(days=int(d)) for y, d in zip(year, day)]
        length = np.where(rng.random(e) < 0.3, rng.integers(1, 4, size=e), 0)
        end = [s + dt.timedelta(days=int(n)) if n else None for s, n in zip(start, length)]
        kind = rng.choice(list(KIND_SHARES), size=e, p=list(KIND_SHARES.values()))
        statutory = np.where(kind == "statutory", rng.choice(["board", "annual_meeting", "other"], size=e,
                                                             p=[0.5, 0.2, 0.3]), None)
        role = rng.choice(list(ROLE_SHARES), size=e, p=list(ROLE_SHARES.values()))
        region = np.where(rng.random(e) < 0.65, rng.choice(len(REGIONS), size=e, p=REGION_SHARES) + 1, 0)
        online = rng.random(e) < 0.45
        host = rng.integers(1, self.s.members + 1, size=e)
        counted = rng.random(e) < 0.6
        speakers = rng.integers(2, 13, size=e)
        women = np.round(speakers * rng.beta(4, 5, size=e)).astype(int)
        unrecorded = np.minimum(np.where(rng.random(e) < 0.2, rng.integers(0, 3, size=e), 0), speakers - women)
        participants = rng.integers(20, 400, size=e)
        p_women = np.round(participants * rng.beta(5, 5, size=e)).astype(int)
        p_unrecorded = np.round((participants - p_women) * rng.uniform(0, 0.3, size=e)).astype(int)
        self.event_year, self.event_region = year, region
        if not set(KIND_SHARES) <= set(EVENT_KINDS):
            raise RuntimeError(f"synthetic events: unknown kinds {sorted(set(KIND_SHARES) - set(EVENT_KINDS))}")

        def rows():
            for i, k, st, ro, rg, on, h, c, sp, w, u, pa, pw, pu in _cols(
                    ids, kind, statutory, role, region, online, host, counted, speakers, women, unrecorded,
                    participants, p_women, p_unrecorded):
                yield (i, f"synthetic-event-{i:06d}", f"Synthetic event {i:06d} ({k.replace('_', ' ')})",
                       start[i - 1], end[i - 1], "Online" if on else f"Synthetic City {h:05d}", on, k, SECTION, ro,
                       SECTION, "", "", "", st, rg or None,
                       w if c else None, (sp - w - u) if c else None, u if c else None,
                       pw if c else None, (pa - pw - pu) if c else None, pu if c else None, *self.prov)

        self.write("event", ("id", "slug", "title", "start_date", "end_date", "location", "online", "kind",
                             "kind_basis", "metropolis_role", "role_basis", "note", "also_section", "also_locator",
                             "statutory_meeting", "region_id",
                             "speakers_women", "speakers_men", "speakers_unrecorded", "participants_women",
                             "participants_men", "participants_unrecorded", *PROV), rows())
        # deliverables served: three events in ten serve one or two deliverables of the plan of their year
        served = []
        chosen = ids[rng.random(e) < 0.3]
        for i in chosen.tolist():
            pool = self.plan_of_year[int(year[i - 1])]
            for item in set(rng.choice(pool, size=int(rng.integers(1, 3))).tolist()):
                served.append((i, item, *self.prov))
        self.write("event_deliverable", ("event_id", "plan_item_id", *PROV), served)

    def participations(self) -> None:
        """event_member rows: each event's size drawn (summing to the target), its members drawn by weight, from
        the event's region for most slots of a regional event, without repeats within an event."""
        rng, e, n = self.rng, self.s.events, self.s.members
        raw = rng.gamma(2.0, 1.0, size=e)
        size = np.maximum(1, np.floor(raw / raw.sum() * self.s.participations)).astype(np.int64)
        cap = max(1, n // 20)
        size = np.minimum(size, cap)
        short = self.s.participations - int(size.sum())
        while short > 0:  # hand the rounding remainder to events with room, one slot each
            room = np.flatnonzero(size < cap)
            take = rng.choice(room, size=min(short, len(room)), replace=False)
            size[take] += 1
            short -= len(take)
        while short < 0:
            big = np.flatnonzero(size > 1)
            take = rng.choice(big, size=min(-short, len(big)), replace=False)
            size[take] -= 1
            short += len(take)
        yearly = rng.lognormal(0.0, 0.5, size=(self.s.years, n)) * self.member_weight
        pairs = np.empty(0, dtype=np.int64)
        for _round in range(50):
            have = np.bincount(pairs // (n + 1), minlength=e) if len(pairs) else np.zeros(e, dtype=np.int64)
            missing = size - have
            if not missing.any():
                break
            events = np.repeat(np.arange(e), missing)
            regional = (self.event_region[events] > 0) & (rng.random(len(events)) < 0.85)
            members = np.empty(len(events), dtype=np.int64)
            year_index = self.event_year[events] - self.s.first_year
            for yi in range(self.s.years):
                for r in range(len(REGIONS) + 1):
                    slot = (year_index == yi) & (regional if r else ~regional)
                    if r:
                        slot &= self.event_region[events] == r
                    if not slot.any():
                        continue
                    pool = np.flatnonzero(self.member_region == r) if r else np.arange(n)
                    cumulative = np.cumsum(yearly[yi, pool])
                    picked = np.searchsorted(cumulative, rng.random(int(slot.sum())) * cumulative[-1], side="right")
                    members[slot] = pool[np.minimum(picked, len(pool) - 1)]
            pairs = np.unique(np.concatenate([pairs, events * (n + 1) + members + 1]))
            if _round == 5:  # heavy weights can crowd an event's draws: draw the rest uniformly
                yearly = np.ones((self.s.years, n))
        else:
            raise RuntimeError("could not draw distinct members for every event")
        # pairs are sorted by event: keep at most `size` members of each (no event is over-filled, but be exact)
        event_of = pairs // (n + 1)
        rank = np.arange(len(pairs)) - np.searchsorted(event_of, event_of, side="left")
        pairs = pairs[rank < size[event_of]]
        self.write("event_member", ("event_id", "member_id", *PROV),
                   ((ev + 1, mem, *self.prov) for ev, mem in _cols(pairs // (n + 1), pairs % (n + 1))))

    def fees(self) -> None:
        rng, n = self.rng, self.s.members
        rank = np.argsort(np.argsort(self.member_weight)) / n
        rows = []
        for year in self.years.tolist():
            paid = rng.random(n) < 0.35 + 0.55 * rank
            amount = np.round(rng.uniform(5_000, 60_000, size=n), -2)
            day = rng.integers(0, 365, size=n)
            rows.extend((i + 1, year, p, a if p else None, dt.date(year, 1, 1) + dt.timedelta(days=d) if p else None,
                         "", *self.prov)
                        for i, p, a, d in _cols(np.arange(n), paid, amount, day))
        self.write("fee_payment", ("member_id", "fee_year", "paid", "amount_eur", "paid_on", "note", *PROV), rows)

    def bilateral(self) -> None:
        rng, b = self.rng, self.s.bilateral_meetings
        p = self.member_weight / self.member_weight.sum()
        member = rng.choice(self.s.members, size=b, p=p) + 1
        month = rng.integers(0, 12 * self.s.years, size=b)
        online = rng.random(b) < 0.6
        self.write("bilateral_meeting", ("member_id", "month", "online", "note", *PROV),
                   ((mem, dt.date(self.s.first_year + mo // 12, mo % 12 + 1, 1), on, "", *self.prov)
                    for mem, mo, on in _cols(member, month, online)))

    def website(self) -> None:
        rng, n = self.rng, self.s.members
        rows = []
        for year in self.years.tolist():
            seen = np.flatnonzero(rng.random(n) < 0.6)
            k = len(seen)
            rows.extend((i + 1, year, a, b, c, d, e, "", *self.prov) for i, a, b, c, d, e in _cols(
                seen, rng.poisson(1.5, k), rng.poisson(0.3, k), rng.poisson(1.0, k), rng.poisson(0.2, k),
                rng.poisson(0.1, k)))
        self.write("website_presence", ("member_id", "year", "news", "library_publications", "publication_mentions",
                                        "use_cases", "c4gh_initiatives", "note", *PROV), rows)

    def indicators(self) -> None:
        rng, n = self.rng, self.s.members
        self.write("indicator", ("id", "code", "name", "unit", "topic", "description"),
                   [(1, "synthetic.pm25", "PM2.5 annual mean (synthetic)", "µg/m³", "observatory",
                     "A random value per analysed member and year.")])
        rows = []
        for year in self.years.tolist():
            analysed = np.flatnonzero(rng.random(n) < 0.25)
            values = np.round(rng.gamma(4.0, 5.0, size=len(analysed)), 1)
            rows.extend((1, "member", i + 1, year, dt.date(year, 1, 1), dt.date(year + 1, 1, 1), v, "", f"{v:.1f}",
                         "", *self.prov) for i, v in _cols(analysed, values))
        self.write("indicator_value", ("indicator_id", "scope", "member_id", "year", "period_start", "period_end",
                                       "value", "qualifier", "printed", "note", *PROV), rows)

    def datasets(self) -> None:
        digest = hashlib.sha256(json.dumps(dataclasses.asdict(self.s), sort_keys=True).encode()).hexdigest()
        now = dt.datetime.now(dt.UTC)
        self.write("dataset", ("file", "table_name", "sha256", "rows", "loaded_at"),
                   [(f"synthetic:{table}", table, digest, rows, now) for table, rows in self.counts.items()])


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: move each id sequence past the ids written explicitly."""
    for table in ("region", "member", "action_plan", "plan_item", "event", "indicator"):
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))


def generate(url: str, scale: Scale, *, protected: Sequence[str], replace: bool = False) -> dict[str, int]:
    """Write a synthetic store of `scale` into the database at `url` (all or nothing); return rows per table.
    Raises SyntheticRefused for the dashboard's store (`protected`), a real store, or an existing synthetic store
    without `replace`."""
    scale.check()
    target = make_url(url)
    for other in protected:  # before connecting, so a protected SQLite file is not even created
        if _same_database(target, make_url(other)):
            raise SyntheticRefused("this is the dashboard's own store (DATABASE_URL or the embedded SQLite file); "
                                   "name a separate database for synthetic data")
    if target.get_backend_name() == "postgresql":
        _create_postgres_database(target)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(8050142)")
                if check_target(conn, target, protected=protected, replace=replace):
                    m.Base.metadata.drop_all(conn)
                    conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
                upgrade(conn)
                counts = Generator(conn, scale).run()
                if conn.dialect.name == "postgresql":
                    _reset_sequences(conn)
                from sqlalchemy.orm import Session

                with Session(bind=conn) as session:
                    bump_data_version(session)
                    session.flush()
        with engine.connect() as conn:  # planner statistics for the new tables
            if conn.dialect.name == "postgresql":
                # and the visibility map, as autovacuum keeps it in a live store: without it an index-only scan
                # still reads the table (the benchmark would measure a store no production database looks like)
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM (ANALYZE)")
            else:
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
    finally:
        engine.dispose()
    return counts


def main(argv: list[str] | None = None) -> int:
    defaults = Scale()
    parser = argparse.ArgumentParser(prog="python -m seed.synthetic", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url", help="SQLAlchemy URL of the database to fill, e.g. "
                        "postgresql+psycopg://postgres@127.0.0.1:5432/metropolis_synthetic or sqlite:///synthetic.db "
                        "(a PostgreSQL database is created if missing)")
    parser.add_argument("--replace", action="store_true", help="replace a synthetic store already there")
    for name in ("members", "first_year", "years", "events", "participations", "bilateral_meetings", "seed"):
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=getattr(defaults, name),
                            help=f"default {getattr(defaults, name)}")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    scale = Scale(**{f.name: getattr(args, f.name) for f in dataclasses.fields(Scale)})
    try:
        protected = [load_settings().database_url]
    except SettingsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        counts = generate(args.database_url, scale, protected=protected, replace=args.replace)
    except SyntheticRefused as err:
        print(f"refused: {err}. Nothing was written.", file=sys.stderr)
        return 3
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OperationalError as err:
        print(f"error: cannot reach the database ({err.orig.__class__.__name__}: {str(err.orig).strip()[:200]}). "
              "Nothing was written.", file=sys.stderr)
        return 1
    print(f"synthetic store written in {time.perf_counter() - start:.0f} s: "
          + ", ".join(f"{table} {rows:,}" for table, rows in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
