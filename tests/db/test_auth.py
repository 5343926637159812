"""Sign-in hardening on both backends: the failed-attempt limits per account and per address (in memory and in
Redis), equal cost for unknown and known e-mails, and sessions that end on sign-out, disable and a new password."""

from __future__ import annotations

import io
import re
import statistics
import time
import uuid

import pytest

from tests.conftest import PASSWORD, create_user, csrf_headers

REDIS_TEST_URL = "redis://127.0.0.1:6379/13"  # a database of its own (tests/browser/test_live.py flushes 14)
LIMITS = ("3 per 15 minutes", "6 per 15 minutes")  # per account, per address
TOO_MANY = re.compile(r"Too many sign-in attempts: try again in (\d+) minutes?\.")


def make_app(*, limits=LIMITS, redis_url: str = ""):
    """The API and sign-in (no Dash) on the bound store, with its own limits and limit storage."""
    from flask import Flask

    from dashboard.api import register_api
    from dashboard.auth import init_auth

    app = Flask(__name__)
    init_auth(app, secret="test-secret-" + "x" * 20, cookie_secure=False, public_access="aggregates",
              signin_limits=limits, redis_url=redis_url)
    register_api(app)
    return app


def attempt(client, email: str, password: str, address: str = "10.0.0.1"):
    """One sign-in through the form (its CSRF token first) from the client address `address`."""
    env = {"REMOTE_ADDR": address}
    page = client.get("/login", environ_base=env).get_data(as_text=True)
    token = re.search(r"name='csrf_token' value='([^']+)'", page).group(1)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base=env)


def email(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}@metropolis.test"


def fee_visible(client) -> bool | None:
    rows = client.get("/api/v1/engagement?year=2020&region=Europe").get_json()["data"]
    return next(r for r in rows if r["member"] == "Madrid")["fee_paid"]


# --- the limits -------------------------------------------------------------------------------------------------

def test_wrong_passwords_then_the_right_one_is_refused_429(bound_store):
    client = make_app().test_client()
    user = email("ana")
    create_user(bound_store, email=user, role="board")
    for _ in range(3):
        assert attempt(client, user, "wrong password").status_code == 401
    refused = attempt(client, user, PASSWORD)
    assert refused.status_code == 429
    match = TOO_MANY.search(refused.get_data(as_text=True))
    assert match and 1 <= int(match.group(1)) <= 15
    assert 0 < int(refused.headers["Retry-After"]) <= 900
    assert fee_visible(client) is None  # not signed in


def test_the_limit_is_per_account(bound_store):
    client = make_app().test_client()
    locked, other = email("locked"), email("other")
    for e in (locked, other):
        create_user(bound_store, email=e, role="board")
    for _ in range(3):
        attempt(client, locked, "wrong password", address="10.0.1.1")
    assert attempt(client, locked, PASSWORD, address="10.0.1.2").status_code == 429  # any address
    assert attempt(client, other, PASSWORD, address="10.0.1.1").status_code == 302  # the other account signs in
    assert fee_visible(client) is True


def test_the_limit_is_per_address(bound_store):
    client = make_app().test_client()
    user = email("spray")
    create_user(bound_store, email=user, role="board")
    for i in range(6):  # six accounts tried once each: no account limit is reached
        assert attempt(client, email(f"unknown{i}"), "guess", address="10.0.2.1").status_code == 401
    refused = attempt(client, user, PASSWORD, address="10.0.2.1")
    assert refused.status_code == 429 and TOO_MANY.search(refused.get_data(as_text=True))
    assert attempt(client, user, PASSWORD, address="10.0.2.2").status_code == 302


def test_successful_sign_ins_do_not_count(bound_store):
    client = make_app().test_client()
    user = email("often")
    create_user(bound_store, email=user, role="board")
    for _ in range(5):
        assert attempt(client, user, PASSWORD).status_code == 302


def test_limits_are_kept_in_redis_for_every_worker(bound_store):
    redis = pytest.importorskip("redis")
    server = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is not reachable at 127.0.0.1:6379 (see README 'Tests')", pytrace=False)
    user = email("shared")
    create_user(bound_store, email=user, role="board")
    try:
        first = make_app(redis_url=REDIS_TEST_URL).test_client()
        for _ in range(3):
            attempt(first, user, "wrong password", address="10.0.3.1")
        # Another worker (a new app, a new storage connection, nothing shared in memory) sees the same counts.
        second = make_app(redis_url=REDIS_TEST_URL).test_client()
        assert attempt(second, user, PASSWORD, address="10.0.3.2").status_code == 429
        assert any(user.encode() in key for key in server.scan_iter("*metropolis-signin*"))
        # whereas counted in memory, a new process starts from nothing
        assert attempt(make_app().test_client(), user, PASSWORD, address="10.0.3.2").status_code == 302
    finally:
        for key in server.scan_iter("*metropolis-signin*"):
            server.delete(key)
        server.close()


def test_sign_in_works_while_the_limits_redis_is_down(bound_store, caplog):
    client = make_app(redis_url="redis://127.0.0.1:1/0").test_client()  # nothing listens on port 1
    user = email("outage")
    create_user(bound_store, email=user, role="board")
    assert attempt(client, user, "wrong password").status_code == 401
    assert attempt(client, user, PASSWORD).status_code == 302 and fee_visible(client) is True
    assert "Traceback" not in caplog.text


def test_unknown_and_known_e_mails_cost_the_same(bound_store):
    client = make_app(limits=("100 per minute", "100 per minute")).test_client()
    user = email("timed")
    create_user(bound_store, email=user, role="board")

    def median_seconds(address_email: str) -> float:
        times = []
        for _ in range(5):
            page = client.get("/login").get_data(as_text=True)
            token = re.search(r"name='csrf_token' value='([^']+)'", page).group(1)
            started = time.perf_counter()
            response = client.post("/login", data={"email": address_email, "password": "wrong password",
                                                   "csrf_token": token})
            times.append(time.perf_counter() - started)
            assert response.status_code == 401
        return statistics.median(times)

    known, unknown = median_seconds(user), median_seconds(email("nobody"))
    assert unknown >= 0.5 * known, f"unknown e-mail {unknown * 1000:.1f} ms vs known {known * 1000:.1f} ms"


# --- sessions end -----------------------------------------------------------------------------------------------

def signed_in(app, user: str):
    client = app.test_client()
    assert attempt(client, user, PASSWORD).status_code == 302
    assert fee_visible(client) is True
    return client


def replay(app, cookie: str):
    """A new client carrying only a copied session cookie."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def test_sign_out_ends_every_session_of_the_user(bound_store):
    app = make_app()
    user = email("out")
    create_user(bound_store, email=user, role="board")
    client, elsewhere = signed_in(app, user), signed_in(app, user)
    copied = client.get_cookie("session").value
    assert fee_visible(replay(app, copied)) is True  # a copied cookie works while the session lives
    assert client.post("/logout", headers=csrf_headers(client)).status_code == 302
    assert fee_visible(replay(app, copied)) is None  # anonymous: no fee payments
    assert fee_visible(elsewhere) is None  # the user's other session ended too
    assert fee_visible(signed_in(app, user)) is True  # signing in again works


def test_disabling_a_user_ends_its_sessions_cli_and_command(bound_store, monkeypatch):
    from dashboard import users as cli
    from db.commands.users import set_active
    from db.session import Session

    monkeypatch.setenv("DATABASE_URL", bound_store.url.render_as_string(hide_password=False))  # the CLI's store
    monkeypatch.setenv("SEED_ON_START", "false")
    app = make_app()
    user = email("disabled")
    create_user(bound_store, email=user, role="board")
    copied = signed_in(app, user).get_cookie("session").value
    assert cli.main(["disable", "--email", user]) == 0
    assert fee_visible(replay(app, copied)) is None
    assert cli.main(["enable", "--email", user]) == 0
    assert fee_visible(replay(app, copied)) is None  # enabled again, the old session stays ended
    copied = signed_in(app, user).get_cookie("session").value
    with Session.begin() as session:  # the command the CLI runs, called directly
        set_active(session, user, False)
    assert fee_visible(replay(app, copied)) is None


def test_a_new_password_ends_the_sessions(bound_store, monkeypatch):
    from dashboard import users as cli

    monkeypatch.setenv("DATABASE_URL", bound_store.url.render_as_string(hide_password=False))  # the CLI's store
    monkeypatch.setenv("SEED_ON_START", "false")
    app = make_app()
    user = email("newpass")
    create_user(bound_store, email=user, role="board")
    copied = signed_in(app, user).get_cookie("session").value
    monkeypatch.setattr("sys.stdin", io.StringIO("a new and long password\n"))
    assert cli.main(["set-password", "--email", user, "--password-stdin"]) == 0
    assert fee_visible(replay(app, copied)) is None
    client = app.test_client()
    assert attempt(client, user, "a new and long password").status_code == 302 and fee_visible(client) is True


def test_a_cookie_from_before_generations_is_signed_out(bound_store):
    """A session cookie holding the bare user id (as issued before this change) no longer loads anyone."""
    from flask.sessions import SecureCookieSessionInterface

    app = make_app()
    user_id = create_user(bound_store, email=email("legacy"), role="board")
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    legacy = serializer.dumps({"_user_id": str(user_id), "_fresh": True})
    assert fee_visible(replay(app, legacy)) is None
