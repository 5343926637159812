"""Grids and print (issue 13): at 1440 px no grid cuts a word in a header or a cell ("Locati|on", "Barcelon|a") and
the events grid shows every column; printed (print media, as page.pdf() has it), every grid becomes a table whose
header repeats on every page and whose rows are never cut, every chart is laid out at the paper's width, and the
screen comes back afterwards."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Every word of the grids' header labels and rendered cells whose letters sit on more than one line. A hyphen is a
# line-break opportunity ("Co-|organised" is fine), so the pieces between hyphens are checked.
BROKEN_WORDS_JS = """() => {
  const broken = [];
  const boxes = document.querySelectorAll('.data-grid .ag-header-cell-text, .data-grid .ag-cell');
  for (const box of boxes) {
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^\\s-]+-?/g;
      let m;
      while ((m = re.exec(node.data)) !== null) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].replace(/-$/, '').length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""

GRID_COLUMNS_JS = """() => {
  const grid = document.querySelector('.data-grid .ag-root-wrapper').getBoundingClientRect();
  return [...document.querySelectorAll('.data-grid .ag-header-cell')].map(h => {
    const r = h.getBoundingClientRect();
    return {name: h.innerText.trim(), left: r.left - grid.left, right: r.right - grid.left, width: grid.width};
  });
}"""


def _open(watched, path):
    watched.open(path)
    watched.page.wait_for_selector(".data-grid .ag-cell")
    watched.page.wait_for_timeout(300)  # the grid sizes its columns to the window after its first render


@pytest.mark.parametrize("path", ["/events", "/members", "/action-plan"])
def test_grid_words_are_never_cut_at_1440(watched, path):
    _open(watched, path)
    broken = watched.page.evaluate(BROKEN_WORDS_JS)
    assert broken == [], f"{path}: words cut across lines in the grid: {sorted(set(broken))[:20]}"


def test_events_grid_shows_every_column_at_1440(watched):
    _open(watched, "/events")
    columns = watched.page.evaluate(GRID_COLUMNS_JS)
    assert [c["name"] for c in columns][-1] == "Source"
    cut = [c["name"] for c in columns if c["right"] > c["width"] + 1]
    assert cut == [], f"columns cut off at the grid's right edge: {cut}"


def test_printed_grid_is_a_table_with_a_repeated_header_and_whole_rows(watched):
    _open(watched, "/events")
    page = watched.page
    shown = page.evaluate("() => dash_ag_grid.getApi('events-grid').getDisplayedRowCount()")
    page.emulate_media(media="print")
    page.wait_for_timeout(300)
    printed = page.evaluate("""() => {
      const t = document.querySelector('table.print-table');
      if (!t) return null;
      return {rows: t.tBodies[0].rows.length, head: [...t.tHead.rows[0].cells].map(c => c.textContent),
              headDisplay: getComputedStyle(t.tHead).display,
              rowBreak: getComputedStyle(t.tBodies[0].rows[0]).breakInside,
              gridShown: getComputedStyle(document.querySelector('.data-grid')).display !== 'none',
              links: t.querySelectorAll('td a[href^="/members/"]').length,
              markdownLeft: [...t.querySelectorAll('td')].some(c => /\\]\\(/.test(c.textContent)),
              chartWidths: [...document.querySelectorAll('.js-plotly-plot')].map(g => g._fullLayout.width)};
    }""")
    assert printed is not None, "no printed table for the grid"
    assert printed["rows"] == shown > 0
    assert printed["head"][0] == "Start" and printed["head"][-1] == "Source"
    assert printed["headDisplay"] == "table-header-group"
    assert printed["rowBreak"] == "avoid"
    assert not printed["gridShown"]
    assert printed["links"] > 0 and not printed["markdownLeft"]  # member links printed as links, not markdown
    assert printed["chartWidths"] and set(printed["chartWidths"]) == {700}
    page.emulate_media(media="screen")
    page.wait_for_timeout(300)
    back = page.evaluate("""() => ({tables: document.querySelectorAll('table.print-table').length,
      widths: [...document.querySelectorAll('.js-plotly-plot')].map(g => g._fullLayout.width)})""")
    assert back["tables"] == 0
    assert all(w > 1000 for w in back["widths"]), back["widths"]
