"""Reading uploads: zip bombs refused in little time and memory, damaged workbooks and odd encodings explained,
formulas read from their saved results; and the Record page's parsing of an upload answering with a message."""

from __future__ import annotations

import base64
import codecs
import json
import time
import tracemalloc

import pytest

from dashboard.uploads import MAX_CELL_CHARS, read_table
from db.commands.base import Invalid
from db.commands.imports import MAX_ROWS
from tests import workbooks as wb

LIMIT = 10 * 1024 * 1024


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(Invalid) as err:
        read_table(name, data, max_bytes=LIMIT)
    assert str(err.value) == err.value.fields["file"]  # the JSON error's message is the reason itself
    return err.value.fields["file"]


def cost(data: bytes) -> tuple[str, float, float]:
    """Read `data` as an .xlsx that must be refused: (message, CPU seconds, peak MB allocated by Python while
    reading). CPU time rather than wall time (the machine is shared), and a second run for the memory (tracemalloc
    slows Python down)."""
    started = time.process_time()
    message = refusal("bomb.xlsx", data)
    seconds = time.process_time() - started
    tracemalloc.start()
    try:
        refusal("bomb.xlsx", data)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    return message, seconds, peak


def test_a_million_row_workbook_is_refused_at_row_20001_in_little_time_and_memory():
    data = wb.million_rows()
    assert len(data) < 200_000
    message, seconds, peak = cost(data)
    assert message == f"The file has more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} can be imported at once: split it."
    assert seconds < 2 and peak < 50, (seconds, peak)


def test_a_workbook_with_one_150_mb_cell_is_refused_in_little_time_and_memory():
    data = wb.one_huge_cell()
    assert len(data) < 1_000_000
    message, seconds, peak = cost(data)
    assert message.startswith("The workbook unpacks to 150 MB; at most 40 MB can be imported.")
    assert seconds < 2 and peak < 50, (seconds, peak)


@pytest.mark.parametrize("build,message", [
    (lambda: wb.workbook([wb.text_row(1, "event", "member"), b"<row>", *wb.repeated(b"<c><v>1</v></c>", 1_000_000), b"</row>"]),
     "not a valid Excel workbook"),
    (lambda: wb.workbook([wb.text_row(1, "event", "member"), *wb.repeated(b"<row/>", 1_000_000)]),
     "The sheet goes on to row 100,001"),
    (lambda: wb.workbook([wb.text_row(1, "event", "member"), b'<row r="1000000"><c><v>1</v></c></row>']),
     "The sheet goes on to row 1,000,000"),
    (lambda: wb.workbook([wb.text_row(1, "event", "member"), b'<row r="2"><c r="A2"><v>1</v></c></row>'],
                 shared_strings=wb.repeated(b"<si><t>x</t></si>", 400_000)),
     "The workbook is too large to import (more than 600,000 elements"),
    (lambda: wb.workbook([wb.text_row(1, "event", "member"), wb.text_row(2, "x" * 20_000_000, "Madrid")]),
     f"Cell A2 holds more than {MAX_CELL_CHARS:,} characters"),
    (lambda: wb.workbook([wb.text_row(1, "event", "member")],
                 shared_strings=[b"<si><t>" + b"x" * 5_000_000 + b"</t></si>"]),
     "A text of the workbook (in xl/sharedStrings.xml) holds more than"),
    (lambda: wb.million_rows(sheet_part="media/image1.png"), "The file has more than 20,000 rows"),
    (lambda: wb.workbook([b'<row r="1"><c r="A1" t="inlineStr"><is><t>event</t></is></c><c r="XFD1" t="inlineStr">'
                          b'<is><t>member</t></is></c></row>', *wb.repeated(b"<row><c><v>1</v></c></row>", MAX_ROWS)]),
     "The header goes on to column XFD; an import file has at most 100 columns."),
], ids=["one-row-1M-cells", "1M-empty-rows", "row-1000000", "600k-elements", "20MB-inline-cell", "5MB-shared-string",
        "sheet-named-png", "header-to-column-XFD"])
def test_other_bombs_are_refused_in_little_time_and_memory(build, message):
    got, seconds, peak = cost(build())
    assert message in got
    assert seconds < 2 and peak < 50, (seconds, peak)


def test_the_row_cap_is_exact():
    header = wb.text_row(1, "event", "member")
    row = b'<row><c t="inlineStr"><is><t>e</t></is></c><c t="inlineStr"><is><t>Madrid</t></is></c></row>'
    header_names, rows = read_table("list.xlsx", wb.workbook([header, *wb.repeated(row, MAX_ROWS)]), max_bytes=LIMIT)
    assert header_names == ["event", "member"] and len(rows) == MAX_ROWS and rows[-1] == (
        MAX_ROWS + 1, {"event": "e", "member": "Madrid"})
    assert "more than 20,000 rows" in refusal("list.xlsx", wb.workbook([header, *wb.repeated(row, MAX_ROWS + 1)]))
    csv_rows = "event,member\n" + "e,Madrid\n" * (MAX_ROWS + 1)
    assert "more than 20,000 rows" in refusal("list.csv", csv_rows.encode())


@pytest.mark.parametrize("data,message", [
    (wb.truncated_sheet(), "This is not a valid Excel workbook (.xlsx), or it is damaged"),
    (wb.chartsheet_only(), "The workbook has no worksheet (its sheets are charts)"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 500, "password-protected, or an old Excel file"),
    (b"PK\x03\x04 not really a zip", "not a valid Excel workbook"),
    (wb.workbook([wb.text_row(1, "event", "member")]).replace(b"xl/workbook.xml", b"xl/workbooX.xml"),
     "not a valid Excel workbook"),
    (wb.entity_bomb(), "not a valid Excel workbook"),
], ids=["truncated-xml", "chartsheet-only", "ole-container", "bad-zip", "no-workbook-part", "entity-bomb"])
def test_damaged_workbooks_get_a_message(data, message):
    assert message in refusal("list.xlsx", data)


def test_formulas_without_a_saved_result_are_refused_naming_the_cell():
    data = wb.openpyxl_book([["event", "member"], ["Smart City Live 2020", "Madrid"],
                             ['=CONCAT("Smart City ","Live 2020")', "Torino"]])
    message = refusal("list.xlsx", data)
    assert message.startswith("Cell A3 of sheet 'Sheet' holds a formula without a saved result: formulas are not "
                              "accepted.")


def test_formulas_saved_by_a_spreadsheet_program_are_read_from_their_results():
    # as Excel and LibreOffice write them: the formula and its last result (a text result is t="str")
    data = wb.workbook([wb.text_row(1, "event", "member", "year"),
                        b'<row r="2"><c r="A2" t="str"><f>CONCAT("Smart City ","Live 2020")</f>'
                        b'<v>Smart City Live 2020</v></c><c r="B2" t="inlineStr"><is><t>Madrid</t></is></c>'
                        b'<c r="C2"><f>2019+1</f><v>2020</v></c></row>'])
    header, rows = read_table("list.xlsx", data, max_bytes=LIMIT)
    assert header == ["event", "member", "year"]
    assert rows == [(2, {"event": "Smart City Live 2020", "member": "Madrid", "year": 2020})]


@pytest.mark.parametrize("data", [
    "event\tmember\nSmart City Live 2020\tBogotá\n".encode("utf-16"),  # Excel's 'Unicode text': LE, BOM, tabs
    codecs.BOM_UTF16_LE + "event,member\nSmart City Live 2020,Bogotá\n".encode("utf-16-le"),
    codecs.BOM_UTF16_BE + "event;member\nSmart City Live 2020;Bogotá\n".encode("utf-16-be"),
    codecs.BOM_UTF8 + "event,member\nSmart City Live 2020,Bogotá\n".encode(),
], ids=["utf16-tabs", "utf16-le", "utf16-be", "utf8-bom"])
def test_utf16_and_utf8_csv_files_are_read(data):
    header, rows = read_table("list.csv", data, max_bytes=LIMIT)
    assert header == ["event", "member"] and rows == [(2, {"event": "Smart City Live 2020", "member": "Bogotá"})]


@pytest.mark.parametrize("data,message", [
    ("event,member\nSmart City Live 2020,Bogotá\n".encode("utf-16-le"), "UTF-16 text without a byte-order mark"),
    ("event,member\nConférence,Bogotá\n".encode("latin-1"), "The file is not UTF-8 text (byte 18 cannot be read)"),
    (codecs.BOM_UTF16_LE + b"e\x00v\x00\x00\xd8", "The file is not UTF-16 text"),
], ids=["utf16-no-bom", "latin-1", "broken-utf16"])
def test_other_encodings_are_told_which_are_accepted(data, message):
    got = refusal("list.csv", data)
    assert message in got
    assert got.endswith("Accepted: UTF-8 (Excel's 'CSV UTF-8'), or UTF-16 with a byte-order mark (Excel's "
                        "'Unicode text').")


# ---- the Record page: its upload parsing answers with a message, never an error ------------------

def _data_url(data: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(data).decode()


@pytest.mark.parametrize("build,filename,message", [
    (lambda: _data_url(wb.truncated_sheet()), "list.xlsx", "This is not a valid Excel workbook (.xlsx), or it is damaged"),
    (lambda: _data_url(wb.chartsheet_only()), "list.xlsx", "The workbook has no worksheet (its sheets are charts)"),
    (lambda: _data_url(wb.million_rows()), "list.xlsx", "more than 20,000 rows"),
    (lambda: _data_url(wb.one_huge_cell()), "list.xlsx", "The workbook unpacks to 150 MB"),
    (lambda: "data:text/csv;base64,@@not base64@@", "list.csv", "The file could not be received: choose it again."),
    (lambda: "no data url", "list.csv", "The file could not be received: choose it again."),
], ids=["truncated-xml", "chartsheet-only", "million-rows", "huge-cell", "bad-base64", "not-a-data-url"])
def test_the_record_page_explains_a_file_it_cannot_read(dash_app, build, filename, message):
    from dashboard.pages import record

    contents = build()
    with dash_app.server.test_request_context("/record"):
        preview, disabled, feedback, stored = record.preview_import(contents, "attendance", filename)
        assert preview is None and disabled is True and stored is None and message in feedback
        alert, disabled = record.commit_import(1, contents, filename, "attendance")
        assert disabled is True and message in alert.children and "alert-danger" in alert.className


def test_the_record_page_takes_a_file_up_to_the_upload_limit(dash_app):
    """The page sends the file base64-encoded in a callback: a file just under MAX_UPLOAD_MB gets through to the
    import (here to its first check: an anonymous visitor cannot import), not a 413 for the request's size."""
    from dashboard import ids
    from dashboard.records_api import UPLOAD_LIMIT

    server = dash_app.server
    line = b"e," + b"x" * 5_000 + b"\n"
    data = b"event,member\n" + line * ((server.config[UPLOAD_LIMIT] - 100) // len(line))
    assert server.config[UPLOAD_LIMIT] - len(data) < len(line) + 100
    client = server.test_client()
    client.get("/record")  # sets up Dash's callbacks and the CSRF cookie the renderer sends back
    output = next(k for k in dash_app.app.callback_map if f"{ids.Record.IMPORT_PREVIEW}.children" in k)
    kind = ids.Record.field("import", "kind")
    outputs = [{"id": ids.Record.IMPORT_PREVIEW, "property": "children"},
               {"id": ids.Record.submit("import"), "property": "disabled"},
               {"id": ids.Record.feedback("import", "file"), "property": "children"},
               {"id": ids.Record.IMPORT_FILE, "property": "data"}]
    body = {"output": output, "outputs": outputs, "changedPropIds": [f"{ids.Record.UPLOAD}.contents"],
            "inputs": [{"id": ids.Record.UPLOAD, "property": "contents", "value": _data_url(data)},
                       {"id": kind, "property": "value", "value": "attendance"}],
            "state": [{"id": ids.Record.UPLOAD, "property": "filename", "value": "big.csv"}]}
    response = client.post("/_dash-update-component", json=body,
                           headers={"X-CSRFToken": client.get_cookie("_csrf_token").value})
    assert response.status_code == 200, response.status_code
    feedback = response.get_json()["response"][json.dumps(ids.Record.feedback("import", "file"), sort_keys=True,
                                                           separators=(",", ":"))]
    assert feedback == {"children": "Sign in to record data."}


@pytest.mark.parametrize(("lang", "limit"), [("en", "20,000"), ("fr", "20\u202f000"), ("es", "20.000")])
def test_the_limits_are_written_as_the_language_writes_numbers(dash_app, lang, limit):
    """The Record page's import help and the refusal of a long file in French said '20,000 lignes'."""
    from dashboard.pages.record import _import_form
    from tests.components import texts

    header = "event,member\n"
    with dash_app.server.test_request_context(f"/record?lang={lang}"):
        refused = refusal("long.csv", (header + "x,y\n" * (MAX_ROWS + 1)).encode())
        help_text = " ".join(texts(_import_form()))
    assert MAX_ROWS == 20000 and limit in refused and limit in help_text, (refused, help_text)
