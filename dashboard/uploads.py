"""Uploaded tables (CSV or Excel) -> (header, rows), or Invalid with a message a user can act on."""

from __future__ import annotations

import csv
import io
import zipfile

from db.commands.base import Invalid

EXTENSIONS = (".csv", ".xlsx")


def read_table(filename: str, data: bytes, *, max_bytes: int) -> tuple[list[str], list[tuple[int, dict]]]:
    """Parse an uploaded CSV (UTF-8, comma or semicolon) or Excel workbook (first sheet); line numbers as a
    spreadsheet shows them (the header is line 1)."""
    name = (filename or "").strip().lower()
    if len(data) > max_bytes:
        raise Invalid({"file": f"The file is {len(data) / 1e6:.1f} MB; at most {max_bytes / 1e6:.0f} MB can be imported."})
    if not data.strip():
        raise Invalid({"file": "The file is empty."})
    if name.endswith(".xls"):
        raise Invalid({"file": "Old Excel files (.xls) cannot be read: save it as .xlsx or as CSV UTF-8."})
    if not name.endswith(EXTENSIONS):
        raise Invalid({"file": "Upload a CSV file or an Excel workbook (.xlsx)."})
    if name.endswith(".xlsx"):
        return _xlsx(data)
    return _csv(data)


def _csv(data: bytes):
    if b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04":
        raise Invalid({"file": "This is not a CSV text file (is it a workbook renamed .csv?)."})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise Invalid({"file": f"The file is not UTF-8 text (byte {err.start + 1} cannot be read): save it as "
                               "'CSV UTF-8' and upload it again."}) from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise Invalid({"file": f"Line {reader.line_num} has {len(values)} values for {len(header)} columns."})
            rows.append((reader.line_num, dict(zip([h.strip().lower() for h in header], values))))
    except csv.Error as err:
        raise Invalid({"file": f"The CSV file is malformed at line {reader.line_num}: {err}."}) from None
    except StopIteration:
        raise Invalid({"file": "The file is empty."}) from None
    return header, rows


def _xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise Invalid({"file": "This is not a valid Excel workbook (.xlsx)."}) from None
    sheet = book.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    try:
        header = [str(h).strip() if h is not None else "" for h in next(rows_iter)]
    except StopIteration:
        raise Invalid({"file": "The workbook's first sheet is empty."}) from None
    keys = [h.lower() for h in header]
    rows = []
    for line, values in enumerate(rows_iter, start=2):
        if values is None or not any(v not in (None, "") for v in values):
            continue
        rows.append((line, {k: v for k, v in zip(keys, values) if k}))
    book.close()
    return header, rows
