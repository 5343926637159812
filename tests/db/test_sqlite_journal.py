"""The embedded store (SQLite) in write-ahead-log mode: a reader holding a transaction open does not hold a writer's
commit up. With the rollback journal it did, and a thread reading on two connections (the cache warm-up building a
page and a Board meeting's as-of view after a write) deadlocked with the next writer: it waited the whole busy
timeout (30 s) and answered 503."""

from __future__ import annotations

from sqlalchemy import text

from db.session import make_engine


def test_a_writer_commits_while_a_reader_holds_a_transaction(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine = make_engine(url, connect_args={"timeout": 0.5})  # a short busy timeout: a lock fails fast
    with engine.begin() as setup:
        setup.execute(text("CREATE TABLE t (n INTEGER)"))
        setup.execute(text("INSERT INTO t VALUES (1)"))
    reader = engine.connect()
    try:
        reader.begin()
        assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 1  # a read transaction, held open
        with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as writer:
            with writer.begin():
                writer.execute(text("INSERT INTO t VALUES (2)"))
            # committed: the reader still sees its snapshot, a new reader sees the row
            assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 1
        with engine.connect() as fresh:
            assert fresh.execute(text("SELECT count(*) FROM t")).scalar() == 2
            assert fresh.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        reader.close()
        engine.dispose()
