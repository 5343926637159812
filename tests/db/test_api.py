"""The read-only API on both backends: fields, filters, CSV, and clear 400/404 answers to bad input."""

import csv
import io

import pytest


@pytest.fixture
def client(web_app):
    return web_app.test_client()


def data(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["data"]


def test_members_lists_141_plus_honorary_with_sources(client):
    rows = data(client.get("/api/v1/members"))
    assert len(rows) == 142
    required = {"name", "official_name", "region", "country", "latitude", "longitude", "honorary", "new_member",
                "governed_by_woman", "aliases", "source"}
    assert required <= rows[0].keys()
    by_name = {r["name"]: r for r in rows}
    assert by_name["Bandar"]["new_member"] and not by_name["Abidjan"]["new_member"]
    assert "Bogotá" in by_name["Bogota"]["aliases"]
    assert by_name["CPAFFC"]["honorary"]
    assert all(r["source"] for r in rows)


def test_members_region_filter_accepts_names_and_slugs(client):
    assert len(data(client.get("/api/v1/members?region=Europe"))) == 16
    assert len(data(client.get("/api/v1/members?region=latin-america-and-the-caribbean"))) == 20
    both = data(client.get("/api/v1/members?region=Europe&region=North America"))
    assert len(both) == 23 and {r["region"] for r in both} == {"Europe", "North America"}


def test_engagement_fields_and_filters(client):
    rows = data(client.get("/api/v1/engagement?year=2020&region=Europe"))
    assert len(rows) == 16
    expected = {"member", "region", "year", "activated", "fee_paid", "board_meetings", "annual_meeting",
                "bilateral_meetings", "pilot_project", "indicators_year", "learning_activities", "wmd_organiser",
                "wmd_participation", "call_endorsement", "source"}
    assert expected <= rows[0].keys()
    madrid = next(r for r in rows if r["member"] == "Madrid")
    assert (madrid["pilot_project"], madrid["bilateral_meetings"]) == ("P", 3)
    assert madrid["fee_paid"] is None  # a member's fee payment is never public
    assert "line 417" in madrid["source"]


def test_fee_payments_are_shown_to_signed_in_users_only(client, store_engine):
    from tests.conftest import create_user, sign_in

    create_user(store_engine, email="board@metropolis.test", role="board")
    sign_in(client, "board@metropolis.test")
    rows = data(client.get("/api/v1/engagement?year=2020&region=Europe"))
    assert next(r for r in rows if r["member"] == "Madrid")["fee_paid"] is True


def test_website_mentions(client):
    rows = data(client.get("/api/v1/website-mentions?year=2020"))
    assert sum(r["news"] for r in rows) == 488
    assert {"member", "region", "year", "news", "library_publications", "publication_mentions", "use_cases",
            "c4gh_initiatives", "source"} <= rows[0].keys()


def test_events_with_members_and_deliverables(client):
    rows = data(client.get("/api/v1/events?year=2020"))
    assert len(rows) == 109
    food = next(r for r in rows if "Food Systems" in r["title"])
    assert isinstance(food["members"], list) and "Madrid" in food["members"] and "L2M7D1" in food["deliverables"]
    africa = data(client.get("/api/v1/events?year=2020&region=Africa"))
    assert 0 < len(africa) < len(rows)
    assert len(data(client.get("/api/v1/events?kind=wmd"))) == 18


def test_action_plan(client):
    rows = data(client.get("/api/v1/action-plan?plan=2018-2020"))
    deliverables = [r for r in rows if r["level"] == "deliverable"]
    assert len(deliverables) == 65
    assert {r["status"] for r in deliverables} == {"done", "in_progress", "not_done"}
    d = next(r for r in rows if r["code"] == "L1M1D2")
    assert (d["line"], d["measure"], d["status"], d["printed"]) == ("L1", "L1M1", "not_done", "×")
    later = data(client.get("/api/v1/action-plan?plan=2021-2023"))
    assert {r["level"] for r in later} == {"line", "axis", "outcome"}
    assert all(r["status"] == "unknown" for r in later)


def test_indicators_discrepancies_sources_reconciliation(client):
    gender = data(client.get("/api/v1/indicators?scope=network&year=2020&topic=gender"))
    assert any(r["code"] == "events.speakers.women_pct" and r["value"] == 36 for r in gender)
    assert len(data(client.get("/api/v1/discrepancies"))) >= 17
    assert {r["key"] for r in data(client.get("/api/v1/sources"))} >= {"AR2020", "PR2020Q3", "SAP2021"}
    checks = data(client.get("/api/v1/reconciliation?year=2020"))
    assert not [c for c in checks if c["status"] == "unexplained"]


def test_csv_format_carries_header_comments_and_the_same_rows(client):
    response = client.get("/api/v1/engagement?year=2020&region=Africa&format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert any("region=Africa" in c for c in comments) and any("data_as_of" in c for c in comments)
    rows = list(csv.DictReader(io.StringIO("\n".join(l for l in text.splitlines() if not l.startswith("#")))))
    assert len(rows) == 25 and rows[0]["source"]


def test_index_lists_endpoints(client):
    response = client.get("/api/v1/")
    body = response.get_json()
    assert response.status_code == 200 and len(body["endpoints"]) == 10 and body["years"] == [2020]


@pytest.mark.parametrize("url,parameter", [
    ("/api/v1/members?region=Atlantis", "region"),
    ("/api/v1/engagement?year=1999", "year"),
    ("/api/v1/engagement?year=twenty", "year"),
    ("/api/v1/action-plan?plan=2030", "plan"),
    ("/api/v1/members?format=xml", "format"),
    ("/api/v1/events?kind=party", "kind"),
    ("/api/v1/indicators?scope=planet", "scope"),
    ("/api/v1/members?regoin=Europe", "regoin"),
    ("/api/v1/engagement?region=Europe%27%3B%20DROP%20TABLE%20member%3B--", "region"),
    ("/api/v1/engagement?year=2020%20OR%201%3D1", "year"),
    ("/api/v1/members?region=" + "A" * 5000, "region"),
])
def test_bad_input_answers_400_naming_the_parameter(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["parameter"] == parameter and error["message"]
    assert len(error["message"]) < 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_bad_region_lists_valid_values(client):
    error = client.get("/api/v1/members?region=Atlantis").get_json()["error"]
    assert "Europe" in error["valid"] and "Atlantis" in error["message"]


def test_store_survives_injection_attempts(client):
    client.get("/api/v1/members?region=Europe'; DROP TABLE member;--")
    assert len(data(client.get("/api/v1/members"))) == 142


def test_unknown_path_and_method_answer_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404
    response = client.post("/api/v1/members")
    assert response.status_code == 405 and response.get_json()["error"]["status"] == 405


def test_unknown_cells_are_null_in_json_and_empty_in_csv(client, store_engine):
    from tests.conftest import create_user, sign_in

    rows = data(client.get("/api/v1/engagement?year=2020&region=Asia-Pacific"))
    tehran = next(r for r in rows if r["member"] == "Tehran")
    assert [tehran[c] for c in ("board_meetings", "bilateral_meetings", "learning_activities", "wmd_participation",
                                "call_endorsement")] == [None] * 5
    # anonymous visitors see no fee data, not even that the fee cell is unknown
    assert tehran["unknown_cells"] == "board_meetings,bilateral_meetings,learning_activities,wmd_participation,call_endorsement"
    assert tehran["annual_meeting"] is True and tehran["wmd_organiser"] == 0
    assert next(r for r in rows if r["member"] == "Seoul")["unknown_cells"] == ""
    text = client.get("/api/v1/engagement?year=2020&region=Asia-Pacific&format=csv").get_data(as_text=True)
    table = list(csv.DictReader(io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))))
    row = next(r for r in table if r["member"] == "Tehran")
    assert (row["board_meetings"], row["call_endorsement"], row["wmd_organiser"]) == ("", "", "0")
    create_user(store_engine, email="board-unknown@metropolis.test", role="board")
    sign_in(client, "board-unknown@metropolis.test")
    signed = next(r for r in data(client.get("/api/v1/engagement?year=2020&region=Asia-Pacific"))
                  if r["member"] == "Tehran")
    assert signed["fee_paid"] is None and signed["unknown_cells"].startswith("fee_paid,")


def test_reconciliation_says_which_totals_rest_on_unknown_cells(client):
    checks = {c["code"]: c for c in data(client.get("/api/v1/reconciliation?year=2020"))}
    assert checks["fees.paid.members"]["recomputed_text"] == "77 known + 1 unknown"
    assert checks["fees.paid.members"]["unknown"] == 1 and checks["members.total"]["unknown"] == 0
    assert checks["members.countries"]["period_start"] == "2020-11-01"
    discrepancies = {d["code"] for d in data(client.get("/api/v1/discrepancies"))}
    assert {"members.new.yiwu", "partners.u20_white_papers", "board.barcelona_city_no_seat",
            "events.cities_are_listening_september"} <= discrepancies
    assert len(discrepancies) == 29
