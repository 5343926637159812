"""A page that names a discrepancy the store does not hold says so (and the log names it), never drops it silently."""

import logging

import pandas as pd

from dashboard import components
from tests.components import texts


def test_unknown_discrepancy_code_is_logged_and_shown(monkeypatch, caplog):
    table = pd.DataFrame([{"code": "fees.paid.members", "subject": "Members who paid the '2020 fee'",
                           "printed_value": "120", "recomputed_value": "118"}])
    monkeypatch.setattr(components, "_discrepancies", lambda: table)
    with caplog.at_level(logging.WARNING, logger="dashboard.components"):
        notes = components.discrepancy_notes(["fees.paid.members", "members.gone"])
    assert [("".join(texts(parts)), code) for parts, code in notes] == [
        ("Members who paid the '2020 fee': printed 120; from the rows 118.", "fees.paid.members"),
        ("Discrepancy members.gone is not recorded in the sources.", "members.gone")]
    # the curators' wording is translated where shown (tests/unit/test_discrepancy_texts.py); what it quotes from
    # a document stays as printed, marked lang="en"
    quoted = [t for part in notes[0][0] for child in (getattr(part, "children", None) or [])
              if getattr(child, "lang", None) == "en" for t in texts(child)]
    assert quoted == ["2020 fee"]
    assert "discrepancy codes not in the store: members.gone" in caplog.text
