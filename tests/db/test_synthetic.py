"""The synthetic-data generator: a marked, deterministic store of the asked scale, written all or nothing, and
never into the real store."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import models as m
from db.queries import engagement, events
from db.queries.common import available_years
from db.queries.provenance import is_synthetic
from db.reference import SYNTHETIC_SOURCE_KEY
from db.session import make_engine
from seed.load import init_store
from seed.synthetic import Scale, SyntheticRefused, generate, main
from tests.conftest import BACKENDS, temporary_database

SMALL = Scale(members=300, first_year=2021, years=3, events=300, participations=3_000, bilateral_meetings=200, seed=7)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("backend", BACKENDS)
def test_writes_a_marked_store_of_the_asked_scale(backend, tmp_path):
    with temporary_database(backend, tmp_path) as url:
        counts = generate(url, SMALL, protected=[])
        engine = make_engine(url)
        with Session(engine) as s:
            assert counts["member"] == _count(s, m.Member) == 300
            assert counts["event"] == _count(s, m.Event) == 300
            assert counts["event_member"] == _count(s, m.EventMember) == 3_000
            assert counts["fee_payment"] == _count(s, m.FeePayment) == 900
            assert is_synthetic(s)
            synthetic = s.scalar(select(m.Source.id).where(m.Source.key == SYNTHETIC_SOURCE_KEY))
            for model in (m.Member, m.Event, m.EventMember, m.FeePayment, m.PlanItem, m.IndicatorValue):
                assert s.scalar(select(func.count()).select_from(model).where(model.source_id != synthetic)) == 0
            assert s.scalar(select(func.count()).select_from(m.Member)
                            .where(~m.Member.name.startswith("Synthetic City "))) == 0
            assert available_years(s) == [2021, 2022, 2023]
            by_region = engagement.engagement_by_region(s, year=2022)
            assert by_region["members"].sum() == 300 and 0 < by_region["activated"].sum() <= 300
            year = events.events_in_year(s, year=2022)
            assert len(year) > 50 and year["member_count"].sum() > 0
            assert (year["members"].str.count("Synthetic City") == year["member_count"]).all()
        engine.dispose()


def _digest(url: str) -> str:
    engine = make_engine(url)
    with Session(engine) as s:
        rows = [tuple(s.execute(select(m.EventMember.event_id, m.EventMember.member_id)
                                .order_by(m.EventMember.id)).all()),
                tuple(s.execute(select(m.FeePayment.member_id, m.FeePayment.fee_year, m.FeePayment.paid)
                                .order_by(m.FeePayment.id)).all()),
                tuple(s.execute(select(m.Member.latitude, m.Member.region_id).order_by(m.Member.id)).all())]
    engine.dispose()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_same_seed_gives_the_same_store(tmp_path):
    first, second, other = (f"sqlite:///{tmp_path / name}.sqlite3" for name in ("a", "b", "c"))
    generate(first, SMALL, protected=[])
    generate(second, SMALL, protected=[])
    generate(other, Scale(**{**SMALL.__dict__, "seed": 8}), protected=[])
    assert _digest(first) == _digest(second) != _digest(other)


@pytest.mark.parametrize("backend", BACKENDS)
def test_refuses_a_real_store_and_leaves_it_unchanged(backend, tmp_path):
    with temporary_database(backend, tmp_path) as url:
        engine = make_engine(url)
        init_store(engine)
        with Session(engine) as s:
            before = {model.__tablename__: _count(s, model) for model in (m.Member, m.Event, m.EventMember, m.Source)}
        with pytest.raises(SyntheticRefused, match="not synthetic"):
            generate(url, SMALL, protected=[])
        with pytest.raises(SyntheticRefused, match="not synthetic"):
            generate(url, SMALL, protected=[], replace=True)  # --replace only ever replaces synthetic data
        with Session(engine) as s:
            assert {model.__tablename__: _count(s, model) for model in (m.Member, m.Event, m.EventMember,
                                                                        m.Source)} == before
            assert not is_synthetic(s)
        engine.dispose()


def test_refuses_the_dashboards_own_store_before_touching_it(tmp_path):
    store = tmp_path / "instance" / "metropolis.sqlite3"
    with pytest.raises(SyntheticRefused, match="own store"):
        generate(f"sqlite:///{tmp_path}/instance/../instance/metropolis.sqlite3", SMALL,
                 protected=[f"sqlite:///{store}"])
    assert not store.exists() and not store.parent.exists()


def test_a_synthetic_store_is_replaced_only_when_asked(tmp_path):
    url = f"sqlite:///{tmp_path / 'synthetic.sqlite3'}"
    generate(url, SMALL, protected=[])
    with pytest.raises(SyntheticRefused, match="--replace"):
        generate(url, SMALL, protected=[])
    counts = generate(url, Scale(**{**SMALL.__dict__, "members": 400}), protected=[], replace=True)
    assert counts["member"] == 400
    engine = make_engine(url)
    with Session(engine) as s:
        assert _count(s, m.Member) == 400 and _count(s, m.Source) == 2  # SYNTHETIC and DASHBOARD
    engine.dispose()


def test_command_line_refuses_with_a_message_and_an_exit_code(tmp_path, monkeypatch, capsys):
    real = tmp_path / "real.sqlite3"
    engine = make_engine(f"sqlite:///{real}")
    init_store(engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'dashboard.sqlite3'}")
    assert main([f"sqlite:///{real}", "--members", "300", "--events", "300", "--participations", "3000"]) == 3
    assert "refused: the database holds a store that is not synthetic" in capsys.readouterr().err
    assert main([f"sqlite:///{tmp_path / 'dashboard.sqlite3'}"]) == 3
    assert "dashboard's own store" in capsys.readouterr().err
    assert main([f"sqlite:///{tmp_path / 'new.sqlite3'}", "--members", "10"]) == 2
    assert "at least 50 members" in capsys.readouterr().err
