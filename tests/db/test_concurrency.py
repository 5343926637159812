"""Concurrent writes through a real threaded HTTP server, on SQLite and PostgreSQL: writers wait for each other
(never "database is locked" reported as an outage), no update is lost and the audit chain stays whole."""

from __future__ import annotations

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from db import models as m
from db.session import Session, make_engine
from tests.conftest import BACKENDS, api_app, seed_store, temporary_database, threaded_server
from tests.http_client import Client

WRITERS = 3
EDITS = 25
PAYERS = 10
FEE_YEAR = 2021  # the seed holds fees of 2020 only: every payment below is the member's first of the year
# Each writer edits its own field of one member, so the final state shows whether any update was lost.
FIELDS = ("note", "coord_note", "official_name")
SECRETARIES = [{"email": f"writer{n}@metropolis.org", "role": "secretariat"} for n in range(max(WRITERS, PAYERS))]


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    """A seeded store of the backend and the app served on it by a threaded server: (base URL, engine)."""
    with temporary_database(request.param, tmp_path_factory.mktemp("concurrency")) as url:
        seed_store(url, *SECRETARIES)
        engine = make_engine(url)
        Session.configure(bind=engine)
        try:
            with threaded_server(api_app()) as base:
                yield base, engine
        finally:
            engine.dispose()


def _signed_in(base: str, n: int) -> Client:
    client = Client(base, timeout=120)
    client.sign_in(SECRETARIES[n]["email"])
    assert client.get("/api/v1/version")[0] == 200 and client.cookie("_csrf_token")
    return client


def _version(engine) -> int:
    with Session(bind=engine) as s:
        return s.scalar(select(m.DataVersion.version))


def _audit(engine, *, table: str, member_id: int | None = None, after_id: int = 0) -> list[m.AuditEntry]:
    with Session(bind=engine) as s:
        stmt = select(m.AuditEntry).where(m.AuditEntry.table_name == table, m.AuditEntry.id > after_id)
        if member_id is not None:
            stmt = stmt.where(m.AuditEntry.member_id == member_id)
        return list(s.scalars(stmt.order_by(m.AuditEntry.id)))


def _last_audit_id(engine) -> int:
    with Session(bind=engine) as s:
        return s.scalar(select(m.AuditEntry.id).order_by(m.AuditEntry.id.desc()).limit(1)) or 0


def _all_at_once(jobs) -> list:
    """Run the callables together (each thread waits at a barrier first); return their results in order."""
    barrier = threading.Barrier(len(jobs))

    def start(job):
        barrier.wait(timeout=60)
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(start, jobs))


def _assert_answered_cleanly(answers: list[tuple[int, dict]]) -> None:
    statuses = Counter(status for status, _body in answers)
    unclean = [(s, b) for s, b in answers if not (200 <= s < 300 or s == 409)]
    assert not unclean, f"answers {dict(statuses)}; first unclean: {unclean[0]}"
    for status, body in answers:
        if status == 409:
            assert "busy" in body["error"]["message"] or "changed" in body["error"]["message"]


def _assert_chain(entries: list[m.AuditEntry], fields) -> None:
    """Each entry's 'before' is the previous entry's 'after' (for `fields`): no write read a stale row."""
    for previous, entry in zip(entries, entries[1:]):
        before, after = json.loads(entry.before), json.loads(previous.after)
        assert {f: before[f] for f in fields} == {f: after[f] for f in fields}, f"audit entry {entry.id} broke the chain"


def test_three_writers_editing_one_member_all_succeed_and_lose_nothing(server):
    base, engine = server
    with Session(bind=engine) as s:
        member = s.scalar(select(m.Member).where(m.Member.slug == "berlin"))
    clients = [_signed_in(base, n) for n in range(WRITERS)]
    version, last_audit = _version(engine), _last_audit_id(engine)

    def writer(n: int):
        def edit_all():
            answers = []
            for i in range(EDITS):
                answers.append(clients[n].send("PATCH", f"/api/v1/members/{member.slug}",
                                               {FIELDS[n]: f"{FIELDS[n]} by writer {n}, edit {i}"}))
            return answers
        return edit_all

    answers = [a for per_writer in _all_at_once([writer(n) for n in range(WRITERS)]) for a in per_writer]
    _assert_answered_cleanly(answers)
    succeeded = sum(200 <= status < 300 for status, _body in answers)
    assert succeeded == WRITERS * EDITS, Counter(status for status, _body in answers)

    entries = _audit(engine, table="member", member_id=member.id, after_id=last_audit)
    assert len(entries) == succeeded and {e.action for e in entries} == {"update"}
    assert _version(engine) == version + succeeded  # the data version moved once per write
    assert {e.change_set for e in entries} == {body["change_set"] for _s, body in answers}
    assert {f: json.loads(entries[0].before)[f] for f in FIELDS} == {f: getattr(member, f) for f in FIELDS}
    _assert_chain(entries, FIELDS)
    with Session(bind=engine) as s:
        final = s.scalar(select(m.Member).where(m.Member.id == member.id))
        for n, name in enumerate(FIELDS):  # each writer's last edit is there: none was overwritten by a stale row
            assert getattr(final, name) == f"{name} by writer {n}, edit {EDITS - 1}"


def test_simultaneous_first_fee_payments_all_succeed(server):
    base, engine = server
    with Session(bind=engine) as s:
        names = list(s.scalars(select(m.Member.name).where(~m.Member.id.in_(
            select(m.FeePayment.member_id).where(m.FeePayment.fee_year == FEE_YEAR))).order_by(m.Member.name)
            .limit(PAYERS)))
    clients = [_signed_in(base, n) for n in range(PAYERS)]
    version, last_audit = _version(engine), _last_audit_id(engine)

    answers = _all_at_once([
        (lambda c=c, name=name: c.send("POST", "/api/v1/fee-payments",
                                       {"member": name, "fee_year": FEE_YEAR, "paid": True, "amount_eur": 1000}))
        for c, name in zip(clients, names)])
    _assert_answered_cleanly(answers)
    assert [status for status, _body in answers] == [201] * PAYERS

    entries = _audit(engine, table="fee_payment", after_id=last_audit)
    assert len(entries) == PAYERS and {e.action for e in entries} == {"create"}
    assert _version(engine) == version + PAYERS
    with Session(bind=engine) as s:
        paid = s.scalars(select(m.Member.name).join(m.FeePayment, m.FeePayment.member_id == m.Member.id)
                         .where(m.FeePayment.fee_year == FEE_YEAR, m.FeePayment.paid))
        assert sorted(paid) == sorted(names)


def test_simultaneous_first_payments_of_one_member_make_one_row_and_a_whole_audit_chain(server):
    base, engine = server
    clients = [_signed_in(base, n) for n in range(PAYERS)]
    with Session(bind=engine) as s:
        member = s.scalar(select(m.Member).where(m.Member.slug == "madrid"))
        assert s.scalar(select(m.FeePayment.id).where(m.FeePayment.member_id == member.id,
                                                      m.FeePayment.fee_year == FEE_YEAR + 1)) is None
    version, last_audit = _version(engine), _last_audit_id(engine)

    answers = _all_at_once([
        (lambda c=c, n=n: c.send("POST", "/api/v1/fee-payments",
                                 {"member": member.name, "fee_year": FEE_YEAR + 1, "paid": True, "amount_eur": n}))
        for n, c in enumerate(clients)])
    _assert_answered_cleanly(answers)
    assert [status for status, _body in answers] == [201] * PAYERS

    entries = _audit(engine, table="fee_payment", member_id=member.id, after_id=last_audit)
    assert [e.action for e in entries] == ["create"] + ["update"] * (PAYERS - 1)
    assert _version(engine) == version + PAYERS
    _assert_chain(entries, ("paid", "amount_eur"))
    with Session(bind=engine) as s:
        rows = list(s.scalars(select(m.FeePayment).where(m.FeePayment.member_id == member.id,
                                                         m.FeePayment.fee_year == FEE_YEAR + 1)))
        assert len(rows) == 1 and rows[0].amount_eur == json.loads(entries[-1].after)["amount_eur"]
