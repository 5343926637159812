"""The audit log's summaries in the reader's language (issue 15). The commands store English text, as they always
have (the stored text and old entries are not changed); db.audit_text reads a stored summary back into its msgid
and parameters and dashboard.audit_text writes it in the page's language, with what it quotes (an event's title, a
name as written) in English, marked lang="en"; the change details name the store's columns in words."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db import audit_text as audit
from db import models as m
from db.commands import records, revert
from db.commands.base import Actor, Forbidden, run_command
from db.messages import Msg
from db.session import Session
from tests.components import texts
from tests.unit.test_timestamps import _sign_in, written  # noqa: F401  (the fixture, and signing in to read it)

SAMPLES = {"title": "Urban Talks: housing", "date": "2021-03-12", "member": "Buenos Aires", "code": "L1M8D1",
           "year": 2021, "month": "March 2021", "status": "in_progress", "fields": "coord_note, latitude",
           "alias": "Lisboa", "indicator": "Population density", "printed": "2,642", "name": "Board of 12 March"}


@pytest.mark.parametrize("msgid", audit.SUMMARIES)
def test_every_summary_reads_back_into_its_message(msgid):
    params = {k: v for k, v in SAMPLES.items() if f"%({k})s" in msgid}
    if msgid == audit.REVERTED:
        params = {"change": Msg(audit.FEE_NOT_PAID, member="Berlin", year=2021)}
    written_ = Msg(msgid, **params)
    read = audit.summary_message(str(written_))  # the stored column holds plain text
    assert isinstance(read, Msg) and read.msgid == msgid and str(read) == str(written_)
    if msgid == audit.REVERTED:
        assert read.params["change"].msgid == audit.FEE_NOT_PAID
    else:
        assert read.params == {k: str(v) for k, v in params.items()}


def test_old_entries_and_refusals_read_back_and_other_text_stays_as_stored():
    # as the commands wrote them before the templates (f-strings): the same text
    assert audit.summary_message("Reverted: Reverted: Event 'Urban Talks' (2021-03-12)").params["change"].params[
        "change"].params == {"title": "Urban Talks", "date": "2021-03-12"}
    assert audit.summary_message("Buenos Aires: latitude, longitude").msgid == audit.MEMBER_EDITED
    refusal = audit.summary_message("record a fee payment of Madrid: As regional secretary for Europe, you cannot "
                                    "record Madrid's fee for Latin America and the Caribbean.", action="refused")
    assert refusal.msgid == audit.REFUSED
    assert refusal.params["reason"].params["what"].msgid == "record %(member)s's fee"
    assert audit.summary_message("something typed by hand") == "something typed by hand"
    assert audit.summary_message("revert change x: not a known reason", action="refused") == \
        "revert change x: not a known reason"


def _pieces(dash_app, lang, summary, action=None):
    from dashboard.audit_text import summary_pieces

    with dash_app.server.test_request_context(f"/audit?lang={lang}"):
        return summary_pieces(summary, action)


@pytest.mark.parametrize("lang, summary, action, shown", [
    ("fr", "Event 'Urban Talks' (2021-03-12)", None, "Événement «\u00a0Urban Talks\u00a0» (12 mars 2021)"),
    ("es", "Event 'Urban Talks' (2021-03-12)", None, "Evento «Urban Talks» (12 de marzo de 2021)"),
    ("fr", "Reverted: Berlin: 2021 fee paid", None, "Annulé\u00a0: Berlin\u00a0: cotisation 2021 payée"),
    ("es", "Bilateral meeting with Sofia, May 2021", None, "Reunión bilateral con Sofia, mayo de 2021"),
    ("fr", "Lisbon: coord_note, latitude, longitude", None,
     "Lisbon\u00a0: note sur les coordonnées, latitude, longitude"),
    ("fr", "L1A1O1 2021: done", None, "L1A1O1 2021\u00a0: réalisé"),
    ("es", "revert change 1234abcd: Only the Secretariat can revert a change.", "refused",
     "revertir el cambio 1234abcd: Solo la Secretaría General puede revertir un cambio."),
])
def test_a_summary_in_the_language(dash_app, lang, summary, action, shown):
    pieces = _pieces(dash_app, lang, summary, action)
    assert "".join(text for text, _ in pieces) == shown
    if "Urban Talks" in summary:
        assert ("Urban Talks", True) in pieces  # the event's title as printed, quoted
        assert all(not quoted for text, quoted in pieces if text != "Urban Talks")


def test_a_summary_no_template_reads_is_shown_as_stored_quoted(dash_app):
    assert _pieces(dash_app, "fr", "typed by hand") == [("typed by hand", True)]


def test_the_commands_write_summaries_the_log_reads(written):  # noqa: F811
    actor = Actor(user_id=None, name="Ana", role="secretariat")
    run_command(records.record_bilateral_meeting, actor, {"member": "Berlin", "date": "2021-05-17"}, what="-")
    run_command(records.update_member, actor, "berlin", {"coord_note": "City hall", "governed_by_woman": True,
                                                          "governed_as_of": "2021-10-01", "add_alias": "Berlín"},
                what="-")
    done = run_command(records.set_plan_status, actor, {"plan": "2021-2023", "code": "L1A1O1", "year": 2021,
                                                        "status": "done"}, what="-")
    run_command(revert.revert_change, actor, done["change_set"], what="-")
    with pytest.raises(Forbidden):
        run_command(revert.revert_change, Actor(user_id=None, name="B", role="regional_secretary", region="Europe"),
                    done["change_set"], what=f"revert change {done['change_set']}")
    with Session() as session:
        entries = session.execute(select(m.AuditEntry.summary, m.AuditEntry.action)).all()
    unread = [s for s, action in entries if not isinstance(audit.summary_message(s, action=action), Msg)]
    assert len(entries) >= 8 and not unread, unread


def test_the_audit_log_in_french_names_the_change_and_the_columns_in_words(dash_app, written):  # noqa: F811
    from dashboard.pages import audit as audit_page

    with dash_app.server.test_request_context("/audit?lang=fr"):
        _sign_in()
        rows = audit_page._rows()
        change = audit_page._describe(rows[0]["change_set"])
    assert rows[0]["summary"] == "Berlin\u00a0: cotisation 2021 non payée"
    assert rows[0]["summary_pieces"] == [("Berlin\u00a0: cotisation 2021 non payée", False)]
    assert {c["field"]: c for c in audit_page._columns()}["summary"]["cellRenderer"] == "PiecesText"
    text = " ".join(texts(change))
    assert "paiement de cotisation" in text and "montant (EUR)" in text and "payée le" in text, text
    assert "amount_eur" not in text and "fee_payment" not in text and "paid_on" not in text
