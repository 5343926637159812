"""/api/v1/openapi.json describes the API the code validates, and schemathesis fuzzes a live app against it: no
server error and every answer as described, for an anonymous visitor and for a signed-in Secretariat session."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from openapi_spec_validator import validate as validate_openapi
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from db.session import Session, make_engine
from tests.conftest import api_app, seed_store, threaded_server

EXAMPLES = 10  # per operation and session: the whole fuzzing stays well under 3 minutes on 2 cores
SEED = 20261201
SECRETARIAT = "ana@metropolis.org"
ANSWERS: Counter = Counter()  # status codes of every answer the fuzzed server gave


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A throwaway seeded SQLite store and the app served on it by a threaded server; yields its base URL."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'store.sqlite3'}"
    seed_store(url, {"email": SECRETARIAT, "role": "secretariat"})
    engine = make_engine(url)
    Session.configure(bind=engine)
    app = api_app()

    @app.after_request
    def _count(response):
        ANSWERS[response.status_code] += 1
        return response

    with threaded_server(app) as base:
        yield base
    engine.dispose()


@pytest.fixture(scope="module")
def secretariat(live) -> requests.Session:
    """A requests session signed in as the Secretariat, sending the CSRF header every write needs."""
    import re

    http = requests.Session()
    page = http.get(live + "/login").text
    token = re.search(r"name='csrf_token' value='([^']+)'", page).group(1)
    assert http.post(live + "/login", data={"email": SECRETARIAT, "password": "correct horse battery staple",
                                            "csrf_token": token}).status_code == 200
    http.headers["X-CSRFToken"] = http.cookies["_csrf_token"]
    return http


# A schema-valid body may still name a member, deliverable or change the store does not hold (or come from a visitor
# who may not write): "valid data rejected" is then the right answer, so that one check is left out.
EXCLUDED = [positive_data_acceptance]


def _fuzz(base: str, session: requests.Session | None = None) -> dict[str, str]:
    """Fuzz every operation of the live description (schema-conforming and schema-violating inputs, a fixed
    seed, EXAMPLES each) with schemathesis' checks; return the failures by operation and mode."""
    document = requests.get(base + "/api/v1/openapi.json", timeout=30).json()
    if session is not None:
        # The signed-in run sends the Secretariat's real credentials with every request: schemathesis is not to
        # forge or drop them (the anonymous run does), only to vary the parameters and bodies.
        for item in document["paths"].values():
            for operation in item.values():
                operation.pop("security", None)
    schema = schemathesis.openapi.from_dict(document)
    failures = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @seed(SEED)
            @FUZZ
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                case.call_and_validate(base_url=base + "/api/v1", session=session, excluded_checks=EXCLUDED)

            try:
                check()
            except Unsatisfiable:  # nothing schema-violating to send (an operation without parameters)
                continue
            except (Exception, BaseExceptionGroup) as err:  # noqa: BLE001 - collect every failure, report them all
                failures[f"{operation.label} ({mode.value})"] = str(err)[:3000]
    return failures


FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate])


def test_the_description_is_valid_openapi_3_1_and_lists_every_route(live):
    document = requests.get(live + "/api/v1/openapi.json").json()
    validate_openapi(document)
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    assert {"/members", "/engagement", "/events", "/fee-payments", "/members/{slug}", "/imports/{kind}",
            "/changes", "/version"} <= set(paths)
    region = next(p for p in paths["/members"]["get"]["parameters"] if p["name"] == "region")
    assert "Europe" in region["schema"]["items"]["enum"]  # the allowed values, as the validation reads them
    fee = document["components"]["schemas"]["FeeInput"]
    assert set(fee["required"]) == {"member", "fee_year", "paid"}
    assert "400" in paths["/members"]["get"]["responses"]


@pytest.mark.slow  # the fuzzing: minutes on a loaded 2-core machine (make test-slow)
def test_anonymous_answers_conform(live):
    failures = _fuzz(live)
    assert not failures, "\n\n".join(f"{k}: {v}" for k, v in failures.items())


@pytest.mark.slow
def test_secretariat_answers_conform(live, secretariat):
    failures = _fuzz(live, secretariat)
    assert not failures, "\n\n".join(f"{k}: {v}" for k, v in failures.items())


@pytest.mark.slow  # reads what the two fuzzing tests above were answered
def test_the_fuzzing_met_no_server_error(live):
    """Runs after the fuzzing tests (file order): every answer they got was below 500."""
    tried = sum(ANSWERS.values())
    print(f"schemathesis: {tried} requests, answers {json.dumps(dict(sorted(ANSWERS.items())))}")
    assert tried > 0
    assert not [status for status in ANSWERS if status >= 500]
