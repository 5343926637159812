"""A page that names a discrepancy the store does not hold says so (and the log names it), never drops it silently."""

import logging

import pandas as pd

from dashboard import components


def test_unknown_discrepancy_code_is_logged_and_shown(monkeypatch, caplog):
    table = pd.DataFrame([{"code": "fees.paid.members", "subject": "Members who paid", "printed_value": "120",
                           "recomputed_value": "118"}])
    monkeypatch.setattr(components, "_discrepancies", lambda: table)
    with caplog.at_level(logging.WARNING, logger="dashboard.components"):
        notes = components.discrepancy_notes(["fees.paid.members", "members.gone"])
    assert [(_text(parts), code) for parts, code in notes] == [
        ("Members who paid: printed 120; from the rows 118.", "fees.paid.members"),
        ("Discrepancy members.gone is not recorded in the sources.", "members.gone")]
    # the register's own wording is quoted as printed (lang="en"); the sentence around it is the interface's
    quoted = [part.children for part in notes[0][0] if getattr(part, "lang", None) == "en"]
    assert quoted == ["Members who paid", "120", "118"]
    assert "discrepancy codes not in the store: members.gone" in caplog.text


def _text(parts) -> str:
    return "".join(part if isinstance(part, str) else part.children for part in parts)
