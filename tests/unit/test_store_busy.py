"""A store busy with other writes is answered as busy (503, Retry-After, "busy"), never as "not reachable"."""

import sqlite3

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError

from dashboard.health import register_health, store_busy


def _app(error: Exception) -> Flask:
    app = Flask(__name__)
    register_health(app)

    @app.post("/api/v1/fee-payments")
    def write():
        raise error

    return app


def test_database_is_locked_after_the_busy_timeout_is_answered_as_busy_not_unreachable():
    locked = OperationalError("UPDATE data_version", {}, sqlite3.OperationalError("database is locked"))
    assert store_busy(locked)
    response = _app(locked).test_client().post("/api/v1/fee-payments", json={})
    assert response.status_code == 503 and response.headers["Retry-After"]
    message = response.get_json()["error"]["message"]
    assert "busy" in message and "nothing was saved" in message and "not reachable" not in message


@pytest.mark.parametrize("text", ["connection refused", "server closed the connection unexpectedly"])
def test_a_lost_connection_is_still_reported_as_unreachable(text):
    down = OperationalError("SELECT 1", {}, Exception(text))
    assert not store_busy(down)
    response = _app(down).test_client().post("/api/v1/fee-payments", json={})
    assert response.status_code == 503 and "not reachable" in response.get_json()["error"]["message"]
