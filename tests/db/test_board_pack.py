"""The Board pack's job, without a browser: one claim wins however many arrive at once (SQLite and PostgreSQL), a
dead or failed job is made again and a made file kept, the CSV zip holds the meeting's numbers after later writes
(byte for byte what /export/<chart>.csv?as_of= serves), and the roles and bad input of its endpoints.
The whole pack (the deck and the printed pages, which need Chromium) is made in tests/browser/test_board_pack.py."""

from __future__ import annotations

import datetime as dt
import io
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from db import models as m
from db.commands import packs as pack_commands
from db.commands import records
from db.commands.base import Actor, Forbidden, NotFound, run_command
from db.commands.meetings import record_meeting
from db.session import Session, make_engine, write_session
from seed.load import init_store
from tests.conftest import BACKENDS, create_user, csrf_headers, sign_in, temporary_database, threaded_server

TIMEOUT = dt.timedelta(minutes=30)
SECRETARIAT_EMAIL, BOARD_EMAIL = "ana@metropolis.org", "bea@metropolis.org"


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    """A seeded store of the backend with a Secretariat user (each test records its own meeting)."""
    with temporary_database(request.param, tmp_path_factory.mktemp("packs")) as url:
        engine = make_engine(url)
        init_store(engine)
        uid = create_user(engine, email=SECRETARIAT_EMAIL, role="secretariat", name="Ana")
        Session.configure(bind=engine)
        yield engine, Actor(uid, "Ana", "secretariat")
        engine.dispose()


def _meeting(engine, actor: Actor, held_on: str) -> str:
    return run_command(record_meeting, actor, name=f"Board meeting of {held_on}", held_on=held_on, what="record",
                       session_factory=lambda: Session(bind=engine))["slug"]


def _claim(engine, actor, slug, now=None):
    return run_command(pack_commands.claim_pack, actor, slug, timeout=TIMEOUT, now=now, what="make a pack",
                       session_factory=lambda: Session(bind=engine))


def _job_update(engine, update, *args, **kwargs) -> bool:
    with write_session(lambda: Session(bind=engine)) as session:
        return update(session, *args, **kwargs)


def _rows(engine, slug) -> dict[str, m.BoardPackFile]:
    with Session(bind=engine) as s:
        meeting_id = s.scalar(select(m.BoardMeeting.id).where(m.BoardMeeting.slug == slug))
        return {f.kind: f for f in s.scalars(select(m.BoardPackFile).where(m.BoardPackFile.meeting_id == meeting_id))}


def test_claims_made_at_once_give_the_pack_to_one_of_them(store):
    engine, actor = store
    slug = _meeting(engine, actor, "2021-03-12")
    barrier = threading.Barrier(6)

    def claim():
        barrier.wait(timeout=60)
        return _claim(engine, actor, slug)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _n: claim(), range(6)))
    winners = [a for a in answers if a["claimed"]]
    assert len(winners) == 1, answers
    assert set(winners[0]["claimed"]) == {"deck", "pdf", "csv"}
    assert all(a["busy"] == ["deck", "pdf", "csv"] for a in answers if not a["claimed"])
    rows = _rows(engine, slug)
    assert {k: r.status for k, r in rows.items()} == {"deck": "queued", "pdf": "queued", "csv": "queued"}
    assert {r.id for r in rows.values()} == set(winners[0]["claimed"].values())
    # a queued file is begun by one worker only (UPDATE ... WHERE status='queued')
    file_id = winners[0]["claimed"]["csv"]
    with ThreadPoolExecutor(4) as pool:
        begun = list(pool.map(lambda _n: _job_update(engine, pack_commands.begin_file, file_id), range(4)))
    assert begun.count(True) == 1


def test_a_made_file_is_kept_and_a_failed_or_dead_job_is_made_again(store):
    engine, actor = store
    slug = _meeting(engine, actor, "2021-06-01")
    start = dt.datetime.now(dt.UTC)
    first = _claim(engine, actor, slug, now=start)["claimed"]
    for file_id in first.values():
        assert _job_update(engine, pack_commands.begin_file, file_id, now=start)
    assert _job_update(engine, pack_commands.report_progress, first["deck"], 3, 40)
    assert _job_update(engine, pack_commands.finish_file, first["csv"], filename="data.zip", content=b"PK")
    assert _job_update(engine, pack_commands.fail_file, first["pdf"], "RuntimeError: no chromium")
    # the deck's job still runs: nothing is claimed, the failed file waits for it
    waiting = _claim(engine, actor, slug, now=start + dt.timedelta(minutes=5))
    assert waiting["claimed"] == {} and waiting["busy"] == ["deck"]
    # past the timeout its worker is taken for dead: the deck and the failed PDF are claimed again, the CSV kept
    later = start + TIMEOUT + dt.timedelta(seconds=1)
    second = _claim(engine, actor, slug, now=later)["claimed"]
    assert set(second) == {"deck", "pdf"} and not set(second.values()) & set(first.values())
    rows = _rows(engine, slug)
    assert rows["csv"].status == "done" and rows["csv"].content == b"PK"
    assert rows["deck"].status == rows["pdf"].status == "queued" and rows["deck"].progress == 0
    # the old job, were it still running, finds nothing to update and stores nothing
    assert not _job_update(engine, pack_commands.report_progress, first["deck"], 4, 40)
    assert not _job_update(engine, pack_commands.finish_file, first["deck"], filename="x.pptx", content=b"old")
    assert _rows(engine, slug)["deck"].content is None


def test_only_the_secretariat_makes_a_pack_and_an_unknown_meeting_is_not_found(store):
    engine, actor = store
    slug = _meeting(engine, actor, "2021-09-20")
    for who in (Actor(None, "Bea", "board"), Actor(None, "Eva", "regional_secretary", "Europe"), None):
        with pytest.raises(Forbidden):
            _claim(engine, who, slug)
    assert _rows(engine, slug) == {}
    with Session(bind=engine) as s:  # each refusal is in the audit log, like every refused write
        refused = s.scalars(select(m.AuditEntry.summary).where(m.AuditEntry.action == "refused")).all()
        assert sum("make a pack: Only the Secretariat can make a Board pack" in r for r in refused) == 2
    with pytest.raises(NotFound):
        _claim(engine, actor, "1999-01-01")


# ---- the app: the CSV zip as presented, the endpoints ------------------------------------------------------------

@pytest.fixture
def pack_app(dash_app, app_store_copy, monkeypatch):
    """The dashboard on a private copy of its store, with a Secretariat and a Board member, and a meeting
    recorded before an event of 2020 was added; jobs started by requests are recorded, not run (the tests run
    the parts they check themselves)."""
    from dashboard import packs

    sec = create_user(app_store_copy, email=SECRETARIAT_EMAIL, role="secretariat", name="Ana")
    create_user(app_store_copy, email=BOARD_EMAIL, role="board", name="Bea")
    actor = Actor(sec, "Ana", "secretariat")
    slug = run_command(record_meeting, actor, name="Ordinary Board meeting", held_on="2021-03-12", what="record")["slug"]
    run_command(records.record_event, actor, {
        "title": "Recorded after the Board meeting", "start_date": "2020-11-20", "end_date": None, "online": True,
        "kind": "webinar", "metropolis_role": "organised", "region": "Europe", "members": ["Berlin"]},
        what="record an event")
    launched = []
    monkeypatch.setattr(packs, "launch", launched.append)
    return dash_app.server, slug, actor, launched


def _client(server, email=None):
    client = server.test_client()
    if email:
        assert sign_in(client, email).status_code == 302
    return client


def _run(server, slug, actor, kinds, url_root="http://localhost/"):
    """Claim the pack and make `kinds` of it here, as the job's thread does (the others stay queued)."""
    from dashboard import packs
    from dashboard.auth import SignedInUser
    from db.queries.users import account_by_id

    claimed = run_command(pack_commands.claim_pack, actor, slug, timeout=packs.PACK_TIMEOUT, what="make")["claimed"]
    with Session() as session:
        user = SignedInUser(account_by_id(session, actor.user_id), None)
    job = packs.Job(server, slug, {k: claimed[k] for k in kinds}, url_root, "en", user)
    return packs.run_job(job)


def test_the_csv_zip_holds_every_chart_as_presented_after_later_writes(pack_app):
    from dashboard.charts import CHARTS

    server, slug, actor, _launched = pack_app
    assert _run(server, slug, actor, ["csv"]) == {"csv": "done"}
    board = _client(server, BOARD_EMAIL)
    answer = board.get(f"/meetings/{slug}/pack/csv")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    assert answer.headers["Content-Disposition"] == (
        f'attachment; filename="metropolis-board-pack-{slug}-data.zip"')
    zipped = zipfile.ZipFile(io.BytesIO(answer.data))
    names = set(zipped.namelist())
    assert {f"data/{chart}.csv" for chart in CHARTS} <= names and "README.md" in names
    # the meeting's numbers, byte for byte as the export serves them as of the meeting; today's differ
    packed = zipped.read("data/events-timeline.csv")
    assert packed == board.get(f"/export/events-timeline.csv?as_of={slug}").data
    today = board.get("/export/events-timeline.csv").data
    assert b"Recorded after the Board meeting" in today and b"Recorded after the Board meeting" not in packed
    for chart in CHARTS:
        assert zipped.read(f"data/{chart}.csv") == board.get(f"/export/{chart}.csv?as_of={slug}").data, chart
    # made as a signed-in user sees it: members' fee payments are in it (hence downloads for signed-in users only)
    header = next(line for line in zipped.read("data/engagement-matrix.csv").decode().splitlines()
                  if not line.startswith("#"))
    assert "fee_paid" in header.split(",")
    readme = zipped.read("README.md").decode()
    assert "Ordinary Board meeting" in readme and "fee payments" in readme and "**AR2020**" in readme
    assert all(f"data/{chart}.csv" in readme for chart in CHARTS)
    assert _client(server).get(f"/meetings/{slug}/pack/csv").status_code == 401


def test_the_pack_endpoints_answer_bad_input_and_roles(pack_app):
    from dashboard import prewarm

    server, slug, _actor, launched = pack_app
    anonymous, board, sec = _client(server), _client(server, BOARD_EMAIL), _client(server, SECRETARIAT_EMAIL)
    post = f"/api/v1/meetings/{slug}/pack"
    assert anonymous.post(post, headers=csrf_headers(anonymous)).status_code == 401
    refused = board.post(post, headers=csrf_headers(board))
    assert refused.status_code == 403 and "Only the Secretariat" in refused.get_json()["error"]["message"]
    assert sec.post("/api/v1/meetings/1999-01-01/pack", headers=csrf_headers(sec)).status_code == 404
    assert sec.post(f"{post}?as_of={slug}", headers=csrf_headers(sec)).status_code == 409
    assert launched == []
    warming = prewarm._last.get("thread")
    started = sec.post(post, headers=csrf_headers(sec))
    assert started.status_code == 202 and started.get_json()["started"] is True and len(launched) == 1
    assert prewarm._last.get("thread") is warming  # a claim changes no data: nothing to pre-warm
    again = sec.post(post, headers=csrf_headers(sec))
    assert again.status_code == 202 and again.get_json()["started"] is False and len(launched) == 1
    state = board.get(post).get_json()
    assert state["running"] and [f["status"] for f in state["files"]] == ["queued"] * 3
    assert anonymous.get(post).status_code == 401 and board.get("/api/v1/meetings/1999-01-01/pack").status_code == 404
    # downloads: unknown meeting, unknown kind, a file not made yet
    assert board.get("/meetings/1999-01-01/pack/deck").status_code == 404
    wrong = board.get(f"/meetings/{slug}/pack/slides")
    assert wrong.status_code == 404 and wrong.get_json()["error"]["valid"] == ["deck", "pdf", "csv"]
    assert board.get(f"/meetings/{slug}/pack/deck").status_code == 404
    assert anonymous.get(f"/meetings/{slug}/pack/deck").status_code == 401
    page = anonymous.get(f"/meetings/{slug}/pack/deck", headers={"Accept": "text/html"})
    assert page.status_code == 401 and "href='/login?next=/meetings/" in page.get_data(as_text=True)


def test_two_requests_at_once_start_one_job(pack_app):
    from tests.http_client import Client

    server, slug, _actor, launched = pack_app
    with threaded_server(server) as base:
        clients = [Client(base, timeout=120) for _ in range(2)]
        for client in clients:
            client.sign_in(SECRETARIAT_EMAIL)
            client.get("/api/v1/version")
        barrier = threading.Barrier(2)

        def post(client):
            barrier.wait(timeout=60)
            return client.request("POST", f"/api/v1/meetings/{slug}/pack", {})

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(post, clients))
    assert [a.status for a in answers] == [202, 202]
    assert sorted(a.json()["started"] for a in answers) == [False, True]
    assert len(launched) == 1 and set(launched[0].files) == {"deck", "pdf", "csv"}


def test_an_unknown_meeting_in_an_export_links_to_the_meetings(pack_app):
    server, _slug, _actor, _launched = pack_app
    page = _client(server).get("/export/funds.csv?as_of=1999-01-01", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "href='/meetings'" in page.get_data(as_text=True)


def test_a_page_shown_as_presented_has_the_meetings_banner(pack_app):
    from flask import g

    from dashboard import components, ids
    from db.queries.meetings import meeting

    server, slug, _actor, _launched = pack_app
    with server.test_request_context(f"/?as_of={slug}"), Session() as session:
        g.meeting = meeting(session, slug)
        (banner,) = components.meeting_banner("/", None)
    assert banner.id == ids.Shell.MEETING_BANNER
    assert "Ordinary Board meeting" in str(banner.children[0].children)
