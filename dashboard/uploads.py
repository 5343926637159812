"""Uploaded tables (CSV or Excel) -> (header, rows), or Invalid with a message a user can act on.

An .xlsx is a zip of XML parts: a 300 kB upload can unpack to gigabytes, hold a million rows or one cell of 150 MB,
and openpyxl (even read-only) parses a sheet without a <dimension> element once in full when it opens the book and
builds each row whole in memory. So before openpyxl sees a workbook, the archive's declared sizes are checked and
every XML part is read once as a stream (expat: no tree is built) under fixed bounds: elements, rows, columns and
characters per cell. Only a workbook within them is opened (read-only, cached values of formulas) and read up to its
last row with data."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from dashboard.i18n import _, format_number
from db.commands.base import Invalid
from db.commands.imports import MAX_ROWS

EXTENSIONS = (".csv", ".xlsx")
MAX_CELL_CHARS = 10_000  # per cell; the longest text an import keeps is a 500-character note
MAX_UNZIPPED_BYTES = 40_000_000  # 20,000 rows of five columns unpack to about 6 MB (16 MB with long notes)
MAX_PARTS = 1_000  # files inside the workbook
MAX_XML_ELEMENTS = 600_000  # in all its XML parts; 20,000 rows of five text cells are about 320,000
MAX_SHEET_ROWS = 100_000  # row numbers, blank or formatted rows below the data included
MAX_COLUMNS = 16_384  # Excel's own limit (column XFD)
MAX_HEADER_COLUMNS = 100  # an import has at most five named columns; blank ones are skipped
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the container of .xls files and of password-protected workbooks
UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _refuse(message: str) -> Invalid:
    return Invalid({"file": message}, message)


def read_table(filename: str, data: bytes, *, max_bytes: int) -> tuple[list[str], list[tuple[int, dict]]]:
    """Parse an uploaded CSV (UTF-8, or UTF-16 with a byte-order mark; comma, semicolon or tab) or Excel workbook
    (first worksheet); line numbers as a spreadsheet shows them (the header is line 1). Raises Invalid({"file": ...})
    for anything that cannot be read, never another error."""
    name = (filename or "").strip().lower()
    if len(data) > max_bytes:
        raise _refuse(_("The file is %(size)s MB; at most %(limit)s MB can be imported.",
                        size=f"{len(data) / 1e6:.1f}", limit=f"{max_bytes / 1e6:.0f}"))
    if not data.strip():
        raise _refuse(_("The file is empty."))
    if name.endswith(".xls"):
        raise _refuse(_("Old Excel files (.xls) cannot be read: save it as .xlsx or as CSV UTF-8."))
    if not name.endswith(EXTENSIONS):
        raise _refuse(_("Upload a CSV file or an Excel workbook (.xlsx)."))
    if name.endswith(".xlsx"):
        return _xlsx(data)
    return _csv(data)


# ---- CSV ----------------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    accepted = _("Accepted: UTF-8 (Excel's 'CSV UTF-8'), or UTF-16 with a byte-order mark (Excel's 'Unicode text').")
    encoding = next((enc for bom, enc in UTF16_BOMS if data.startswith(bom)), None)
    if encoding is None and (b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04"):
        raise _refuse(_("This is not a CSV text file (is it a workbook renamed .csv, or UTF-16 text without a "
                        "byte-order mark?).") + " " + accepted)
    try:
        if encoding is None:
            return data.decode("utf-8-sig")
        return data[2:].decode(encoding)
    except UnicodeDecodeError as err:
        raise _refuse(_("The file is not %(encoding)s text (byte %(n)s cannot be read): save it as 'CSV UTF-8' and "
                        "upload it again.", encoding="UTF-16" if encoding else "UTF-8", n=err.start + 1)
                      + " " + accepted) from None


def _csv(data: bytes):
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    # the header names the columns, so the separator is the one it uses most (Excel's Unicode text uses tabs)
    delimiter = max((",", ";", "\t"), key=first_line.count) if first_line.strip() else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise _refuse(_("Line %(line)s has %(n)s values for %(columns)s columns.", line=reader.line_num,
                                n=len(values), columns=len(header)))
            if len(rows) >= MAX_ROWS:
                raise _refuse(_too_many_rows())
            long = next((v for v in values if len(v) > MAX_CELL_CHARS), None)
            if long is not None:
                raise _refuse(_too_long(_("Line %(line)s", line=reader.line_num)))
            rows.append((reader.line_num, dict(zip([h.strip().lower() for h in header], values))))
    except csv.Error as err:
        raise _refuse(_("The CSV file is malformed at line %(line)s: %(error)s.", line=reader.line_num,
                        error=err)) from None
    except StopIteration:
        raise _refuse(_("The file is empty.")) from None
    return header, rows


def _too_many_rows() -> str:
    return _("The file has more than %(n)s rows; at most %(n)s can be imported at once: split it.",
             n=format_number(MAX_ROWS))


def _too_long(where: str) -> str:
    return _("%(where)s holds more than %(n)s characters; a cell of an import holds at most %(n)s.", where=where,
             n=format_number(MAX_CELL_CHARS))


# ---- Excel --------------------------------------------------------------------------------------

def _not_a_workbook() -> Invalid:
    return _refuse(_("This is not a valid Excel workbook (.xlsx), or it is damaged: open it in Excel or LibreOffice, "
                     "save it again as .xlsx (or as CSV UTF-8) and upload it again."))


# What openpyxl raises on a damaged or unusual workbook: its readers assume well-formed parts (a chartsheet without
# drawings raises AttributeError, a shared-string index out of range IndexError, a bad number ValueError).
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, IndexError, ValueError, TypeError,
           AttributeError, SyntaxError, NotImplementedError, RuntimeError, expat.ExpatError)


@dataclass
class _SheetStats:
    """What the bounded scan saw in one worksheet part."""

    data_rows: int = 0  # rows below the header with at least one value
    last_line: int = 0  # the last line with a value (the header included)
    formula_without_value: str | None = None  # the first cell holding a formula but no saved result
    kind: str = ""  # "worksheet" or "chartsheet" for the parts that are sheets
    well_formed: bool = True


def _xlsx(data: bytes):
    if data[:4] == OLE_MAGIC:
        raise _refuse(_("This workbook is password-protected, or an old Excel file (.xls) renamed .xlsx: save it "
                        "without a password as .xlsx, or as CSV UTF-8."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except _BROKEN:
        raise _not_a_workbook() from None
    # zipfile never yields more than a member's declared size (and checks its CRC), so the sum is a true bound
    unzipped = sum(info.file_size for info in members)
    if len(members) > MAX_PARTS or unzipped > MAX_UNZIPPED_BYTES:
        raise _refuse(_("The workbook unpacks to %(size)s MB; at most %(limit)s MB can be imported. Copy the data "
                        "into a new workbook (no images or other sheets), or save it as CSV UTF-8.",
                        size=f"{unzipped / 1e6:,.0f}", limit=f"{MAX_UNZIPPED_BYTES / 1e6:.0f}"))
    budget = [MAX_XML_ELEMENTS]
    stats: dict[str, _SheetStats] = {}
    try:
        for info in members:
            if not info.is_dir() and (seen := _scan_part(archive, info, budget)) is not None:
                stats[info.filename] = seen
    except _BROKEN:
        raise _not_a_workbook() from None
    kinds = {seen.kind for seen in stats.values()}
    if "worksheet" not in kinds:
        raise _refuse(_("The workbook has no worksheet (its sheets are charts): put the table on the first sheet.")
                      if "chartsheet" in kinds else _not_a_workbook().fields["file"])
    # imported here, not at the top: openpyxl (and the packages it pulls) costs every worker about 10 MB of memory,
    # and only an .xlsx import uses it (README 'Speed')
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _BROKEN:
        raise _not_a_workbook() from None
    try:
        return _first_sheet(book, stats)
    except _BROKEN:
        raise _not_a_workbook() from None
    finally:
        book.close()


def _first_sheet(book, stats: dict[str, _SheetStats]):
    if not book.worksheets:
        raise _refuse(_("The workbook has no worksheet (its sheets are charts): put the table on the first sheet."))
    sheet = book.worksheets[0]
    # openpyxl keeps the part a read-only sheet comes from in _worksheet_path (openpyxl is pinned in requirements)
    seen = stats.get(sheet._worksheet_path)
    if seen is None or not seen.well_formed:
        raise _not_a_workbook()
    if seen.formula_without_value:
        raise _refuse(_("Cell %(cell)s of sheet '%(sheet)s' holds a formula without a saved result: formulas are not "
                        "accepted. Open the file in Excel or LibreOffice and save it (the results are then kept), or "
                        "replace the formulas by their values.", cell=seen.formula_without_value,
                        sheet=sheet.title[:40]))
    # explicit bounds: openpyxl would otherwise trust the sheet's declared dimension (too small, or A1:XFD1048576)
    # and pad every row to its width
    first = next(sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True), None) or ()
    header = [str(h).strip() if h is not None else "" for h in first]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_HEADER_COLUMNS:
        raise _refuse(_("The header goes on to column %(column)s; an import file has at most %(n)s columns.",
                        column=column_letter(len(header)), n=MAX_HEADER_COLUMNS))
    if not header or seen.last_line < 2:
        return header, []
    keys = [h.lower() for h in header]
    rows = []
    for line, values in enumerate(sheet.iter_rows(min_row=2, max_row=seen.last_line, max_col=len(keys),
                                                  values_only=True), start=2):
        if values.count(None) + values.count("") == len(values):
            continue
        for column, value in enumerate(values, start=1):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise _refuse(_too_long(_("Cell %(cell)s", cell=f"{column_letter(column)}{line}")))
        rows.append((line, {k: v for k, v in zip(keys, values) if k}))
    return header, rows


_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d+)$")


def column_letter(index: int) -> str:
    """Excel's name of the column numbered `index` (1 -> A, 27 -> AA), as openpyxl's get_column_letter gives it
    (the scan runs before openpyxl is imported, and may refuse the file before it ever is)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """The number of the column Excel names `letters` (A -> 1, AA -> 27); the inverse of column_letter."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


_ROW, _CELL, _FORMULA, _VALUE, _TEXT, _WORKSHEET, _CHARTSHEET = (
    f"{MAIN_NS} {local}" for local in ("row", "c", "f", "v", "t", "worksheet", "chartsheet"))


class _PartScan:
    """Stream one XML part through expat, refusing it as soon as it goes past a bound; remember what a worksheet
    needs checking later (rows with data, formulas without a saved result). Called for every element of every
    part, so the handlers do as little as they can."""

    def __init__(self, name: str, budget: list[int]):
        self.name = name
        self.budget = budget
        self.stats = _SheetStats()
        self.row = 0
        self.column = 0
        self.cells_in_row = 0
        self.row_has_value = False
        self.cell_has_value = self.cell_has_formula = self.cell_has_cached = False
        self.cell_is_text_result = False
        self.in_text = False
        self.text_length = 0
        self.text_seen = False

    def cell(self) -> str:
        return f"{column_letter(min(self.column, MAX_COLUMNS))}{self.row}"

    def start(self, name: str, attrs: dict) -> None:
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise _refuse(_("The workbook is too large to import (more than %(n)s elements in its XML files): keep "
                            "only the table to import, or save it as CSV UTF-8.", n=format_number(MAX_XML_ELEMENTS)))
        if name == _CELL:
            match = _CELL_REF.match(attrs.get("r", ""))
            self.column = column_number(match.group(1).upper()) if match else self.column + 1
            self.cells_in_row += 1
            if self.column > MAX_COLUMNS or self.cells_in_row > MAX_COLUMNS:
                raise _not_a_workbook()  # beyond Excel's last column: no spreadsheet program writes that
            self.cell_has_value = self.cell_has_formula = self.cell_has_cached = False
            self.cell_is_text_result = attrs.get("t") == "str"
        elif name == _VALUE or name == _TEXT:
            self.in_text, self.text_length, self.text_seen = True, 0, False
        elif name == _ROW:
            number = attrs.get("r", "")
            self.row = int(number) if number.isdigit() else self.row + 1
            if self.row > MAX_SHEET_ROWS:
                raise _refuse(_("The sheet goes on to row %(row)s; an import reads at most %(limit)s rows, of which "
                                "%(n)s with data: delete the rows below the data.", row=format_number(self.row),
                                limit=format_number(MAX_SHEET_ROWS), n=format_number(MAX_ROWS)))
            self.column = self.cells_in_row = 0
            self.row_has_value = False
        elif name == _FORMULA:
            self.cell_has_formula = True
        elif name == _WORKSHEET or name == _CHARTSHEET:
            self.stats.kind = name.rpartition(" ")[2]

    def text(self, data: str) -> None:
        if self.in_text:
            self.text_length += len(data)
            if self.text_length > MAX_CELL_CHARS:
                where = (_("Cell %(cell)s", cell=self.cell()) if self.row else
                         _("A text of the workbook (in %(part)s)", part=self.name[:60]))
                raise _refuse(_too_long(where))
            self.text_seen = self.text_seen or not data.isspace()

    def end(self, name: str) -> None:
        if name == _VALUE or name == _TEXT:
            self.in_text = False
            self.cell_has_value |= self.text_seen
            # a saved result: Excel and LibreOffice write one (an empty text result as t="str"); openpyxl and other
            # libraries write <v></v> or nothing, and the value is unknown until a spreadsheet program computes it
            self.cell_has_cached |= name == _VALUE and (self.text_seen or self.cell_is_text_result)
        elif name == _CELL:
            self.row_has_value |= self.cell_has_value
            if self.cell_has_formula and not self.cell_has_cached and self.stats.formula_without_value is None:
                self.stats.formula_without_value = self.cell()
        elif name == _ROW and self.row_has_value:
            self.stats.last_line = self.row
            if self.row > 1:
                self.stats.data_rows += 1
                if self.stats.data_rows > MAX_ROWS:
                    raise _refuse(_too_many_rows())


def _refuse_doctype(*_args) -> None:
    raise _not_a_workbook()  # no spreadsheet program writes one; it is how entity expansion bombs start


_XML_STARTS = (b"<", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"\x00<")


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> _SheetStats | None:
    """Scan one member of the archive; None for one that is not XML (an image, a binary part). Every member is
    looked at, whatever its name: a relationship can point openpyxl at any of them."""
    scan = _PartScan(info.filename, budget)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.buffer_text = True  # fewer, longer text callbacks (at most 8 kB each)
    with archive.open(info) as stream:
        chunk = stream.read(64 * 1024)
        head = chunk.lstrip(b" \t\r\n")
        if head and not head.startswith(_XML_STARTS):
            return None  # no XML parser gets past its first byte
        try:
            while chunk:
                parser.Parse(chunk, False)
                chunk = stream.read(64 * 1024)
            parser.Parse(b"", True)
        except expat.ExpatError:
            # not well-formed (Excel's VML drawings are not, and openpyxl does not read them): a parser that reads
            # it fails no further in than this scan did, and the bounds held up to there
            scan.stats.well_formed = False
    return scan.stats
