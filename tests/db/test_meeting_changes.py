"""What changed between two Board meetings, on both backends: a known script of writes between two meetings (an
event, a fee payment, a plan status, a member edit and its revert, a member and a discrepancy added outside the
commands), then more after the second; the comparison lists exactly those changes, by region, and the key figures
then and now. The meetings API and its write endpoint: roles, field errors, unknown meetings."""

from __future__ import annotations

import functools

import pytest
from sqlalchemy import select

from db import models as m
from db.commands import meetings, records, revert
from db.commands.base import Actor, run_command
from db.queries import meeting_changes
from db.queries.meetings import meeting
from db.session import Session, make_engine, write_session
from db.versioning import bump_data_version
from seed.load import init_store
from tests.conftest import BACKENDS, create_user, csrf_headers, sign_in, temporary_database

SECRETARIAT = Actor(user_id=None, name="Ana", role="secretariat")
YEAR = 2021
EVENT = {"title": "Europe learning lab", "start_date": "2021-04-04", "online": True, "kind": "learning",
         "metropolis_role": "organised", "region": "Europe", "members": ["Torino", "Berlin"]}
LATER_EVENT = {"title": "Johannesburg webinar", "start_date": "2021-07-04", "online": True, "kind": "webinar",
               "metropolis_role": "organised", "members": ["Johannesburg"]}


def write(command, *args, **kwargs):
    """Run a command as the Secretariat through the one runner of every write (db.commands.base.run_command)."""
    return run_command(functools.partial(command, **kwargs) if kwargs else command, SECRETARIAT, *args, what="test")


def add_outside_the_commands(engine, row) -> None:
    """Add a row as a seed import would (no audit entry), in a write transaction that bumps the data version."""
    with write_session() as session:
        session.add(row)
        session.flush()
        bump_data_version(session)


def remove_outside_the_commands(model, **where) -> None:
    with write_session() as session:
        session.delete(session.scalar(select(model).filter_by(**where)))
        session.flush()
        bump_data_version(session)


def _source_and_region(engine, region: str) -> dict:
    with Session(bind=engine) as session:
        return {"source_id": session.scalar(select(m.Source.id).where(m.Source.key == "DASHBOARD")),
                "region_id": session.scalar(select(m.Region.id).where(m.Region.name == region))}


@pytest.fixture(scope="module", params=BACKENDS)
def script(request, tmp_path_factory):
    """A seeded store with meeting A, the writes between A and B, meeting B, then writes after B."""
    with temporary_database(request.param, tmp_path_factory.mktemp("meetings")) as url:
        engine = make_engine(url)
        init_store(engine)
        Session.configure(bind=engine)
        write(meetings.record_meeting, name="Board A", held_on="2021-03-12", note="Online")
        sets = {"event": write(records.record_event, dict(EVENT))["change_set"],
                "fee": write(records.record_fee_payment, {"member": "Abidjan", "fee_year": YEAR, "paid": True})[
                    "change_set"],
                "status": write(records.set_plan_status, {"plan": "2021-2023", "code": "L1A1O1", "year": YEAR,
                                                          "status": "done"})["change_set"],
                "edit": write(records.update_member, "madrid", {"note": "Checked by phone"})["change_set"]}
        sets["revert"] = write(revert.revert_change, sets["edit"])["change_set"]
        ids = _source_and_region(engine, "Africa")
        add_outside_the_commands(engine, m.Member(
            name="Testopolis", slug="testopolis", official_name="City of Testopolis", region_id=ids["region_id"],
            region_ref="test", country="Testland", country_code="TT", latitude=1.0, longitude=2.0,
            coord_source="test", source_id=ids["source_id"], section="test", locator="test"))
        add_outside_the_commands(engine, m.Discrepancy(
            code="test.added", topic="test", subject="A discrepancy found after meeting A", printed_value="1",
            recomputed_value="2", reading_kept="2", explanation="test", source_id=ids["source_id"], section="test",
            locator="test"))
        write(meetings.record_meeting, name="Board B", held_on="2021-06-12")
        sets["later"] = write(records.record_event, dict(LATER_EVENT))["change_set"]
        remove_outside_the_commands(m.Member, slug="testopolis")
        remove_outside_the_commands(m.Discrepancy, code="test.added")
        with Session() as session:
            a, b = meeting(session, "2021-03-12")["frozen"], meeting(session, "2021-06-12")["frozen"]
        yield {"engine": engine, "a": a, "b": b, "sets": sets}
        from dashboard import prewarm

        prewarm.wait()  # once the app is imported, a write warms its pages in the background: let it end first
        engine.dispose()


def _names(df) -> list[str]:
    return sorted(df["name"]) if df is not None else None


def test_the_comparison_lists_exactly_the_writes_between_the_two_meetings(script):
    changes = meeting_changes.compare(script["a"], script["b"], year=YEAR)
    sets = script["sets"]
    recorded = changes.recorded.set_index("change_set")
    # newest first: the revert, the edit it reverted, the status, the fee, the event; not meeting B, not what came after
    assert list(recorded.index) == [sets["revert"], sets["edit"], sets["status"], sets["fee"], sets["event"]]
    assert list(recorded["kind"]) == ["member", "member", "plan_status", "fee_payment", "event"]
    assert list(recorded["action"]) == ["revert", "update", "create", "create", "create"]
    assert list(recorded["reverted"]) == [False, True, False, False, False]
    assert recorded.loc[sets["event"], "summary"] == "Event 'Europe learning lab' (2021-04-04)"
    assert recorded.loc[sets["event"], "rows"] == 3 and recorded.loc[sets["event"], "regions"] == ["Europe"]
    assert recorded.loc[sets["fee"], "member"] == "Abidjan" and recorded.loc[sets["fee"], "fees"]
    assert recorded.loc[sets["status"], "regions"] == [] and set(recorded["user_label"]) == {"Secretariat (Ana)"}
    assert _names(changes.became_active) == ["Berlin", "Torino"] and _names(changes.stopped_active) == []
    assert _names(changes.paid) == ["Abidjan"] and _names(changes.payment_removed) == []
    assert _names(changes.joined) == ["Testopolis"] and _names(changes.left) == []
    assert list(changes.discrepancies_added["code"]) == ["test.added"] and changes.discrepancies_resolved.empty


def test_a_region_filter_keeps_that_region_and_the_network_wide_changes(script):
    sets = script["sets"]
    europe = meeting_changes.compare(script["a"], script["b"], year=YEAR, regions=["Europe"])
    assert list(europe.recorded["change_set"]) == [sets["revert"], sets["edit"], sets["status"], sets["event"]]
    assert _names(europe.paid) == [] and _names(europe.joined) == [] and _names(europe.became_active) == [
        "Berlin", "Torino"]
    africa = meeting_changes.compare(script["a"], script["b"], year=YEAR, regions=["Africa"])
    assert list(africa.recorded["change_set"]) == [sets["status"], sets["fee"]]
    assert _names(africa.paid) == ["Abidjan"] and _names(africa.joined) == ["Testopolis"]
    assert _names(africa.became_active) == []


def test_from_the_later_meeting_to_now(script):
    changes = meeting_changes.compare(script["b"], None, year=YEAR)
    assert list(changes.recorded["change_set"]) == [script["sets"]["later"]]
    assert _names(changes.became_active) == ["Johannesburg"] and _names(changes.left) == ["Testopolis"]
    assert list(changes.discrepancies_resolved["code"]) == ["test.added"] and changes.discrepancies_added.empty
    assert list(meeting_changes.compare(script["a"], None, year=YEAR).became_active["name"]) == [
        "Johannesburg", "Berlin", "Torino"]  # in region order (Africa first), then by name


def test_without_fees_no_fee_table_is_read_for_the_lists(script):
    changes = meeting_changes.compare(script["a"], script["b"], year=YEAR, include_fees=False)
    assert changes.paid is None and changes.payment_removed is None
    assert bool(changes.recorded["fees"].any())  # the page leaves these out for an anonymous visitor


def test_the_key_figures_then_and_now(script):
    from dashboard.filters import ChartFilters
    from dashboard.kpis import compare_kpis

    rows = {r.metric: r for r in compare_kpis(ChartFilters(None, YEAR, as_of=None), script["a"], script["b"], True)}
    assert (rows["members"].then, rows["members"].now, rows["members"].change) == ("141", "142", "+1")
    assert (rows["activated"].then, rows["activated"].now, rows["activated"].change) == ("–", "2", "+2")
    assert (rows["fees"].then, rows["fees"].now, rows["fees"].change) == ("–", "1", "+1")
    assert (rows["events"].now, rows["events"].change) == ("1", "+1") and rows["events"].moved
    europe = {r.metric: r for r in compare_kpis(ChartFilters(["Europe"], YEAR, as_of=None), script["a"],
                                                 script["b"], True)}
    assert europe["fees"].change == "unchanged" and not europe["fees"].moved and europe["members"].change == "unchanged"


# ---- the meetings API and its write endpoint ------------------------------------------------------

@pytest.fixture
def http(script):
    from flask import Flask

    from dashboard.api import register_api
    from dashboard.auth import init_auth
    from dashboard.meetings import init_meetings
    from dashboard.records_api import register_records

    store = script["engine"]
    Session.configure(bind=store)
    app = Flask(__name__)
    init_auth(app, secret="test-" + "m" * 30, cookie_secure=False, public_access="aggregates")
    init_meetings(app)
    register_api(app)
    register_records(app, max_upload_mb=1)
    for email, role in [("sec@x.test", "secretariat"), ("board@x.test", "board")]:
        create_user(store, email=email, role=role)
    return app


def _client(app, who: str | None):
    client = app.test_client()
    if who:
        assert sign_in(client, who).status_code == 302
    return client


def test_the_list_of_meetings_and_one_meeting(http):
    client = _client(http, None)
    rows = client.get("/api/v1/meetings").get_json()["data"]
    assert [r["slug"] for r in rows[:2]] == ["2021-06-12", "2021-03-12"]
    first = next(r for r in rows if r["slug"] == "2021-03-12")
    assert first["name"] == "Board A" and first["note"] == "Online" and first["recorded_by"] == "Secretariat (Ana)"
    assert first["as_presented"].endswith("/?as_of=2021-03-12")
    assert first["changes"].endswith("/meetings/2021-03-12/changes")
    as_of_a = client.get("/api/v1/meetings?as_of=2021-03-12").get_json()["data"]
    assert [r["slug"] for r in as_of_a] == ["2021-03-12"]  # the list as it stood then
    assert client.get("/api/v1/meetings/2021-03-12").get_json()["data"]["name"] == "Board A"
    assert "2021-03-12,Board A" in client.get("/api/v1/meetings?format=csv").get_data(as_text=True)


def test_an_unknown_meeting_answers_404(http):
    client = _client(http, None)
    missing = client.get("/api/v1/meetings/1999-01-01")
    assert missing.status_code == 404 and missing.get_json()["error"]["message"] == (
        "There is no Board meeting 1999-01-01.")
    assert client.get("/api/v1/meetings?as_of=1999-01-01").status_code == 404
    assert client.get("/api/v1/meetings/2021-06-12?as_of=2021-03-12").status_code == 404  # recorded after it


def test_recording_a_meeting_is_for_the_secretariat(http):
    body = {"name": "Board C", "held_on": "2021-09-30"}
    anonymous = _client(http, None)
    assert anonymous.post("/api/v1/meetings", json=body, headers=csrf_headers(anonymous)).status_code == 401
    board = _client(http, "board@x.test")
    refused = board.post("/api/v1/meetings", json=body, headers=csrf_headers(board))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["message"] == "Your role can read the dashboard but not record data."
    sec = _client(http, "sec@x.test")
    bad = sec.post("/api/v1/meetings", json={"name": "Board C", "held_on": "30/09/2021", "colour": "red"},
                   headers=csrf_headers(sec))
    assert bad.status_code == 400 and bad.get_json()["error"]["fields"] == {"colour": "Unknown field."}
    bad = sec.post("/api/v1/meetings", json={"name": " ", "held_on": "30/09/2021", "note": 3},
                   headers=csrf_headers(sec))
    assert bad.status_code == 400 and bad.get_json()["error"]["fields"] == {
        "name": "Give the meeting a name.", "held_on": "Enter the meeting's date as YYYY-MM-DD.",
        "note": "Write the note as text."}
    as_of = sec.post("/api/v1/meetings?as_of=2021-03-12", json=body, headers=csrf_headers(sec))
    assert as_of.status_code == 409
    done = sec.post("/api/v1/meetings", json=body, headers=csrf_headers(sec))
    assert done.status_code == 201 and done.get_json()["slug"] == "2021-09-30"
    with Session() as session:
        refusals = session.scalars(select(m.AuditEntry.summary).where(m.AuditEntry.action == "refused")).all()
    assert "record a Board meeting: Your role can read the dashboard but not record data." in refusals


# ---- the pages: /meetings, /meetings/<slug>/changes, the overview's line ----------------------------------------

@pytest.fixture
def pages(script, dash_app):
    """The dashboard's app on the script's store (its cache cleared: keys name data versions, not stores)."""
    from dashboard import prewarm
    from dashboard.cache import cache

    Session.configure(bind=script["engine"])
    for email, role in [("sec@x.test", "secretariat"), ("board@x.test", "board")]:
        create_user(script["engine"], email=email, role=role)
    with dash_app.server.app_context():
        cache.clear()
    yield dash_app.server
    prewarm.wait()
    with dash_app.server.app_context():
        cache.clear()


def _text(component) -> str:
    import json

    import plotly

    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def _as(server, email: str | None, path: str, render):
    """`render()` inside a request for `path`, signed in as `email` (None: an anonymous visitor)."""
    from flask_login import login_user

    from dashboard.auth import _load_user

    with server.test_request_context(path):
        server.preprocess_request()  # the request hooks: `as_of` reads the store as of its meeting
        if email:
            with Session() as session:
                user = session.scalar(select(m.UserAccount).where(m.UserAccount.email == email))
            login_user(_load_user(f"{user.id}:{user.session_generation}"))
        return _text(render())


def test_the_changes_page_for_an_anonymous_visitor_shows_no_members_fee(pages):
    from dashboard.pages import meeting_changes as page

    path = "/meetings/2021-03-12/changes?to=2021-06-12&year=2021"
    anonymous = _as(pages, None, path, lambda: page.layout(slug="2021-03-12", to="2021-06-12", year="2021"))
    assert "Europe learning lab" in anonymous and "Torino" in anonymous and "L1A1O1 2021: done" in anonymous
    assert "Abidjan" not in anonymous  # the only member whose fee changed, in no other list
    assert "1 change to a fee payment is not listed" in anonymous and "Who paid a fee is shown" in anonymous
    signed_in = _as(pages, "board@x.test", path,
                    lambda: page.layout(slug="2021-03-12", to="2021-06-12", year="2021"))
    assert "Abidjan: 2021 fee paid" in signed_in and "Paid the fee" in signed_in


def test_the_changes_page_follows_the_region_filter(pages):
    from dashboard.pages import meeting_changes as page

    europe = _as(pages, "board@x.test", "/meetings/2021-03-12/changes?region=Europe&year=2021",
                 lambda: page.layout(slug="2021-03-12", region="Europe", year="2021"))
    assert "Europe learning lab" in europe and "Johannesburg webinar" not in europe and "Abidjan" not in europe
    africa = _as(pages, "board@x.test", "/meetings/2021-03-12/changes?region=Africa&year=2021",
                 lambda: page.layout(slug="2021-03-12", region="Africa", year="2021"))
    assert "Johannesburg webinar" in africa and "Europe learning lab" not in africa and "Abidjan" in africa


def test_an_unknown_meeting_gives_a_notice_on_the_page(pages):
    from dashboard import ids
    from dashboard.pages import meeting_changes as page

    text = _as(pages, None, "/meetings/1999-01-01/changes", lambda: page.layout(slug="1999-01-01"))
    assert "There is no Board meeting 1999-01-01." in text and ids.MeetingChanges.UNKNOWN in text
    unknown_to = _as(pages, None, "/meetings/2021-03-12/changes?to=nope",
                     lambda: page.layout(slug="2021-03-12", to="nope", year="2021"))
    assert "There is no Board meeting nope: comparing with today." in unknown_to


def test_the_meetings_page_lists_them_and_offers_the_form_to_the_secretariat(pages):
    from dashboard import ids
    from dashboard.pages import meetings as page

    board = _as(pages, "board@x.test", "/meetings", page.layout)
    assert "Board A" in board and "Board B" in board and "/?as_of=2021-03-12" in board
    assert "/meetings/2021-03-12/changes?year=" in board and "/meetings/2021-03-12?year=" in board
    assert ids.Meetings.SUBMIT not in board
    assert ids.Meetings.SUBMIT in _as(pages, "sec@x.test", "/meetings", page.layout)
    as_of_a = _as(pages, "sec@x.test", "/meetings?as_of=2021-03-12", page.layout)
    assert "Board B" not in as_of_a and ids.Meetings.SUBMIT not in as_of_a  # no recording from a meeting's view


def _submit(server, callbacks, email: str, values: dict) -> dict:
    """Send the form's callback as the browser does, signed in as `email`; return its outputs by component id."""
    from dashboard import ids

    client = server.test_client()
    assert sign_in(client, email).status_code == 302
    client.get("/meetings")
    output = next(k for k in callbacks if f"{ids.Meetings.RESULT}.children" in k)
    names = ("name", "held_on", "note")
    body = {"output": output, "changedPropIds": [f"{ids.Meetings.SUBMIT}.n_clicks"],
            "outputs": [[{"id": ids.Meetings.feedback(n), "property": "children"} for n in names],
                        [{"id": ids.Meetings.group(n), "property": "className"} for n in names],
                        {"id": ids.Meetings.RESULT, "property": "children"},
                        {"id": ids.Meetings.LIST, "property": "children"}],
            "inputs": [{"id": ids.Meetings.SUBMIT, "property": "n_clicks", "value": 1}],
            "state": [[{"id": ids.Meetings.field(n), "property": "value", "value": values.get(n)} for n in names]]}
    response = client.post("/_dash-update-component", json=body,
                           headers={"X-CSRFToken": client.get_cookie("_csrf_token").value})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


def test_the_record_form_refuses_a_board_member_and_a_bad_date(pages, dash_app):
    import json

    from dashboard import ids

    callbacks = dash_app.app.callback_map
    key = lambda component_id: json.dumps(component_id, sort_keys=True, separators=(",", ":"))  # noqa: E731
    refused = _submit(pages, callbacks, "board@x.test", {"name": "Board D", "held_on": "2021-10-01"})
    assert "Your role can read the dashboard but not record data." in _text(refused[ids.Meetings.RESULT])
    bad = _submit(pages, callbacks, "sec@x.test", {"name": "Board D", "held_on": "1 October 2021"})
    assert bad[key(ids.Meetings.feedback("held_on"))]["children"] == "Enter the meeting's date as YYYY-MM-DD."
    assert bad[key(ids.Meetings.feedback("name"))]["children"] == ""
    assert bad[key(ids.Meetings.group("held_on"))]["className"] == "mb-2 has-error"
    assert "Nothing was recorded" in _text(bad[ids.Meetings.RESULT]) and ids.Meetings.LIST not in bad
    done = _submit(pages, callbacks, "sec@x.test", {"name": "Board D", "held_on": "2021-10-01", "note": ""})
    assert "/?as_of=2021-10-01" in _text(done[ids.Meetings.RESULT]) and "Board D" in _text(done[ids.Meetings.LIST])


def test_the_overview_says_what_changed_since_the_last_meeting(pages):
    from dashboard import ids
    from dashboard.pages import overview

    text = _as(pages, None, "/", lambda: overview.since_last_meeting(overview.resolve_filters(None, None, None)))
    assert ids.Overview.SINCE_MEETING in text and "/meetings/" in text and "changes" in text
    viewing_b = _as(pages, None, "/?as_of=2021-06-12",
                    lambda: overview.since_last_meeting(overview.resolve_filters(None, None, None)))
    assert "From the previous Board meeting (12 March 2021) to this one: 5 changes recorded." in viewing_b
    assert "/meetings/2021-03-12/changes?year=2020&to=2021-06-12" in viewing_b  # never read as of a meeting


def test_each_side_of_a_comparison_keys_the_cache_with_its_own_version(pages, script):
    """One request reads the meeting, then the store now: the cache keys of "now" must carry the store's version,
    not the meeting's (else entries cached when the store stood at the meeting's version would answer for now)."""
    from dashboard.cache import current_version
    from db.asof import reading_as_of
    from db.versioning import data_version

    with Session() as session:
        now = data_version(session)[0]
    with pages.test_request_context("/meetings/2021-03-12/changes"):
        with reading_as_of(script["a"]):
            assert current_version() == script["a"].version
        assert current_version() == now != script["a"].version
