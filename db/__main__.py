"""Store administration: `python -m db migrate` applies pending migrations (`python -m seed init` also seeds)."""

from __future__ import annotations

import argparse
import logging
import sys

from sqlalchemy.exc import InterfaceError, OperationalError

from config.settings import SettingsError, load_settings
from db.migrate import upgrade
from db.session import make_engine, unusable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m db", description=__doc__)
    parser.add_argument("command", choices=["migrate", "init"],
                        help="migrate: apply pending migrations; init: moved to `python -m seed init` (the seed is "
                             "not the store's business)")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: DATABASE_URL or the embedded SQLite file)")
    args = parser.parse_args(argv)
    if args.command == "init":
        print("error: migrating and seeding is `.venv/bin/python -m seed init` (same options)", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        engine = make_engine(args.database_url or load_settings().database_url)
    except SettingsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        with engine.begin() as conn:
            upgrade(conn)
    except (OperationalError, InterfaceError) as err:
        print(unusable(engine, err), file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print("migrated to head")
    return 0


if __name__ == "__main__":
    sys.exit(main())
