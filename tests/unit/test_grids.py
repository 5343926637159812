"""Blocks of rows for long tables (AG Grid's infinite row model): paging, sorting, filtering, crafted requests."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.grids import MAX_BLOCK_ROWS, filter_rows, rows_block, sort_rows

ROWS = pd.DataFrame({
    "member": [f"[City {i:03d}](/members/city-{i:03d})" for i in range(250)],
    "name": [f"City {i:03d}" for i in range(250)],
    "region": ["Europe" if i % 5 == 0 else "Africa" for i in range(250)],
    "breadth": [i % 12 for i in range(250)],
})
SHOWN = ["member", "region", "breadth"]


def test_a_block_is_the_requested_slice_with_the_total_count():
    block = rows_block(ROWS, {"startRow": 100, "endRow": 200}, shown=SHOWN)
    assert block["rowCount"] == 250 and len(block["rowData"]) == 100
    assert block["rowData"][0] == {"member": "[City 100](/members/city-100)", "region": "Europe", "breadth": 4}
    assert set(block["rowData"][0]) == set(SHOWN)  # the hidden sort/search columns are not sent
    last = rows_block(ROWS, {"startRow": 200, "endRow": 300}, shown=SHOWN)
    assert len(last["rowData"]) == 50 and last["rowCount"] == 250


def test_sorting_by_several_columns_and_by_a_stand_in_column():
    df = sort_rows(ROWS, [{"colId": "breadth", "sort": "desc"}, {"colId": "member", "sort": "desc"}],
                   sort_columns={"member": "name"})
    assert df["breadth"].iloc[0] == 11 and df["name"].iloc[0] == "City 239"
    assert list(sort_rows(ROWS, [{"colId": "member", "sort": "asc"}])["name"].head(2)) == ["City 000", "City 001"]


def test_text_and_number_filters_with_and_or_conditions():
    assert set(filter_rows(ROWS, {"region": {"filterType": "text", "type": "equals", "filter": "europe"}})["region"]) \
        == {"Europe"}
    found = filter_rows(ROWS, {"member": {"filterType": "text", "type": "contains", "filter": "city 01"}},
                        search_columns={"member": "name"})
    assert list(found["name"]) == [f"City {i:03d}" for i in range(10, 20)]
    both = filter_rows(ROWS, {"breadth": {"filterType": "number", "operator": "OR", "conditions": [
        {"filterType": "number", "type": "equals", "filter": 0},
        {"filterType": "number", "type": "greaterThanOrEqual", "filter": 11}]}})
    assert set(both["breadth"]) == {0, 11}
    ranged = filter_rows(ROWS, {"breadth": {"filterType": "number", "type": "inRange", "filter": 3, "filterTo": 4}})
    assert set(ranged["breadth"]) == {3, 4}
    block = rows_block(ROWS, {"startRow": 0, "endRow": 100, "filterModel": {
        "region": {"filterType": "text", "type": "notEqual", "filter": "Europe"}}}, shown=SHOWN)
    assert block["rowCount"] == 200


@pytest.mark.parametrize("request_", [
    None, "x", [], {"startRow": -5, "endRow": "a"}, {"startRow": True, "endRow": 10**9},
    {"startRow": 0, "endRow": 100, "sortModel": "drop table", "filterModel": ["x"]},
    {"startRow": 0, "endRow": 100, "sortModel": [{"colId": "nope", "sort": "asc"}, {"colId": "breadth", "sort": "up"}]},
    {"startRow": 0, "endRow": 100, "filterModel": {"nope": {"type": "equals", "filter": "x"},
                                                   "breadth": {"filterType": "number", "type": "equals", "filter": []},
                                                   "region": {"filterType": "text", "type": "regex", "filter": ".*"}}},
])
def test_crafted_requests_get_a_valid_block_never_an_error(request_):
    block = rows_block(ROWS, request_, shown=SHOWN)
    assert block["rowCount"] == 250
    assert 0 < len(block["rowData"]) <= MAX_BLOCK_ROWS
    assert block["rowData"][0]["member"].startswith("[City")


# ---- column widths (issue 13: "Locati|on", "Barcelon|a" at 1440 px) ------------------------------------------------

def test_a_column_is_at_least_as_wide_as_its_longest_word():
    from dashboard.grids import word_min_width

    narrow = word_min_width("Location", ["Rome"])
    wide = word_min_width("Location", ["Abu Dhabi, United Arab Emirates", "Intergovernmental"])
    assert wide > narrow >= word_min_width("Kind", ["Rome"])
    # a word's width, not the text's: a long sentence of short words needs no more than its longest word
    assert word_min_width("X", ["a b c d e f g h i j k l m n o p"]) == word_min_width("X", ["a"])


def test_sized_columns_raise_min_widths_and_lift_a_max_below_them():
    from dashboard.grids import sized_columns, word_min_width

    columns = [{"field": "location", "headerName": "Location", "maxWidth": 60},
               {"field": "title", "headerName": "Event", "minWidth": 500},
               {"headerName": "Group", "children": [{"field": "members", "headerName": "Members",
                                                      "cellRenderer": "markdown"}]}]
    rows = [{"location": "Barcelona", "title": "GOLD V", "members": "[Johannesburg](/members/johannesburg)"}]
    sized = sized_columns(columns, rows)
    need = word_min_width("Location", ["Barcelona"])
    assert sized[0]["minWidth"] == need and sized[0]["maxWidth"] == need
    assert sized[1]["minWidth"] == 500  # a page's wider minimum is kept
    # a markdown link counts by its text, not by its address
    assert sized[2]["children"][0]["minWidth"] == word_min_width("Members", ["Johannesburg"])
    assert columns[0]["maxWidth"] == 60  # the page's definitions are not changed in place
