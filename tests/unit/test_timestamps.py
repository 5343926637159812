"""Moments shown on the Audit, Sources and member pages in the page's language (Babel), never as ISO text
('2026-12-01T14:03:22+00:00' or '2026-12-01 14:03'); who wrote and what they did in words of the language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask_login import login_user
from sqlalchemy import select

from dashboard.translation import translator
from db import models as m
from db.commands import records
from db.commands.base import Actor, run_command
from db.session import Session
from tests.components import texts
from tests.conftest import create_user

ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
SECRETARIAT = "timestamps.sec@metropolis.example"


@pytest.mark.parametrize("lang, text", [("en", "Dec 1, 2026, 2:03:22\u202fPM"), ("fr", "1 déc. 2026, 14:03:22"),
                                        ("es", "1 dic 2026, 14:03:22")])
def test_a_moment_in_each_language(lang, text):
    tr = translator(lang)
    assert tr.format_datetime("2026-12-01T14:03:22+00:00") == text
    assert tr.format_datetime(dt.datetime(2026, 12, 1, 14, 3, 22)) == text  # naive: the store's UTC
    assert tr.format_datetime(dt.datetime(2026, 12, 1, 15, 3, 22, tzinfo=dt.timezone(dt.timedelta(hours=1)))) == text
    assert ":22" not in tr.format_datetime("2026-12-01T14:03:22+00:00", seconds=False)


@pytest.fixture
def written(app_store_copy):
    """The app's store with two changes by the Secretariat (a fee recorded, then corrected), signed in."""
    create_user(app_store_copy, email=SECRETARIAT, role="secretariat", name="Ana")
    actor = Actor(user_id=None, name="Ana", role="secretariat")
    run_command(records.record_fee_payment, actor, {"member": "Berlin", "fee_year": 2021, "paid": True,
                                                    "paid_on": "2021-03-01", "amount_eur": 12500},
                what="record a fee")
    run_command(records.record_fee_payment, actor, {"member": "Berlin", "fee_year": 2021, "paid": False},
                what="record a fee")
    return app_store_copy


def _sign_in():
    from dashboard.auth import _load_user

    with Session() as session:
        user = session.scalar(select(m.UserAccount).where(m.UserAccount.email == SECRETARIAT))
    login_user(_load_user(f"{user.id}:{user.session_generation}"))



@pytest.mark.parametrize("lang, when, who, action", [("fr", "déc. 2026", "Secrétariat (Ana)", "modifié"),
                                                     ("es", "dic 2026", "Secretaría (Ana)", "modificado")])
def test_the_audit_log_in_the_language(dash_app, written, lang, when, who, action):
    from dashboard.pages import audit

    with dash_app.server.test_request_context(f"/audit?lang={lang}"):
        _sign_in()
        rows = audit._rows()
        columns = audit._columns()
        change = audit._describe(rows[0]["change_set"])
    assert [r["action"] for r in rows] == ["update", "create"]  # the field the callbacks read is the store's
    assert all(when in r["at_text"] and not ISO.search(r["at_text"]) for r in rows), rows
    assert rows[0]["at"] >= rows[1]["at"]  # the column's own value sorts in time order
    assert {r["who"] for r in rows} == {who}
    assert rows[0]["action_text"] == action
    shown = {c["field"]: c for c in columns}
    assert shown["at"]["cellRendererParams"] == {"shown": "at_text"}
    text = " ".join(texts(change))
    assert not ISO.search(text) and not re.search(r"\d{4}-\d{2}-\d{2}", text), text
    assert who in text and "2021" in text  # paid_on '2021-03-01' as a date of the language
    assert {"fr": "12\u202f500", "es": "12.500"}[lang] in text  # amount_eur 12500.0 with the language's separators


def test_sources_say_when_each_file_was_loaded_in_the_language(dash_app, app_store):
    from dashboard.pages import sources

    with dash_app.server.test_request_context("/sources?lang=fr"):
        page = sources.layout(lang="fr")
    text = " ".join(texts(page))
    assert "Chargé (UTC)" in text
    assert re.search(r"\d{1,2} [a-zéû]+\.? \d{4}, \d{2}:\d{2}", text), text[-400:]  # '1 déc. 2026, 14:38'
    assert not ISO.search(text), ISO.findall(text)[:3]


def test_a_member_history_says_when_in_the_language(dash_app, written):
    from dashboard.pages import member

    with dash_app.server.test_request_context("/members/berlin?lang=es"):
        _sign_in()
        history = member._history("berlin")
    text = " ".join(texts(history))
    assert "dic 2026" in text and "Secretaría (Ana)" in text, text
    assert not ISO.search(text), text
