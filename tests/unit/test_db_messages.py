"""db/ writes its user-facing messages as db.messages.Msg: English text unchanged (the CLI, logs and audit log read
as before), translated where the interface shows them (dashboard.i18n.translate)."""

import pickle

import pytest
from flask import Flask

from dashboard import i18n
from db.commands.base import Actor, Forbidden, Invalid, require_region
from db.messages import Joined, Msg


@pytest.fixture
def in_lang():
    app = Flask(__name__)

    def enter(lang):
        ctx = app.test_request_context(f"/?lang={lang}")
        ctx.push()
        return ctx
    pushed = []
    yield lambda lang: pushed.append(enter(lang))
    for ctx in reversed(pushed):
        ctx.pop()


def _compiled(lang):
    if lang not in i18n.available_locales():
        pytest.fail(f"no compiled {lang} catalogue: run `make install` (it compiles the .po files)", pytrace=False)


def test_a_msg_reads_as_its_english_text():
    msg = Msg("The %(plan)s plan runs from %(start)s to %(end)s.", plan="2021-2023", start=2021, end=2023)
    assert msg == "The 2021-2023 plan runs from 2021 to 2023." and isinstance(msg, str)
    assert pickle.loads(pickle.dumps(msg)).params == msg.params


def test_refusal_is_english_as_before_and_french_where_shown(in_lang):
    _compiled("fr")
    secretary = Actor(user_id=1, name="Barbara", role="regional_secretary", region="Europe")
    with pytest.raises(Forbidden) as caught:
        require_region(secretary, "Africa", Msg("record an event"))
    assert str(caught.value) == "As regional secretary for Europe, you cannot record an event for Africa."
    in_lang("fr")
    assert i18n.translate_error(caught.value) == (
        "En tant que secrétaire régional de la région Europe, vous ne pouvez pas enregistrer un événement pour la "
        "région Afrique.")


def test_field_messages_and_joined_row_problems_are_translated(in_lang):
    _compiled("fr")
    err = Invalid({"end_date": Msg("The end date is before the start date.")})
    row = Joined(" ", [Msg("indicator: required."), Msg("value: '%(text)s' is not a number.", text="x")])
    assert row == "indicator: required. value: 'x' is not a number."
    in_lang("fr")
    assert i18n.translate_fields(err.fields) == {"end_date": "La date de fin est antérieure à la date de début."}
    assert i18n.translate_error(err) == "Certains champs sont à corriger."
    assert i18n.translate(row) == "indicateur\u00a0: obligatoire. valeur\u00a0: «\u00a0x\u00a0» n’est pas un nombre."
    assert i18n.translate("a plain string") == "a plain string" and i18n.translate(Msg("")) == ""


def test_english_translation_is_the_msg_itself(in_lang):
    in_lang("en")
    msg = Msg("%(member)s is in %(region)s: not your region.", member="Tehran", region=Msg("Asia-Pacific"))
    assert i18n.translate(msg) == str(msg) == "Tehran is in Asia-Pacific: not your region."


@pytest.mark.parametrize("lang, eur, pct, date", [
    ("en", "€1,225,075", "76.6%", "December 1, 2026"),
    ("fr", "1\u202f225\u202f075\u00a0€", "76,6\u00a0%", "1 décembre 2026"),
    ("es", "1.225.075\u00a0€", "76,6\u00a0%", "1 de diciembre de 2026"),
])
def test_numbers_and_dates_follow_the_language(in_lang, lang, eur, pct, date):
    import datetime as dt
    in_lang(lang)
    assert i18n.format_eur(1225075) == eur
    assert i18n.format_percent(0.766, decimals=1) == pct
    assert i18n.format_date(dt.date(2026, 12, 1)) == date
