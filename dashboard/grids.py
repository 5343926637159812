"""Tables too long to send whole: AG Grid's infinite row model asks for blocks of rows, sorted and filtered here.

A page keeps the client-side grid (instant sorting and searching) up to GRID_CLIENT_ROWS rows; above that its grid
asks the server for one block at a time (`getRowsRequest` -> `rows_block` -> `getRowsResponse`). The request comes
from the browser and may be crafted: every part of it is checked, and what cannot be understood is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

GRID_CLIENT_ROWS = 2000  # above this, a table pages its rows from the server
BLOCK_ROWS = 100  # rows per block the grid asks for
MAX_BLOCK_ROWS = 500  # the most rows one request may ask for

_TEXT = {
    "contains": lambda s, v: s.str.contains(v, regex=False),
    "notContains": lambda s, v: ~s.str.contains(v, regex=False),
    "equals": lambda s, v: s == v,
    "notEqual": lambda s, v: s != v,
    "startsWith": lambda s, v: s.str.startswith(v),
    "endsWith": lambda s, v: s.str.endswith(v),
}
_NUMBER = {
    "equals": lambda s, a, b: s == a,
    "notEqual": lambda s, a, b: s != a,
    "greaterThan": lambda s, a, b: s > a,
    "greaterThanOrEqual": lambda s, a, b: s >= a,
    "lessThan": lambda s, a, b: s < a,
    "lessThanOrEqual": lambda s, a, b: s <= a,
    "inRange": lambda s, a, b: (s >= a) & (s <= b),
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _condition(column: pd.Series, model: Mapping) -> pd.Series | None:
    """The rows passing one filter condition of AG Grid's model, or None if the condition is not understood."""
    kind = model.get("type")
    if kind in ("blank", "notBlank"):
        blank = column.isna() | (column.astype(str).str.strip() == "")
        return blank if kind == "blank" else ~blank
    if model.get("filterType") == "number":
        a, b = _number(model.get("filter")), _number(model.get("filterTo"))
        if kind not in _NUMBER or a is None or (kind == "inRange" and b is None):
            return None
        return _NUMBER[kind](pd.to_numeric(column, errors="coerce"), a, b).fillna(False).astype(bool)
    value = model.get("filter")
    if kind not in _TEXT or not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    return _TEXT[kind](column.fillna("").astype(str).str.lower(), str(value)[:200].lower()).astype(bool)


def filter_rows(df: pd.DataFrame, filter_model: Any, *, search_columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Keep the rows passing AG Grid's `filter_model` ({column: condition or {operator, conditions}}).

    `search_columns` maps a shown column to a hidden column to filter instead (a link's plain text)."""
    if not isinstance(filter_model, Mapping):
        return df
    keep = pd.Series(True, index=df.index)
    for name, model in list(filter_model.items())[:20]:
        column = (search_columns or {}).get(name, name)
        if not isinstance(name, str) or column not in df.columns or not isinstance(model, Mapping):
            continue
        if isinstance(model.get("conditions"), list):
            parts = [_condition(df[column], c) for c in model["conditions"][:10] if isinstance(c, Mapping)]
            parts = [p for p in parts if p is not None]
            if not parts:
                continue
            combined = parts[0]
            for part in parts[1:]:
                combined = (combined | part) if model.get("operator") == "OR" else (combined & part)
            keep &= combined
        else:
            passed = _condition(df[column], model)
            if passed is not None:
                keep &= passed
    return df[keep]


def sort_rows(df: pd.DataFrame, sort_model: Any, *, sort_columns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Order the rows by AG Grid's `sort_model` ([{colId, sort: asc|desc}, ...]); unknown columns are ignored."""
    if not isinstance(sort_model, Sequence) or isinstance(sort_model, str):
        return df
    by, ascending = [], []
    for item in list(sort_model)[:5]:
        if not isinstance(item, Mapping) or item.get("sort") not in ("asc", "desc"):
            continue
        column = (sort_columns or {}).get(item.get("colId"), item.get("colId"))
        if isinstance(column, str) and column in df.columns and column not in by:
            by.append(column)
            ascending.append(item["sort"] == "asc")
    return df.sort_values(by, ascending=ascending, kind="stable", na_position="last") if by else df


def rows_block(df: pd.DataFrame, request: Any, *, shown: Sequence[str], search_columns: Mapping[str, str] | None = None,
               sort_columns: Mapping[str, str] | None = None) -> dict:
    """Answer a `getRowsRequest`: the requested block of `df` after filtering and sorting, with the row count.
    Only the `shown` columns are sent."""
    request = request if isinstance(request, Mapping) else {}
    df = filter_rows(df, request.get("filterModel"), search_columns=search_columns)
    df = sort_rows(df, request.get("sortModel"), sort_columns=sort_columns)
    start = request.get("startRow")
    end = request.get("endRow")
    start = start if isinstance(start, int) and not isinstance(start, bool) and start >= 0 else 0
    end = end if isinstance(end, int) and not isinstance(end, bool) and end > start else start + BLOCK_ROWS
    end = min(end, start + MAX_BLOCK_ROWS)
    block = df.iloc[start:end]
    return {"rowData": block[[c for c in shown if c in block.columns]].to_dict("records"), "rowCount": len(df)}


# ---- column widths: a column is never narrower than its longest word ------------------------------------------
# The grid wraps long texts onto several lines (wrapText) and breaks lines between words only (assets/app.css), so a
# column narrower than a word would cut it ("Locati|on"). Widths are estimated from the number of characters: the
# house font (system-ui) draws a 14 px cell text at about 7.3 px a character and a 13 px semibold header at about
# 7.8 (measured in Chromium); the estimates below carry a margin for wider fonts. A grid whose columns' minimum
# widths add up to more than its width scrolls sideways inside itself.
CELL_CHAR_PX = 7.8
HEADER_CHAR_PX = 8.4
CELL_PADDING_PX = 26  # the cell's padding (10 px each side: components.GRID_THEME) and its border
HEADER_EXTRA_PX = 56  # the header's padding, its filter button and the sort arrow
LONGEST_WORD_CHARS = 36  # a longer token (an address) may wrap inside itself rather than widen its column further
_MARKDOWN_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\([^)]*\)")


def _longest_word(text: Any) -> int:
    """The characters of the longest word of a cell's text (a markdown link counts by its text)."""
    if text is None or isinstance(text, bool):
        return 0
    text = str(text)
    if "[" in text:  # only a text with a "[" can hold a markdown link (the substitution costs the most)
        text = _MARKDOWN_LINK.sub(lambda m: m.group(1).replace("\\", ""), text)
    return min(max(map(len, text.split()), default=0), LONGEST_WORD_CHARS)


def _distinct(values: Sequence[Any]) -> list:
    """`values` without repeats (a column repeats its 'yes', 'no', kinds and regions: each is measured once); a
    value that cannot be a key (a list) is kept as it is. The type is part of the key: True and 1 are equal keys
    but measure 0 and 1 characters."""
    seen, out = set(), []
    for v in values:
        try:
            key = (type(v), v)
            if key in seen:
                continue
            seen.add(key)
        except TypeError:
            pass
        out.append(v)
    return out


def word_min_width(header: str, values: Sequence[Any] = ()) -> int:
    """The narrowest width (CSS px) at which a column shows its header and every value without cutting a word."""
    header_px = HEADER_CHAR_PX * _longest_word(header) + HEADER_EXTRA_PX
    cell_px = CELL_CHAR_PX * max(map(_longest_word, _distinct(values)), default=0) + CELL_PADDING_PX
    return int(max(header_px, cell_px) + 0.5)


def sized_columns(columns: Sequence[Mapping], rows: Sequence[Mapping] = ()) -> list[dict]:
    """The column definitions with each minWidth raised to its longest word (header and the rows' values), and a
    maxWidth below it lifted to it. A column group's children are sized the same way."""
    out = []
    for column in columns:
        col = dict(column)
        if "children" in col:
            col["children"] = sized_columns(col["children"], rows)
        elif col.get("field") or col.get("headerName"):
            field = col.get("field")
            shown = (col.get("cellRendererParams") or {}).get("shown") or field  # what the cell shows (shown_cell)
            need = word_min_width(str(col.get("headerName") or field or ""),
                                  [r.get(shown) for r in rows] if shown else ())
            col["minWidth"] = max(int(col.get("minWidth") or 0), need)
            if col.get("maxWidth") is not None and col["maxWidth"] < col["minWidth"]:
                col["maxWidth"] = col["minWidth"]
        out.append(col)
    return out
