"""Seed maintenance: `python -m seed init` migrates the store and loads the seed into it when empty;
`python -m seed check` parses every file; `python -m seed hash` records reviewed hashes."""

from __future__ import annotations

import argparse
import logging
import re
import sys

from sqlalchemy.exc import InterfaceError, OperationalError

from config.settings import SettingsError, load_settings
from db.session import make_engine, unusable
from seed.load import FILES, SEED_DIR, SOURCES_FILE, SeedError, init_store, parse_seed, sha256_of


def record_hashes() -> list[str]:
    """Write the current sha256 of every seed file into sources.toml; return the files whose hash changed."""
    path = SEED_DIR / SOURCES_FILE
    text = path.read_text(encoding="utf-8")
    changed = []
    for spec in FILES:
        digest = sha256_of(SEED_DIR / spec.file)
        pattern = re.compile(r'(file = "' + re.escape(spec.file) + r'"\n(?:(?!\[\[).*\n)*?sha256 = ")([0-9a-f]*)(")')
        match = pattern.search(text)
        if match is None:
            raise SeedError(SOURCES_FILE, None, f"no [[dataset]] entry with a sha256 line for {spec.file}")
        if match.group(2) != digest:
            changed.append(spec.file)
            text = text[: match.start(2)] + digest + text[match.end(2):]
    path.write_text(text, encoding="utf-8")
    return changed


def init(database_url: str | None) -> int:
    """Migrate to head and load the seed into an empty store (idempotent); print what was done."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        engine = make_engine(database_url or load_settings().database_url)
    except SettingsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        result = init_store(engine)
    except SeedError as err:
        print(f"seed error: {err}\nThe database was not changed.", file=sys.stderr)
        return 1
    except (OperationalError, InterfaceError) as err:
        print(unusable(engine, err), file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if result.seeded:
        print(f"seeded: {sum(result.counts.values())} rows")
    else:
        print("already seeded: nothing changed" + (f" (seed files edited since: {', '.join(result.changed_files)})"
                                                   if result.changed_files else ""))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["init", "check", "hash"],
                        help="init: migrate to head and load the seed into an empty store (idempotent); "
                             "check: parse and check every seed file; hash: record the sha256 of reviewed files")
    parser.add_argument("--database-url", help="init: SQLAlchemy URL (default: DATABASE_URL or the embedded SQLite "
                                               "file)")
    args = parser.parse_args(argv)
    if args.command == "init":
        return init(args.database_url)
    try:
        if args.command == "hash":
            changed = record_hashes()
            print("recorded new sha256 for: " + (", ".join(changed) if changed else "nothing (all unchanged)"))
        bundle = parse_seed()
    except SeedError as err:
        print(f"seed error: {err}", file=sys.stderr)
        return 1
    total = sum(len(p.rows) for p in bundle.files.values())
    print(f"{len(bundle.files)} files, {total} rows: all valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
