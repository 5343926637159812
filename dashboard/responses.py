"""HTTP answers: CSV writing with formula cells neutralised, and JSON error bodies.

Every CSV the app writes (the data API's ?format=csv, the chart exports) goes through `csv_text`, so no cell a
user typed (an event title, a note) can run as a spreadsheet formula when the file is opened in Excel, LibreOffice
or Google Sheets: a text cell starting with =, +, -, @, a tab or a carriage return gets a leading single quote
(OWASP "CSV Injection"). Numbers stay numbers: -2 is written as -2.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence

from flask import Response, jsonify

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A cell that is only a number (as text: pandas hands some numbers over as strings) is not a formula.
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def neutralise_cell(value: object) -> object:
    """Return `value` safe for a spreadsheet: text starting with a formula character gets a leading ', numbers
    (and text that is only a number) are returned unchanged."""
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES) or _NUMBER.fullmatch(value):
        return value
    return "'" + value


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    return neutralise_cell(value)


def _meta_line(value: object) -> str:
    return " ".join(str(value).split())  # one line: a value can never start a row of its own


def csv_text(rows: Sequence[Mapping[str, object]], fields: Sequence[str], meta: Mapping[str, object]) -> str:
    """CSV with '#' lines for `meta` (title, filters, source, data date, link; empty values left out), then a
    header row and the rows (lists joined with '; ', None empty, every cell neutralised)."""
    buffer = io.StringIO()
    for key, value in meta.items():
        if value:
            buffer.write(f"# {key}: {_meta_line(value)}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise_cell(str(f)) for f in fields])
    for row in rows:
        writer.writerow([_cell(row.get(f)) for f in fields])
    return buffer.getvalue()


def csv_response(text: str, *, filename: str, disposition: str = "inline") -> Response:
    """A text/csv answer for `text` named `filename`."""
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})


def json_error(status: int, message: str, **extra) -> Response:
    """A JSON error answer: {"error": {"status", "message", ...extra}} with that status."""
    response = jsonify({"error": {"status": status, "message": message, **extra}})
    response.status_code = status
    return response
