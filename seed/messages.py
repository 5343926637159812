"""A Babel extractor for the seed files' texts written by the dashboard's curators that the pages show in the
reader's language (an indicator's name and definition, the note on a printed figure, a discrepancy's subject,
values and explanation), named in babel.cfg
(`[extractors]`). Document text in the seed files (titles, quotations, citations) is not extracted: it is shown
as printed, in English."""

from __future__ import annotations

import csv
import io


def extract_csv(fileobj, keywords, comment_tags, options):
    """Yield (line, None, text, [comment]) for every non-empty cell of the `columns` option (comma-separated
    column names) of a CSV file; the comment names the file's column, for translators."""
    columns = [c.strip() for c in str(options.get("columns", "")).split(",") if c.strip()]
    reader = csv.DictReader(io.TextIOWrapper(fileobj, encoding="utf-8", newline=""))
    for row in reader:
        for column in columns:
            text = (row.get(column) or "").strip()
            if text and not text.isdigit():  # a bare count ('78') reads the same in every language
                yield reader.line_num, None, text, [f"seed {column}"]
