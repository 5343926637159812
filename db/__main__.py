"""Store administration: `python -m db init` migrates and seeds; `python -m db migrate` only migrates."""

from __future__ import annotations

import argparse
import logging
import sys


def main(argv: list[str] | None = None) -> int:
    # The CLI is a composition root like app.py: it reads settings and wires db and seed together.
    from sqlalchemy.exc import InterfaceError, OperationalError

    from config.settings import SettingsError, load_settings
    from db.migrate import upgrade
    from db.session import make_engine
    from seed.load import SeedError, init_store

    parser = argparse.ArgumentParser(prog="python -m db", description=__doc__)
    parser.add_argument("command", choices=["init", "migrate"],
                        help="init: migrate to head and load the seed into an empty store (idempotent); "
                             "migrate: apply pending migrations only")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: DATABASE_URL or the embedded SQLite file)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        url = args.database_url or load_settings().database_url
    except SettingsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    engine = make_engine(url)
    try:
        if args.command == "migrate":
            with engine.begin() as conn:
                upgrade(conn)
            print("migrated to head")
            return 0
        result = init_store(engine)
    except SeedError as err:
        print(f"seed error: {err}\nThe database was not changed.", file=sys.stderr)
        return 1
    except (OperationalError, InterfaceError) as err:
        reason = " ".join(str(err.orig or err).split())[:160]
        print(f"error: the database at {engine.url.render_as_string(hide_password=True)} cannot be used ({reason})",
              file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if result.seeded:
        print(f"seeded: {sum(result.counts.values())} rows")
    else:
        print("already seeded: nothing changed" + (f" (seed files edited since: {', '.join(result.changed_files)})"
                                                   if result.changed_files else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
