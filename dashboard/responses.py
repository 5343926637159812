"""HTTP answers, each written once: JSON errors (the ErrorBody shape of /api/v1 for every endpoint), the HTML page
frame and error page, the choice between the two (content negotiation), and CSV with formula cells neutralised.

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
from html import escape

from flask import Response, jsonify, request

from dashboard.api_models import error_body
from dashboard.i18n import _, current_locale, lazy_gettext

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
    """A JSON error answer, {"error": {"status", "message", and the details that apply: parameter, valid,
    fields}} (dashboard.api_models.ErrorBody, as /api/v1/openapi.json describes it) with that status."""
    response = jsonify(error_body(status, message, **extra))
    response.status_code = status
    return response


def wants_html() -> bool:
    """Whether the client prefers an HTML page to JSON (a browser following a link, not a program)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes[best] > request.accept_mimetypes["application/json"]


def html_page(title: str, body: str, status: int = 200, *, head: str = "") -> Response:
    """A small page outside the Dash app (sign-in, an error) in the house style; `body` is HTML already escaped,
    `head` extra head elements."""
    html = (f"<!doctype html><html lang='{current_locale()}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{escape(title)}</title>"
            "<link rel='stylesheet' href='/assets/vendor/bootstrap/bootstrap.min.css'>"
            f"<link rel='stylesheet' href='/assets/app.css'>{head}</head>"
            f"<body class='bg-light'><main class='container py-5' style='max-width:28rem'>{body}</main></body></html>")
    return Response(html, status=status, mimetype="text/html")


ERROR_TITLES = {400: lazy_gettext("Bad request"), 404: lazy_gettext("Not found")}


def error_page(status: int, message: str, *, links: Sequence[tuple[str, str]] = (), head: str = "") -> Response:
    """The HTML error page: a heading for the status, the message, then (href, text) links."""
    title = str(ERROR_TITLES.get(status) or _("Error"))
    links = links or [("/", _("Open the Metropolis dashboard"))]
    body = (f"<h1 class='h4'>{escape(title)}</h1><p>{escape(message)}</p><p>"
            + " · ".join(f"<a href='{escape(href)}'>{escape(text)}</a>" for href, text in links) + "</p>")
    return html_page(title, body, status, head=head)


def error_response(status: int, message: str, *, links: Sequence[tuple[str, str]] = (), **extra) -> Response:
    """A clear error for whoever asks: the HTML error page for a browser, the JSON error for a program."""
    if wants_html():
        return error_page(status, message, links=links)
    return json_error(status, message, **extra)
