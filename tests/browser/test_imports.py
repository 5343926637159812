"""Imports through the Record activity page: a regional secretary uploads a real CSV and a real .xlsx with the
page's upload control, previews, commits, and the rows show on the members' pages and in the audit log."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard import ids
from tests.browser.conftest import ROOT, serve
from tests.conftest import PASSWORD, seed_store
from tests.workbooks import openpyxl_book

pytestmark = pytest.mark.browser
# a preview or an answer right after a write: in CI (a fresh clone, the machine busy with the suite) the third
# preview was still loading after expect's default 5 s
WAIT = 20_000

EUROPE = "eu@imports.test"
SECRETARIAT = "sec@imports.test"
CSV_EVENT = ("2020-11-17-smart-city-live-2020", "Smart City Live 2020")
XLSX_EVENT = "Sustainable Urban regeneration"  # by its title: the import also finds events by title


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The app on a fresh SQLite store with a regional secretary for Europe and a Secretariat user."""
    workdir = tmp_path_factory.mktemp("imports")
    url = f"sqlite:///{workdir / 'store.sqlite3'}"
    seed_store(url, {"email": EUROPE, "role": "regional_secretary", "region": "Europe", "name": "Barbara"},
               {"email": SECRETARIAT, "role": "secretariat", "name": "Ana"})
    with serve(workdir, url, seed=False) as base:
        yield base


def _signed_in_page(browser, base: str, email: str, path: str):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/login?next={path}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + path)
    return context, page, errors


def _upload_preview_commit(page, name: str, mime: str, data: bytes, *, rows: int, row_text: str) -> None:
    """Upload through the page's control, wait for this file's preview, commit, wait for this commit's answer."""
    result = page.locator(f"#{ids.Record.result('import')}")
    before = result.inner_text()
    page.locator(f"#{ids.Record.UPLOAD} input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data})
    preview = page.locator(f"#{ids.Record.IMPORT_PREVIEW}")
    expect(preview).to_contain_text(row_text, timeout=WAIT)
    assert preview.locator(".alert-success").inner_text() == (
        f"All {rows} rows are right. Import them in one go, or nothing.")
    submit = page.locator(f"#{ids.Record.submit('import')}")
    expect(submit).to_be_enabled(timeout=WAIT)
    submit.click()
    expect(result).not_to_have_text(before, timeout=WAIT)
    assert result.locator(".alert-success").inner_text().startswith(f"Imported {rows} rows (change ")
    expect(submit).to_be_disabled(timeout=WAIT)


def test_imp001_csv_and_xlsx_imports_through_the_record_page(base_url, browser):
    context, page, errors = _signed_in_page(browser, base_url, EUROPE, "/record")
    page.get_by_role("tab", name="Import a file").click()
    csv_text = f"event,member\n{CSV_EVENT[0]},Madrid\n{CSV_EVENT[0]},Torino\n"
    _upload_preview_commit(page, "attendance.csv", "text/csv", csv_text.encode(), rows=2,
                           row_text=f"Torino at '{CSV_EVENT[1]}'.")
    page.screenshot(path=str(ROOT / "artifacts" / "screenshots" / "record-import-csv.png"), full_page=True)

    # a second file through the same control: an Excel workbook, the event named by its title
    workbook = openpyxl_book([["Event", "Member"], [XLSX_EVENT, "Madrid"], [XLSX_EVENT, "Barcelona (city)"]])
    _upload_preview_commit(page, "attendance.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbook, rows=2,
                           row_text=f"Barcelona (city) at '{XLSX_EVENT}'.")
    page.screenshot(path=str(ROOT / "artifacts" / "screenshots" / "record-import-xlsx.png"), full_page=True)

    # a file with a problem: every row is listed, nothing can be committed
    page.locator(f"#{ids.Record.UPLOAD} input[type=file]").set_input_files(
        {"name": "bad.csv", "mimeType": "text/csv", "buffer": f"event,member\n{CSV_EVENT[0]},Dakar\n".encode()})
    expect(page.locator(f"#{ids.Record.IMPORT_PREVIEW}")).to_contain_text("Dakar is in Africa: not your region.",
                                                                          timeout=WAIT)
    assert page.locator(f"#{ids.Record.IMPORT_PREVIEW} .alert-danger").inner_text().startswith("1 row has a problem")
    expect(page.locator(f"#{ids.Record.submit('import')}")).to_be_disabled(timeout=WAIT)

    page.goto(base_url + "/members/madrid?year=2020")
    page.wait_for_selector(f"#{ids.Member.HISTORY}")
    events = page.inner_text(f"#{ids.Member.EVENTS}")
    assert CSV_EVENT[1] in events and XLSX_EVENT in events
    history = page.inner_text(f"#{ids.Member.HISTORY}")
    assert f"Madrid activated by '{CSV_EVENT[1]}' (import)" in history
    assert f"Madrid activated by '{XLSX_EVENT}' (import)" in history
    assert errors == []
    context.close()

    context, page, errors = _signed_in_page(browser, base_url, SECRETARIAT, "/audit")
    grid = page.locator(f"#{ids.Audit.GRID}")
    # one line per change set (its first row's summary), newest first: the workbook, then the CSV
    xlsx_change = grid.get_by_text(f"Madrid activated by '{XLSX_EVENT}' (import)")
    xlsx_change.wait_for()
    assert grid.get_by_text(f"Madrid activated by '{CSV_EVENT[1]}' (import)").count() == 1
    # the selection checkbox sits in the grid's pinned part: the same row there has the same row-index
    row_index = grid.locator(".ag-row", has_text=f"Madrid activated by '{XLSX_EVENT}' (import)").first.get_attribute(
        "row-index")
    grid.locator(f".ag-row[row-index='{row_index}'] input[type=checkbox]").first.check()
    change = page.locator(f"#{ids.Audit.CHANGE}")
    expect(change).to_contain_text(f"Barcelona (city) activated by '{XLSX_EVENT}' (import)", timeout=WAIT)
    page.screenshot(path=str(ROOT / "artifacts" / "screenshots" / "audit-import.png"), full_page=True)
    assert "Regional secretary for Europe (Barbara)" in grid.inner_text()
    # in French: the stored English summary written in French, the event's title quoted as printed (lang="en")
    page.goto(base_url + "/audit?lang=fr")
    grid = page.locator(f"#{ids.Audit.GRID}")
    grid.get_by_text(f"Madrid activé par «\u00a0{XLSX_EVENT}\u00a0» (import)").first.wait_for()
    assert grid.locator("span[lang=en]", has_text=XLSX_EVENT).count() >= 1
    assert "activated by" not in grid.inner_text()
    assert errors == []
    context.close()
