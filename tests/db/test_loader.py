"""The loader: one transaction, idempotent, and a malformed seed file changes nothing."""

import pytest
from sqlalchemy import func, inspect, select

from db import models as m
from db.session import Session, make_engine
from seed import load
from seed.__main__ import record_hashes
from seed.load import SeedError, init_store, parse_seed


def _counts(engine) -> dict[str, int]:
    with Session(bind=engine) as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) for t in m.Base.metadata.sorted_tables}


def test_init_is_idempotent(empty_database):
    engine = make_engine(empty_database)
    first = init_store(engine)
    assert first.seeded and first.counts["member"] == 142
    before = _counts(engine)
    second = init_store(engine)
    assert not second.seeded and second.changed_files == []
    assert _counts(engine) == before
    engine.dispose()


def _rehash(seed_dir, monkeypatch):
    monkeypatch.setattr("seed.__main__.SEED_DIR", seed_dir)
    record_hashes()


@pytest.mark.parametrize("file,edit,line,reason", [
    ("engagement.csv", lambda t: t.replace("Abidjan,2020,true,2,", "Abidjan,2020,true,two,", 1), 2, "board_meetings"),
    ("engagement.csv", lambda t: t.replace("Abidjan,2020,", "Atlantis,2020,", 1), 2, "unknown member 'Atlantis'"),
    ("members.csv", lambda t: t.replace("Abidjan,abidjan", "Abidjan,abidjan,extra", 1), 2, "fields, expected"),
    ("events.csv", lambda t: t.replace("2020-01-24", "2019-01-24", 1), 3, "before start_date"),
    ("indicator_values.csv", lambda t: t.replace("members.total,network", "members.total,galaxy", 1), 2, "scope"),
    ("fee_payments.csv", lambda t: t.split("\n", 1)[1], 1, "header does not match"),
    ("plan_item_statuses.csv", lambda t: t.replace("2018-2020,L1M1D1,2020,done", "2018-2020,L1M1D1,2020,finished", 1), 2, "status"),
    ("member_aliases.csv", lambda t: t + 'Bogota,"unterminated\n', None, "malformed CSV"),
])
def test_malformed_file_names_file_line_reason(seed_copy, monkeypatch, file, edit, line, reason):
    path = seed_copy / file
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    _rehash(seed_copy, monkeypatch)
    with pytest.raises(SeedError) as err:
        parse_seed(seed_copy)
    assert err.value.file == file
    if line is not None:
        assert err.value.line == line
    assert reason in err.value.reason


def test_changed_file_without_review_is_refused(seed_copy):
    path = seed_copy / "members.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("District d'Abidjan", "District of Abidjan"),
                    encoding="utf-8")
    with pytest.raises(SeedError, match="sha256 does not match"):
        parse_seed(seed_copy)


def test_not_utf8_is_refused(seed_copy, monkeypatch):
    path = seed_copy / "members.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    _rehash(seed_copy, monkeypatch)
    with pytest.raises(SeedError, match="not UTF-8"):
        parse_seed(seed_copy)


def test_malformed_seed_leaves_database_unchanged(empty_database, seed_copy, monkeypatch):
    engine = make_engine(empty_database)
    path = seed_copy / "website_presence.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Zagreb,2020,0", "Zagreb,2020,-4"), encoding="utf-8")
    _rehash(seed_copy, monkeypatch)
    with pytest.raises(SeedError, match="must not be negative"):
        init_store(engine, seed_copy)
    assert inspect(engine).get_table_names() == []
    engine.dispose()


def test_failure_during_load_rolls_back_migration_and_rows(empty_database, monkeypatch):
    engine = make_engine(empty_database)
    real = load.load_bundle

    def failing(session, bundle):
        real(session, bundle)
        raise RuntimeError("disk full")

    monkeypatch.setattr(load, "load_bundle", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        init_store(engine)
    assert inspect(engine).get_table_names() == []
    monkeypatch.setattr(load, "load_bundle", real)
    assert init_store(engine).seeded
    engine.dispose()
