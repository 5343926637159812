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


def extract_toml(fileobj, keywords, comment_tags, options):
    """Yield (line, None, text, [comment]) for the `keys` option's values (comma-separated) of every item of the
    `table` option's array of tables (sources.toml's [[document]]): a multi-line value gives one text a line, as
    the Sources page shows it (a paragraph a line)."""
    import tomllib  # only here: the loader reads sources.toml itself

    keys = [k.strip() for k in str(options.get("keys", "")).split(",") if k.strip()]
    data = tomllib.loads(fileobj.read().decode("utf-8"))
    for i, item in enumerate(data.get(str(options.get("table", "document")), []), start=1):
        for key in keys:
            for text in str(item.get(key) or "").split("\n"):
                if text.strip():
                    yield i, None, text.strip(), [f"seed {key}"]
