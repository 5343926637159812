"""The audit log in the reader's language: a stored summary (English, as the commands wrote it) read back into its
msgid and parameters (db.audit_text.summary_message) and written in the page's language, and the store's tables and
columns named in words.

The stored summaries are not changed (old entries included); a summary no template reads is shown as stored,
quoted in English. What a summary quotes (an event's title, a name as written, a figure as printed) stays English,
marked lang="en"."""

from __future__ import annotations

import datetime as dt
import re

from dash import html

from dashboard.figures.action_plan import STATUS_LABELS
from dashboard.i18n import _, current_locale, data_text, format_date, long_date, region_label
from db.audit_text import summary_message
from db.messages import N_, Msg

# a parameter holding text written as it is in the documents or by the user (quoted, in English)
_QUOTED = {"title", "alias", "printed", "name"}
# a parameter holding a message of its own (a reverted change's summary, a refusal's attempt and reason)
_NESTED = {"change", "attempt", "reason", "what"}
_MARK = "\x00%s\x00"
_MARKED = re.compile("\x00(\\w+)\x00")

# The store's tables and columns a change names (db/models.py), in words; another one is shown as its name.
TABLE_LABELS = {
    "event": N_("event"), "event_member": N_("member activated by an event"),
    "event_deliverable": N_("deliverable served by an event"), "fee_payment": N_("fee payment"),
    "bilateral_meeting": N_("bilateral meeting"), "plan_item_status": N_("action-plan status"),
    "member": N_("member"), "member_leadership": N_("who governs a member"), "member_alias": N_("member's other name"),
    "indicator_value": N_("indicator value"), "board_meeting": N_("Board meeting"),
}
FIELD_LABELS = {
    "id": N_("row"), "name": N_("name"), "slug": N_("address name"), "title": N_("title"), "note": N_("note"),
    "official_name": N_("official name"), "latitude": N_("latitude"), "longitude": N_("longitude"),
    "coord_note": N_("note on the coordinates"), "coord_source": N_("source of the coordinates"),
    "country": N_("country"), "country_code": N_("country code"), "region_id": N_("region"),
    "honorary": N_("honorary member"), "member_since": N_("member since"), "member_id": N_("member"),
    "source_id": N_("source"), "section": N_("section of the source"), "locator": N_("place in the source"),
    "entered_by_id": N_("entered by"), "entered_at": N_("entered at"),
    "start_date": N_("start"), "end_date": N_("end"), "location": N_("location"), "kind": N_("kind"),
    "metropolis_role": N_("Metropolis' role"), "online": N_("online"), "statutory_meeting": N_("statutory meeting"),
    "kind_basis": N_("what the kind is read from"), "role_basis": N_("what the role is read from"),
    "participants_women": N_("participants: women"), "participants_men": N_("participants: men"),
    "participants_unrecorded": N_("participants: gender not recorded"), "speakers_women": N_("speakers: women"),
    "speakers_men": N_("speakers: men"), "speakers_unrecorded": N_("speakers: gender not recorded"),
    "also_source_id": N_("also in source"), "also_section": N_("also in section"),
    "also_locator": N_("also at place"), "event_id": N_("event"), "plan_item_id": N_("deliverable"),
    "fee_year": N_("fee year"), "paid": N_("paid"), "amount_eur": N_("amount (EUR)"), "paid_on": N_("paid on"),
    "month": N_("month"), "year": N_("year"), "status": N_("status"), "mark_id": N_("printed mark"),
    "printed": N_("as printed"), "comment": N_("comment"), "as_of": N_("as of"),
    "governed_by_woman": N_("governed by a woman"), "alias": N_("also written"), "indicator_id": N_("indicator"),
    "scope": N_("scope"), "period_start": N_("start of the period"), "period_end": N_("end of the period"),
    "value": N_("value"), "qualifier": N_("qualifier"), "held_on": N_("held on"), "data_version": N_("data version"),
    "data_changed_at": N_("data changed at"), "audit_position": N_("place in the audit log"),
    "frozen_at": N_("frozen at"), "recorded_by_id": N_("recorded by"), "recorded_by": N_("recorded by"),
}
_MONTHS = {dt.date(2000, n, 1).strftime("%B"): n for n in range(1, 13)}  # how the commands write a month


def table_label(table: str) -> str:
    return _(TABLE_LABELS[table]) if table in TABLE_LABELS else table


def field_label(field: str) -> str:
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def _value(name: str, value) -> str:
    """A parameter of a summary in the page's language: days and months as dates, columns and statuses in words,
    regions as Metropolis writes them, an indicator's name translated; names and codes as written."""
    text = str(value)
    try:
        if name == "date":
            return long_date(dt.date.fromisoformat(text))
        if name == "month":
            month, year = text.split(" ")
            return format_date(dt.date(int(year), _MONTHS[month], 1), format="MMMM y" if current_locale() != "es"
                               else "MMMM 'de' y")
    except (ValueError, KeyError):
        return text
    if name == "fields":
        return ", ".join(field_label(f) for f in text.split(", "))
    if name == "status":
        return _(STATUS_LABELS[text]).lower() if text in STATUS_LABELS else text
    if name in ("region", "where"):
        return region_label(text)
    if name == "indicator":
        return data_text(text)
    return text


def _pieces(message) -> list[tuple[str, bool]]:
    """`message` (a Msg read from a summary, or a text) as (text, quoted) pieces in the page's language."""
    if not isinstance(message, Msg):
        return [(str(message), True)] if message else []
    values, parts = {}, {}
    for name, value in message.params.items():
        if name in _NESTED and isinstance(value, Msg):
            values[name], parts[name] = _MARK % name, _pieces(value)
        elif name in _NESTED or name in _QUOTED:
            values[name], parts[name] = _MARK % name, [(str(value), True)] if value != "" else []
        else:
            values[name] = _value(name, value)
    sentence = _(message.msgid, **values) if values else _(message.msgid)
    pieces = []
    for i, piece in enumerate(_MARKED.split(sentence)):
        if i % 2:
            pieces += parts[piece]
        elif piece:
            pieces.append((piece, False))
    return pieces


def summary_pieces(summary: str, action: str | None = None) -> list[tuple[str, bool]]:
    """A stored summary as (text, quoted) pieces in the page's language (a summary no template reads: one quoted
    piece, as stored)."""
    return _pieces(summary_message(summary, action=action))


def summary_children(summary: str, action: str | None = None) -> list:
    """A stored summary as Dash children in the page's language, its quoted pieces marked lang="en"."""
    return [html.Span(text, lang="en") if quoted else text for text, quoted in summary_pieces(summary, action)]


def summary_text(summary: str, action: str | None = None) -> str:
    """A stored summary as plain text in the page's language (what a grid sorts and filters)."""
    return "".join(text for text, _quoted in summary_pieces(summary, action))
