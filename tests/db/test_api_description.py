"""The API's parameters are declared once (pydantic models) and that one declaration validates the requests, lists
them in the index and describes them in /api/v1/openapi.json; write-side query parameters are validated too."""

import pytest

from dashboard import api, openapi
from tests.conftest import csrf_headers, sign_in


@pytest.fixture
def client(web_app):
    return web_app.test_client()


def test_the_index_and_the_description_list_the_parameters_the_validation_accepts(client):
    index = {e["url"]: e["parameters"] for e in client.get("/api/v1/").get_json()["endpoints"]}
    document = client.get("/api/v1/openapi.json").get_json()
    reads = [op for op in openapi.OPERATIONS if op.csv]
    assert len(reads) == 10 and set(index) == {openapi.API_PREFIX + op.rule for op in reads}
    for op in reads:
        declared = list(op.query.model_fields)
        described = [p["name"] for p in document["paths"][op.path]["get"]["parameters"]]
        assert index[openapi.API_PREFIX + op.rule] == declared == described
        for name in declared:  # every declared parameter is accepted (a blank value is the parameter left out)
            assert client.get(f"{openapi.API_PREFIX}{op.rule}?{name}=").status_code == 200, (op.rule, name)
        response = client.get(f"{openapi.API_PREFIX}{op.rule}?not_a_parameter=1")
        assert response.status_code == 400 and response.get_json()["error"]["valid"] == declared


def test_the_endpoint_wrapper_keeps_the_function_name_and_docstring():
    assert api.members_endpoint.__name__ == "members_endpoint"
    assert api.members_endpoint.__doc__.startswith("Every member")
    assert api.members_endpoint.__wrapped__ is not None


@pytest.mark.parametrize("query,status", [("lang=es", 200), ("lang=fr", 200), ("lang=zz", 400), ("lang=", 200)])
def test_lang_is_one_of_the_languages_of_metropolis(client, query, status):
    response = client.get(f"/api/v1/members?{query}")
    assert response.status_code == status
    if status == 400:
        error = response.get_json()["error"]
        assert error["parameter"] == "lang" and error["valid"] == ["en", "es", "fr"]


def test_the_described_allowed_values_are_the_ones_the_validation_reads(client):
    document = client.get("/api/v1/openapi.json").get_json()
    years = next(p for p in document["paths"]["/engagement"]["get"]["parameters"] if p["name"] == "year")
    assert years["schema"]["enum"] == client.get("/api/v1/").get_json()["years"]
    for year in years["schema"]["enum"]:
        assert client.get(f"/api/v1/engagement?year={year}").status_code == 200
    assert client.get(f"/api/v1/engagement?year={max(years['schema']['enum']) + 1}").status_code == 400


@pytest.mark.parametrize("query,field", [("limit=abc", "limit"), ("limit=0", "limit"), ("limit=99999", "limit"),
                                         ("lmit=5", "lmit")])
def test_a_bad_audit_log_parameter_answers_400(client, store_engine, query, field):
    from tests.conftest import create_user

    create_user(store_engine, email="audit@metropolis.org", role="secretariat")
    sign_in(client, "audit@metropolis.org")
    response = client.get(f"/api/v1/changes?{query}", headers=csrf_headers(client))
    assert response.status_code == 400 and field in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/changes?limit=3").status_code == 200
