"""Board meetings (issue 17): a recorded meeting reads the same after writes, reverts and imports, on both
backends; every export and API answer with `as_of` is byte-identical; bad input is refused clearly."""

import json

import pytest
from sqlalchemy import func, select

from db import models as m
from db.asof import reading_as_of
from db.commands import imports, meetings, records, revert
from db.commands.base import Actor, Conflict, Forbidden, Invalid, run_command
from db.queries import action_plan, engagement, events, indicators, members, provenance
from db.queries import meetings as meeting_queries
from db.session import Session, make_engine
from db.versioning import data_version
from seed.load import init_store
from tests.conftest import BACKENDS, create_user, csrf_headers, sign_in, temporary_database

SECRETARIAT = Actor(user_id=None, name="Ana", role="secretariat")
BOARD = Actor(user_id=None, name="Bo", role="board")
EVENT = {"title": "Meeting test: housing lab", "start_date": "2021-03-04", "online": True, "kind": "learning",
         "metropolis_role": "organised", "region": "Europe", "members": ["Madrid", "Torino"]}


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    with temporary_database(request.param, tmp_path_factory.mktemp("meetings")) as url:
        engine = make_engine(url)
        init_store(engine)
        Session.configure(bind=engine)
        yield engine
        engine.dispose()


def write(command, *args, actor=SECRETARIAT, **kwargs):
    return run_command(command, actor, *args, what="test", **kwargs)


def state() -> dict:
    """What the pages read, as text: members, 2020 and 2021 engagement and events, fees, plan, indicators,
    discrepancies, the data version and the audit log's length."""
    with Session() as s:
        frames = {
            "members": members.member_list(s),
            "events2021": events.events_in_year(s, year=2021),
            "events2020": events.events_in_year(s, year=2020),
            "engagement2021": engagement.engagement_by_member(s, year=2021),
            "engagement2020": engagement.engagement_by_region(s, year=2020),
            "plan": action_plan.plan_items(s, plan="2021-2023", year=2021),
            "indicators": indicators.indicator_values(s),
            "discrepancies": provenance.discrepancies_table(s),
        }
        out = {name: df.to_csv(index=False) for name, df in frames.items()}
        out["version"] = data_version(s)[0]
        out["audit"] = s.scalar(select(func.count()).select_from(m.AuditEntry))
    return out


def test_a_meeting_reads_the_same_after_writes_reverts_and_imports(store):
    meeting = write(meetings.record_meeting, name="Board of Directors, March 2021", held_on="2021-03-12")
    with Session() as s:
        frozen = meeting_queries.meeting(s, meeting["slug"])["frozen"]
    with reading_as_of(frozen):
        then = state()
    now = state()
    assert then["version"] == meeting["data_version"] == now["version"] - 1  # recording it was a write
    assert {k: v for k, v in then.items() if k not in ("version", "audit")} == \
        {k: v for k, v in now.items() if k not in ("version", "audit")}

    event = write(records.record_event, dict(EVENT))
    fee = write(records.record_fee_payment, {"member": "Madrid", "fee_year": 2021, "paid": True, "amount_eur": 5000})
    write(records.update_member, "madrid", {"coord_note": "Plaza de Cibeles (meeting test)"})
    write(records.set_plan_status, {"plan": "2021-2023", "code": "L2A1O1", "year": 2021, "status": "done"})
    report = write(imports.run_import, "indicators",
                   [(2, {"indicator": "observatory.poverty_pct", "member": "Madrid", "year": "2021", "value": "7.5"})],
                   commit=True)
    assert report.committed
    write(revert.revert_change, fee["change_set"])

    with reading_as_of(frozen):
        assert state() == then  # byte for byte, the audit log and the data version included
    later = state()
    assert event["slug"] in later["events2021"] and event["slug"] not in then["events2021"]
    assert "Plaza de Cibeles (meeting test)" not in then["members"]
    assert later["version"] > then["version"] and later["audit"] > then["audit"]
    # a second meeting sees the writes; the first still does not
    second = write(meetings.record_meeting, name="Board of Directors, June 2021", held_on="2021-06-20")
    with Session() as s:
        frozen2 = meeting_queries.meeting(s, second["slug"])["frozen"]
        assert meeting_queries.previous_meeting(s, second["slug"])["slug"] == meeting["slug"]
    with reading_as_of(frozen2):
        assert event["slug"] in state()["events2021"]
    with reading_as_of(frozen):
        assert state() == then


def test_history_keeps_only_the_changed_rows(store):
    with Session() as s:
        before = {name: s.scalar(select(func.count()).select_from(t)) for name, t in m.HISTORY_TABLES.items()}
    write(records.update_member, "torino", {"coord_note": "Piazza Castello (history test)"})
    with Session() as s:
        after = {name: s.scalar(select(func.count()).select_from(t)) for name, t in m.HISTORY_TABLES.items()}
        version = s.scalar(select(m.Member.row_version).where(m.Member.slug == "torino"))
        kept = s.execute(select(m.HISTORY_TABLES["member"]).where(m.HISTORY_TABLES["member"].c.slug == "torino")
                         .order_by(m.HISTORY_TABLES["member"].c.history_id.desc())).first()
    assert {name: after[name] - before[name] for name in after if after[name] != before[name]} == {"member": 1}
    assert kept.valid_to == version and kept.coord_note != "Piazza Castello (history test)"


def test_recording_a_meeting_is_for_the_secretariat_and_checks_its_fields(store):
    with pytest.raises(Forbidden):
        write(meetings.record_meeting, name="x", held_on="2021-01-01", actor=BOARD)
    with pytest.raises(Invalid) as err:
        write(meetings.record_meeting, name=" ", held_on="12/03/2021")
    assert set(err.value.fields) == {"name", "held_on"}
    first = write(meetings.record_meeting, name="Extraordinary", held_on="2021-09-01")
    again = write(meetings.record_meeting, name="Extraordinary, second sitting", held_on="2021-09-01")
    assert (first["slug"], again["slug"]) == ("2021-09-01", "2021-09-01-2")


def test_no_write_while_reading_a_meeting(store):
    with Session() as s:
        frozen = meeting_queries.meeting(s, meeting_queries.meeting_rows(s)[-1]["slug"])["frozen"]
    with reading_as_of(frozen), pytest.raises(Conflict):
        write(records.record_event, {**EVENT, "title": "Written while viewing a meeting"})


def test_commands_write_through_the_orm_only():
    """db/history.py sees ORM flushes only: a bulk UPDATE, DELETE or INSERT statement on a versioned table would
    change rows without keeping their earlier state, so no command issues one (the Board pack's own bookkeeping,
    not a versioned table, may)."""
    import re
    from pathlib import Path

    versioned = {mapper.class_.__name__ for mapper in m.Base.registry.mappers if issubclass(mapper.class_, m.Versioned)}
    commands = Path(__file__).resolve().parents[2] / "db" / "commands"
    bulk = re.compile(r"\b(update|delete|insert)\(m\.(\w+)")
    found = {(path.name, verb, model) for path in commands.glob("*.py")
             for verb, model in bulk.findall(path.read_text()) if model in versioned}
    assert not found, f"bulk statements on versioned tables: {sorted(found)}"
    assert "Member" in versioned and "BoardPackFile" not in versioned


# ---- over HTTP: exports, the API and the pages, with the whole app ------------------------------------------

def _answers(client, slug: str) -> dict[str, bytes]:
    from dashboard.charts import CHARTS

    urls = [f"/export/{chart}.csv?as_of={slug}" for chart in CHARTS]
    urls += [f"/export/{chart}.csv?region=Europe&year=2020&as_of={slug}" for chart in ("active-by-region", "events-by-region")
             if chart in CHARTS]
    urls += [f"/api/v1/{name}?as_of={slug}" for name in ("members", "engagement", "events", "action-plan",
                                                          "indicators", "discrepancies", "reconciliation", "sources")]
    urls += [f"/api/v1/events?format=csv&year=2020&as_of={slug}"]
    answers = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.data[:200])
        answers[url] = response.data
    return answers


def _page_text(server, path: str, page_layout, **params) -> str:
    from urllib.parse import urlencode

    referer = f"http://localhost{path}?{urlencode(params)}"
    with server.test_request_context("/_dash-layout", headers={"Referer": referer}):
        server.preprocess_request()
        try:
            return str(page_layout(**params))
        finally:
            server.do_teardown_request()


def test_exports_api_and_pages_with_as_of_are_unchanged_after_writes(dash_app, app_store_copy):
    from dashboard.pages import events as events_page
    from dashboard.pages import overview

    server = dash_app.server
    client = server.test_client()
    meeting = write(meetings.record_meeting, name="Board of Directors, March 2021", held_on="2021-03-12")
    slug = meeting["slug"]
    before = _answers(client, slug)
    live_events = client.get("/api/v1/events?format=csv&year=2020").data
    overview_then = _page_text(server, "/", overview.layout, year="2020", as_of=slug)
    events_then = _page_text(server, "/events", events_page.layout, year="2020", as_of=slug)
    assert "As presented to the Board on 12 March 2021" in overview_then

    write(records.record_event, {**EVENT, "title": "Meeting test: 2020 forum", "start_date": "2020-11-20"})
    write(records.record_event, {**EVENT, "title": "Meeting test: 2021 lab"})
    write(records.update_member, "madrid", {"coord_note": "Cibeles (http test)"})

    after = _answers(client, slug)
    changed = [url for url in before if before[url] != after[url]]
    assert not changed, f"answers with as_of changed after writes: {changed}"
    assert client.get("/api/v1/events?format=csv&year=2020").data != live_events  # today's answer moved on
    assert _page_text(server, "/", overview.layout, year="2020", as_of=slug) == overview_then
    assert _page_text(server, "/events", events_page.layout, year="2020", as_of=slug) == events_then
    assert "2020 forum" in _page_text(server, "/events", events_page.layout, year="2020")
    assert "2020 forum" not in events_then
    # links given out in the meeting's view carry it
    assert f"as_of={slug}" in json.dumps(client.get(f"/api/v1/members?as_of={slug}").get_json()["meta"])


def test_bad_meetings_and_writes_with_as_of_are_refused(dash_app, app_store_copy):
    from dashboard.pages import overview

    client = dash_app.server.test_client()
    answer = client.get("/api/v1/members?as_of=1999-01-01")
    assert answer.status_code == 404 and "no Board meeting 1999-01-01" in answer.get_json()["error"]["message"]
    assert client.get("/export/active-by-region.csv?as_of=nope").status_code == 404
    text = _page_text(dash_app.server, "/", overview.layout, year="2020", as_of="nope")
    assert "There is no Board meeting nope: showing the data as it is today." in text
    meeting = write(meetings.record_meeting, name="Board", held_on="2021-03-12")
    create_user(app_store_copy, email="sec@meeting.test", role="secretariat")
    writer = dash_app.server.test_client()
    assert sign_in(writer, "sec@meeting.test").status_code == 302
    refused = writer.post(f"/api/v1/events?as_of={meeting['slug']}", json=dict(EVENT), headers=csrf_headers(writer))
    assert refused.status_code == 409 and "cannot be changed" in refused.get_json()["error"]["message"]
    assert client.get("/api/v1/members?as_of=" + "x" * 500).status_code == 404
