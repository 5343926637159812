"""Recording activity on both backends: forms (valid and invalid), imports, roles and CSRF, audit and revert,
and the engagement of a later year computed from its records."""

import io
import json

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from db import models as m
from db.commands import imports, records, revert
from db.commands.base import Actor, Conflict, Forbidden, Invalid
from db.queries import action_plan, engagement, events, indicators
from db.queries.common import available_years
from db.session import Session, make_engine
from seed.load import init_store
from tests import workbooks
from tests.conftest import BACKENDS, create_user, csrf_headers, sign_in, temporary_database

SECRETARIAT = Actor(user_id=None, name="Ana", role="secretariat")
EUROPE = Actor(user_id=None, name="Barbara", role="regional_secretary", region="Europe")
BOARD = Actor(user_id=None, name="Board", role="board")


@pytest.fixture(scope="module", params=BACKENDS)
def store(request, tmp_path_factory):
    """A seeded store these tests write to (module-wide: each test uses its own members and years)."""
    with temporary_database(request.param, tmp_path_factory.mktemp("writes")) as url:
        engine = make_engine(url)
        init_store(engine)
        Session.configure(bind=engine)
        yield engine
        engine.dispose()


def counts(engine) -> dict:
    with Session(bind=engine) as s:
        return {t.__tablename__: s.scalar(select(func.count()).select_from(t))
                for t in (m.Event, m.EventMember, m.FeePayment, m.BilateralMeeting, m.PlanItemStatus, m.AuditEntry,
                          m.IndicatorValue, m.MemberAlias)} | {
            "version": s.scalar(select(m.DataVersion.version))}


def run(engine, command, actor, *args, **kwargs):
    with Session(bind=engine) as session, session.begin():
        return command(session, actor, *args, **kwargs)


GOOD_EVENT = {"title": "Barcelona learning lab on housing", "start_date": "2021-03-04", "end_date": "2021-03-05",
              "online": False, "location": "Barcelona, Spain", "kind": "learning", "metropolis_role": "organised",
              "region": "Europe", "members": ["Barcelona (city)", "Grand Paris", "Torino"],
              "deliverables": ["L2A2O3"], "speakers_women": 4, "speakers_men": 3, "speakers_unrecorded": 1,
              "participants_women": 30, "participants_men": 20}


def test_valid_event_is_saved_with_its_source_and_shows_on_the_pages(store):
    before = counts(store)
    result = run(store, records.record_event, EUROPE, dict(GOOD_EVENT))
    after = counts(store)
    assert after["event"] == before["event"] + 1 and after["event_member"] == before["event_member"] + 3
    assert after["version"] == before["version"] + 1 and after["audit_entry"] == before["audit_entry"] + 5
    with Session(bind=store) as s:
        df = events.events_in_year(s, year=2021)
        row = df.set_index("slug").loc[result["slug"]]
        assert row["members"] == "Barcelona (city); Greater Paris; Torino" and row["deliverables"] == "L2A2O3"
        assert row["source"].startswith("Entered in the dashboard, by Regional secretary for Europe (Barbara) on")
        assert 2021 in available_years(s)
        derived = engagement.engagement_by_member(s, year=2021, regions=["Europe"]).set_index("member")
        assert derived.loc["Torino", "activated"] and derived.loc["Torino", "learning_activities"] == 1
        assert not derived.loc["Madrid", "activated"]
        assert derived.loc["Torino", "source"] == "Computed from the records entered in the dashboard"
        gender = indicators.recorded_gender(s, year=2021)
        speakers = gender.set_index("population").loc["recorded.speakers"]
        assert speakers["women_pct"] == pytest.approx(100 * 4 / 7) and speakers["total"] == 8


@pytest.mark.parametrize("change,field,message", [
    ({"title": "x"}, "title", "Required."),
    ({"start_date": "04/03/2021"}, "start_date", "Enter a date as YYYY-MM-DD."),
    ({"start_date": "1850-01-01"}, "start_date", "enter a year from 2020 to"),
    ({"end_date": "2021-03-01"}, "end_date", "The end date is before the start date."),
    ({"location": "", "online": False}, "location", "Give the location"),
    ({"kind": "party"}, "kind", "Choose one of the listed values."),
    ({"metropolis_role": "not_stated"}, "metropolis_role", "Choose one of the listed values."),
    ({"statutory_meeting": "board"}, "statutory_meeting", "Only a statutory meeting"),
    ({"members": ["Atlantis"]}, "members", "Unknown member: Atlantis"),
    ({"deliverables": ["L9A9O9"]}, "deliverables", "Unknown deliverable or outcome: L9A9O9"),
    ({"speakers_women": -3}, "speakers_women", "Must not be negative."),
    ({"participants_men": "many"}, "participants_men", "Enter a whole number."),
    ({"region": "Atlantis"}, "region", "Unknown region."),
    ({"hacked": True}, "hacked", "Unknown field."),
])
def test_each_invalid_event_field_is_refused_with_its_message_and_nothing_written(store, change, field, message):
    before = counts(store)
    with pytest.raises(Invalid) as err:
        run(store, records.record_event, SECRETARIAT, {**GOOD_EVENT, **change})
    assert message in err.value.fields[field]
    assert counts(store) == before


def test_fee_payment_create_update_and_invalid(store):
    run(store, records.record_fee_payment, SECRETARIAT, {"member": "Zagreb", "fee_year": 2021, "paid": True,
                                                        "amount_eur": 12000, "paid_on": "2021-02-01"})
    run(store, records.record_fee_payment, SECRETARIAT, {"member": "zagreb", "fee_year": 2021, "paid": False})
    with Session(bind=store) as s:
        row = s.scalar(select(m.FeePayment).join(m.Member).where(m.Member.name == "Zagreb", m.FeePayment.fee_year == 2021))
        assert row.paid is False and row.section.startswith("by Secretariat (Ana)")
    before = counts(store)
    for data, field in [({"member": "Zagreb", "fee_year": 1700, "paid": True}, "fee_year"),
                        ({"member": "Zagreb", "fee_year": 2021, "paid": True, "amount_eur": -5}, "amount_eur"),
                        ({"member": "Zagreb", "fee_year": 2021, "paid": False, "amount_eur": 10}, "paid"),
                        ({"member": "Nowhere", "fee_year": 2021, "paid": True}, "member"),
                        ({"fee_year": 2021, "paid": True}, "member")]:
        with pytest.raises(Invalid) as err:
            run(store, records.record_fee_payment, SECRETARIAT, data)
        assert field in err.value.fields
    assert counts(store) == before


def test_bilateral_meeting_is_stored_by_month(store):
    run(store, records.record_bilateral_meeting, EUROPE, {"member": "Sofia", "date": "2021-05-17", "online": True})
    with Session(bind=store) as s:
        df = events.bilateral_meetings_by_month(s, year=2021, member_slug="sofia")
        assert [d.isoformat() for d in df["month"]] == ["2021-05-01"]
    with pytest.raises(Invalid) as err:
        run(store, records.record_bilateral_meeting, EUROPE, {"member": "Sofia", "date": "17 May"})
    assert err.value.fields["date"] == "Enter a date as YYYY-MM-DD."


def test_plan_status_for_an_outcome(store):
    run(store, records.set_plan_status, SECRETARIAT, {"plan": "2021-2023", "code": "L1A1O1", "year": 2021,
                                                     "status": "done", "comment": "Policy recommendations issued"})
    with Session(bind=store) as s:
        df = action_plan.completion_by_line(s, plan="2021-2023", year=2021).set_index("line")
        assert df.loc["L1", "done"] == 1 and df.loc["L1", "unknown"] == 9
    for data, field in [({"plan": "2021-2023", "code": "L1A1O1", "year": 2030, "status": "done"}, "year"),
                        ({"plan": "2021-2023", "code": "L1M1D1", "year": 2021, "status": "done"}, "code"),
                        ({"plan": "2050", "code": "L1A1O1", "year": 2021, "status": "done"}, "plan"),
                        ({"plan": "2021-2023", "code": "L1A1O1", "year": 2021, "status": "finished"}, "status")]:
        with pytest.raises(Invalid) as err:
            run(store, records.set_plan_status, SECRETARIAT, data)
        assert field in err.value.fields


def test_member_update_coordinates_leadership_alias(store):
    run(store, records.update_member, EUROPE, "lisbon", {"latitude": 38.72, "longitude": -9.14,
                                                          "coord_note": "City hall", "governed_by_woman": True,
                                                          "governed_as_of": "2021-10-01", "add_alias": "Lisboa"})
    with Session(bind=store) as s:
        member = s.scalar(select(m.Member).where(m.Member.slug == "lisbon"))
        assert (member.latitude, member.coord_source, member.coord_note) == (38.72, "hand", "City hall")
        assert s.scalar(select(m.MemberAlias.member_id).where(m.MemberAlias.alias == "Lisboa")) == member.id
    for data, field in [({"latitude": 100, "longitude": 0}, "latitude"), ({"latitude": 10}, "longitude"),
                        ({"governed_by_woman": True}, "governed_as_of"), ({"add_alias": "Madrid"}, "add_alias"),
                        ({}, "form")]:
        with pytest.raises(Invalid) as err:
            run(store, records.update_member, EUROPE, "lisbon", data)
        assert field in err.value.fields


def test_region_rule_is_enforced_on_the_server(store):
    before = counts(store)
    for command, args in [(records.record_fee_payment, ({"member": "Dakar", "fee_year": 2021, "paid": True},)),
                          (records.record_bilateral_meeting, ({"member": "Dakar", "date": "2021-01-05"},)),
                          (records.update_member, ("dakar", {"coord_note": "x"})),
                          (records.record_event, ({**GOOD_EVENT, "region": "Africa", "members": ["Dakar"]},)),
                          (records.record_event, ({**GOOD_EVENT, "members": ["Madrid", "Dakar"]},)),
                          (records.set_plan_status, ({"plan": "2021-2023", "code": "L1A1O2", "year": 2021,
                                                      "status": "done"},))]:
        with pytest.raises(Forbidden):
            run(store, command, EUROPE, *args)
        with pytest.raises(Forbidden):
            run(store, command, BOARD, *args)
        with pytest.raises(Forbidden):
            run(store, command, None, *args)
    assert counts(store) == before


# ---- imports ------------------------------------------------------------------------------------

def rows_of(text: str):
    from dashboard.uploads import read_table

    header, rows = read_table("list.csv", text.encode(), max_bytes=10_000)
    imports.check_columns("attendance" if "event" in header else "indicators", header)
    return rows


def test_good_attendance_file_commits_all_rows(store):
    slug = run(store, records.record_event, SECRETARIAT, {**GOOD_EVENT, "title": "Import target event",
                                                          "members": [], "region": None})["slug"]
    before = counts(store)
    report = run(store, imports.run_import, SECRETARIAT, "attendance",
                 rows_of(f"event,member\n{slug},Bogotá\n{slug},valle de aburrá\nImport target event,Montréal\n"),
                 commit=True)
    assert report.committed and not report.problems and len(report.rows) == 3
    assert counts(store)["event_member"] == before["event_member"] + 3


def test_attendance_file_with_one_bad_row_commits_nothing_and_names_the_row(store):
    slug = run(store, records.record_event, SECRETARIAT, {**GOOD_EVENT, "title": "Second import target",
                                                          "members": [], "region": None})["slug"]
    before = counts(store)
    report = run(store, imports.run_import, SECRETARIAT, "attendance",
                 rows_of(f"event,member\n{slug},Bogotá\n{slug},Atlantis\n{slug},Quito\n"), commit=True)
    assert not report.committed and [(p.line, p.message) for p in report.problems] == [
        (3, "Unknown member 'Atlantis' (use a name or alias).")]
    assert counts(store) == before


def test_indicator_values_from_an_excel_workbook(store):
    from dashboard.uploads import read_table

    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "member", "year", "value", "note"])
    sheet.append(["observatory.poverty_pct", "Madrid", 2021, 7.5, "INE"])
    sheet.append(["observatory.life_expectancy", "Greater Paris", 2021, 83.1, None])
    buffer = io.BytesIO()
    book.save(buffer)
    header, rows = read_table("values.xlsx", buffer.getvalue(), max_bytes=1_000_000)
    imports.check_columns("indicators", header)
    report = run(store, imports.run_import, EUROPE, "indicators", rows, commit=True)
    assert report.committed and len(report.rows) == 2
    with Session(bind=store) as s:
        df = engagement.engagement_by_member(s, year=2021, member_slug="madrid")
        assert df.iloc[0]["indicators_year"] == 2021
    bad = run(store, imports.run_import, EUROPE, "indicators",
              [(2, {"indicator": "observatory.poverty_pct", "member": "Dakar", "year": "2021", "value": "5"}),
               (3, {"indicator": "observatory.poverty_pct", "member": "Madrid", "year": "2021", "value": "250"}),
               (4, {"indicator": "people.happiness", "member": "Madrid", "year": "2021", "value": "5"}),
               (5, {"indicator": "observatory.poverty_pct", "member": "Madrid", "year": "20x1", "value": "5"})],
              commit=True)
    assert not bad.committed and [p.line for p in bad.problems] == [2, 3, 4, 5]
    assert "not your region" in bad.problems[0].message


@pytest.mark.parametrize("name,data,message", [
    ("list.pdf", b"%PDF-1.4 ...", "Upload a CSV file or an Excel workbook"),
    ("list.csv", b"", "The file is empty."),
    ("list.csv", b"   \n  ", "The file is empty."),
    ("list.csv", b"event,member\n" + b"x" * 20_000, "at most"),
    ("list.csv", "event,member\nConférence,Bogotá\n".encode("latin-1"), "not UTF-8"),
    ("list.xls", b"\xd0\xcf\x11\xe0 old excel", "Old Excel files"),
    ("list.csv", b"PK\x03\x04 zipped", "not a CSV text file"),
    ("list.xlsx", b"this is not a zip", "not a valid Excel workbook"),
    ("list.csv", b'event,member\n"unterminated,Bogota\n', "malformed"),
])
def test_malformed_files_get_a_clear_message(name, data, message):
    from dashboard.uploads import read_table

    with pytest.raises(Invalid) as err:
        read_table(name, data, max_bytes=10_000)
    assert message in err.value.fields["file"]


def test_wrong_header_is_explained():
    with pytest.raises(Invalid) as err:
        imports.check_columns("attendance", ["Event", "Members"])
    assert "missing column(s): member" in err.value.fields["file"] and "unknown column(s): members" in err.value.fields["file"]


# ---- audit and revert ---------------------------------------------------------------------------

def test_audit_records_before_and_after_and_revert_restores(store):
    run(store, records.record_fee_payment, SECRETARIAT, {"member": "Harare", "fee_year": 2021, "paid": True})
    change = run(store, records.record_fee_payment, SECRETARIAT, {"member": "Harare", "fee_year": 2021, "paid": False})
    with Session(bind=store) as s:
        entry = s.scalar(select(m.AuditEntry).where(m.AuditEntry.change_set == change["change_set"]))
        assert entry.action == "update" and json.loads(entry.before)["paid"] is True
        assert json.loads(entry.after)["paid"] is False and entry.member_id is not None
    run(store, revert.revert_change, SECRETARIAT, change["change_set"])
    with Session(bind=store) as s:
        paid = s.scalar(select(m.FeePayment.paid).join(m.Member).where(m.Member.name == "Harare",
                                                                      m.FeePayment.fee_year == 2021))
        assert paid is True
    with pytest.raises(Conflict, match="already reverted"):
        run(store, revert.revert_change, SECRETARIAT, change["change_set"])
    with pytest.raises(Forbidden):
        run(store, revert.revert_change, EUROPE, change["change_set"])


def test_revert_of_a_created_event_removes_it_and_its_links(store):
    before = counts(store)
    result = run(store, records.record_event, SECRETARIAT, {**GOOD_EVENT, "title": "Event to revert"})
    run(store, revert.revert_change, SECRETARIAT, result["change_set"])
    after = counts(store)
    assert (after["event"], after["event_member"]) == (before["event"], before["event_member"])
    assert after["audit_entry"] == before["audit_entry"] + 5 + 5  # the change and its revert


def test_revert_refuses_when_the_row_changed_since(store):
    first = run(store, records.update_member, SECRETARIAT, "kazan", {"coord_note": "first note"})
    run(store, records.update_member, SECRETARIAT, "kazan", {"coord_note": "second note"})
    with pytest.raises(Conflict, match="changed since"):
        run(store, revert.revert_change, SECRETARIAT, first["change_set"])


# ---- the HTTP endpoints: roles and CSRF ---------------------------------------------------------

@pytest.fixture
def http(store, tmp_path):
    from flask import Flask

    from dashboard.api import register_api
    from dashboard.auth import init_auth
    from dashboard.records_api import register_records

    Session.configure(bind=store)
    app = Flask(__name__)
    init_auth(app, secret="test-" + "s" * 30, cookie_secure=False, public_access="aggregates")
    register_api(app)
    register_records(app, max_upload_mb=1)
    for email, role, region in [("sec@x.test", "secretariat", None), ("board@x.test", "board", None),
                                ("eu@x.test", "regional_secretary", "Europe"), ("af@x.test", "regional_secretary", "Africa")]:
        create_user(store, email=email, role=role, region=region)
    return app


WRITES = [
    ("post", "/api/v1/fee-payments", {"member": "Madrid", "fee_year": 2022, "paid": True}, "eu@x.test"),
    ("post", "/api/v1/bilateral-meetings", {"member": "Madrid", "date": "2022-02-02"}, "eu@x.test"),
    ("patch", "/api/v1/members/madrid", {"coord_note": "Plaza de Cibeles"}, "eu@x.test"),
    ("post", "/api/v1/events", {**GOOD_EVENT, "title": "Role test event", "start_date": "2022-01-10",
                                "end_date": None}, "eu@x.test"),
    ("put", "/api/v1/plan-statuses", {"plan": "2021-2023", "code": "L2A1O1", "year": 2022, "status": "in_progress"},
     "sec@x.test"),
]


@pytest.mark.parametrize("method,url,body,allowed", WRITES, ids=[w[1] for w in WRITES])
def test_every_write_endpoint_by_role(http, store, method, url, body, allowed):
    results = {}
    for who in (None, "board@x.test", "af@x.test", "eu@x.test", "sec@x.test"):
        client = http.test_client()
        if who:
            assert sign_in(client, who).status_code == 302
        response = getattr(client, method)(url, json=body, headers=csrf_headers(client))
        results[who] = response.status_code
    assert results[None] == 401 and results["board@x.test"] == 403 and results["af@x.test"] == 403
    assert results[allowed] in (200, 201)
    if allowed == "sec@x.test":
        assert results["eu@x.test"] == 403
    with Session(bind=store) as s:
        refused = s.scalars(select(m.AuditEntry.user_label).where(m.AuditEntry.action == "refused")).all()
        assert any("for Africa" in label for label in refused)


def test_writes_without_the_csrf_token_are_refused(http):
    client = http.test_client()
    sign_in(client, "sec@x.test")
    response = client.post("/api/v1/fee-payments", json={"member": "Madrid", "fee_year": 2023, "paid": True})
    assert response.status_code == 400 and "expired or did not come from this site" in response.get_json()["error"]["message"]
    response = client.post("/api/v1/fee-payments", json={"member": "Madrid", "fee_year": 2023, "paid": True},
                           headers={"X-CSRFToken": "forged"})
    assert response.status_code == 400
    login = http.test_client().post("/login", data={"email": "sec@x.test", "password": "x"})
    assert login.status_code == 400  # the login form itself needs its token


def test_invalid_input_answers_400_with_field_messages(http):
    client = http.test_client()
    sign_in(client, "sec@x.test")
    response = client.post("/api/v1/events", json={**GOOD_EVENT, "end_date": "2020-01-01"}, headers=csrf_headers(client))
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"] == {"end_date": "The end date is before the start date."}
    response = client.post("/api/v1/events", data="not json", headers=csrf_headers(client))
    assert response.status_code == 400 and "JSON object" in response.get_json()["error"]["fields"]["form"]


def test_import_endpoint_preview_then_commit(http, store):
    client = http.test_client()
    sign_in(client, "eu@x.test")
    body = "event,member\n2021-03-04-barcelona-learning-lab-on-housing,Madrid\n"
    preview = client.post("/api/v1/imports/attendance?mode=preview", headers=csrf_headers(client),
                          data={"file": (io.BytesIO(body.encode()), "list.csv")}, content_type="multipart/form-data")
    assert preview.status_code == 200 and preview.get_json()["committed"] is False
    commit = client.post("/api/v1/imports/attendance?mode=commit", headers=csrf_headers(client),
                         data={"file": (io.BytesIO(body.encode()), "list.csv")}, content_type="multipart/form-data")
    assert commit.status_code == 201 and commit.get_json()["committed"] is True
    huge = client.post("/api/v1/imports/attendance?mode=preview", headers=csrf_headers(client),
                       data={"file": (io.BytesIO(b"event,member\n" + b"a,b\n" * 400_000), "big.csv")},
                       content_type="multipart/form-data")
    assert huge.status_code in (400, 413) and "MB" in huge.get_json()["error"].get("message", "") + str(
        huge.get_json()["error"].get("fields", ""))


@pytest.mark.parametrize("build,message", [
    (workbooks.truncated_sheet, "This is not a valid Excel workbook (.xlsx), or it is damaged"),
    (workbooks.chartsheet_only, "The workbook has no worksheet (its sheets are charts)"),
    (workbooks.million_rows, "The file has more than 20,000 rows"),
    (workbooks.one_huge_cell, "The workbook unpacks to 150 MB"),
    (lambda: workbooks.openpyxl_book([["event", "member"], ["=A1", "Madrid"]]), "Cell A2 of sheet 'Sheet' holds a formula"),
], ids=["truncated-xml", "chartsheet-only", "million-rows", "150-mb-cell", "formula"])
def test_import_endpoint_answers_bad_workbooks_with_a_400_message(http, store, build, message):
    client = http.test_client()
    sign_in(client, "eu@x.test")
    before = counts(store)
    for mode in ("preview", "commit"):
        response = client.post(f"/api/v1/imports/attendance?mode={mode}", headers=csrf_headers(client),
                               data={"file": (io.BytesIO(build()), "list.xlsx")}, content_type="multipart/form-data")
        assert response.status_code == 400 and response.is_json
        error = response.get_json()["error"]
        assert error["message"].startswith(message) and error["fields"]["file"] == error["message"]
    assert counts(store) == before


def test_audit_log_endpoint_is_for_the_secretariat(http):
    board = http.test_client()
    sign_in(board, "board@x.test")
    assert board.get("/api/v1/changes").status_code == 403
    sec = http.test_client()
    sign_in(sec, "sec@x.test")
    rows = sec.get("/api/v1/changes?limit=20").get_json()["data"]
    assert rows and {"change_set", "user_label", "action", "before", "after"} <= rows[0].keys()


def test_disabled_user_cannot_sign_in(http, store):
    create_user(store, email="gone@x.test", role="board", active=False)
    client = http.test_client()
    response = sign_in(client, "gone@x.test")
    assert response.status_code == 401 and "disabled" in response.get_data(as_text=True)


def test_recording_tehrans_unknown_fee_is_refused_and_the_cell_stays_unknown(store):
    """Tehran's 2020 fee cell is printed, unreadably: it is a printed figure, so a recorded payment cannot replace
    it (409, the discrepancy route named) and the cell stays unknown, never False."""
    def tehran():
        with Session(bind=store) as s:
            row = engagement.engagement_by_member(s, year=2020, member_slug="tehran").iloc[0]
            paid = s.scalar(select(m.FeePayment.paid).join(m.Member).where(m.Member.name == "Tehran",
                                                                          m.FeePayment.fee_year == 2020))
            return row["fee_paid"], row["unknown_cells"].split(","), paid

    unknown = (None, ["fee_paid", "board_meetings", "bilateral_meetings", "learning_activities", "wmd_participation",
                      "call_endorsement"], None)
    assert tehran() == unknown
    with pytest.raises(Conflict, match="printed figures stay as printed"):
        run(store, records.record_fee_payment, SECRETARIAT, {"member": "Tehran", "fee_year": 2020, "paid": True})
    assert tehran() == unknown