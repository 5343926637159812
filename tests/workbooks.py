"""Hand-built .xlsx files for the upload tests: zip bombs (written straight with zipfile, so a million rows or a
150 MB cell take a fraction of a second to make), damaged workbooks, and formulas with or without saved results."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
ROOT_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS_NS}">'
             f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
            '<sheets><sheet name="List" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS_NS}">'
                 f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
                 f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
                 '</Relationships>')
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def workbook(sheet_data: Iterable[bytes], *, shared_strings: Iterable[bytes] = (b"",), head: str = SHEET_HEAD,
             sheet_part: str = "worksheets/sheet1.xml") -> bytes:
    """An .xlsx whose only sheet's <sheetData> is the concatenation of `sheet_data` (streamed into the zip, so a
    generator can describe gigabytes) and whose shared strings are the `<si>` elements in `shared_strings`; the
    sheet is stored as xl/`sheet_part`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:  # level 1: fast to write
        for name, text in [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                           ("xl/workbook.xml", WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.replace("worksheets/sheet1.xml", sheet_part))]:
            archive.writestr(name, text)
        with archive.open(f"xl/{sheet_part}", "w", force_zip64=True) as part:
            part.write(head.encode())
            for chunk in sheet_data:
                part.write(chunk)
            part.write(SHEET_TAIL.encode())
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode())
            for chunk in shared_strings:
                part.write(chunk)
            part.write(b"</sst>")
    return buffer.getvalue()


def repeated(piece: bytes, times: int, *, block: int = 10_000) -> Iterable[bytes]:
    """`piece` `times` times, in blocks (fast to write, small in memory)."""
    whole, rest = divmod(times, block)
    chunk = piece * block
    for _ in range(whole):
        yield chunk
    yield piece * rest


def text_row(line: int, *values: str) -> bytes:
    cells = "".join(f'<c r="{chr(65 + i)}{line}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{line}">{cells}</row>'.encode()


def million_rows(sheet_part: str = "worksheets/sheet1.xml") -> bytes:
    """A header and 1,000,000 one-cell rows: 150 kB zipped, 26 MB unzipped."""
    return workbook([text_row(1, "event", "member"), *repeated(b"<row><c><v>1</v></c></row>", 1_000_000)],
                    sheet_part=sheet_part)


def one_huge_cell(size: int = 150_000_000) -> bytes:
    """One inline text cell of `size` characters: under 1 MB zipped for 150 MB."""
    return workbook([b'<row r="1"><c r="A1" t="inlineStr"><is><t>', *repeated(b"x", size, block=1_000_000),
                     b"</t></is></c></row>"])


def openpyxl_book(rows) -> bytes:
    """A real workbook written by openpyxl (formulas are stored without a result, as every library does)."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def truncated_sheet() -> bytes:
    """A real workbook whose sheet XML stops half-way (a broken download)."""
    source = zipfile.ZipFile(io.BytesIO(openpyxl_book([["event", "member"], ["Smart City Live 2020", "Madrid"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            archive.writestr(info, data[: len(data) // 2] if info.filename == "xl/worksheets/sheet1.xml" else data)
    return buffer.getvalue()


def chartsheet_only() -> bytes:
    """A workbook whose only sheet is a chartsheet (openpyxl itself fails on reading it back)."""
    book = Workbook()
    book.create_chartsheet("Chart")
    book.remove(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def entity_bomb() -> bytes:
    """The sheet declares nested entities ("billion laughs") and a cell uses the last one."""
    entities = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    head = f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [{entities}]><worksheet xmlns="{MAIN}"><sheetData>'
    return workbook([b'<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>'], head=head)
