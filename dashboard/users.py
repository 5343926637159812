"""User administration from the command line (the first Secretariat account is created here).

    python -m dashboard.users create --email ana@metropolis.org --name "Ana Pérez" --role secretariat
    python -m dashboard.users create --email b@berlin.de --name "B. Berninger" --role regional_secretary --region Europe
    python -m dashboard.users disable --email b@berlin.de     (enable, set-password, list)

Passwords are asked twice at the prompt, or read from standard input with --password-stdin; there is no default.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from config.settings import SettingsError, load_settings
from dashboard.auth import hash_password
from dashboard.store import StoreNotReady, open_store
from db.commands.base import CommandError, Invalid, run_command
from db.commands.users import create_user, set_active, set_password
from db.queries.users import account_list
from db.session import Session

MIN_PASSWORD = 12


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise SystemExit("error: the passwords differ")
    if len(password) < MIN_PASSWORD:
        raise SystemExit(f"error: a password needs at least {MIN_PASSWORD} characters")
    return password


def main(argv: list[str] | None = None) -> int:
    # A composition root like app.py: reads settings, binds the store, runs one command.
    parser = argparse.ArgumentParser(prog="python -m dashboard.users", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=["board", "regional_secretary", "secretariat"])
    create.add_argument("--region")
    create.add_argument("--password-stdin", action="store_true")
    for name in ("disable", "enable", "set-password"):
        p = sub.add_parser(name)
        p.add_argument("--email", required=True)
        if name == "set-password":
            p.add_argument("--password-stdin", action="store_true")
    sub.add_parser("list")
    args = parser.parse_args(argv)
    try:
        open_store(load_settings())
    except (SettingsError, StoreNotReady) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    def write(session, _actor):  # the operator at the console: no signed-in actor
        if args.command == "create":
            user = create_user(session, email=args.email, name=args.name, role=args.role, region=args.region,
                               password_hash=hash_password(_password(args.password_stdin)))
            return f"created {user.email} ({user.role})"
        if args.command in ("disable", "enable"):
            return f"{args.command}d {set_active(session, args.email, args.command == 'enable').email}"
        user = set_password(session, args.email, hash_password(_password(args.password_stdin)))
        return f"new password for {user.email}"

    try:
        if args.command == "list":
            with Session() as session:
                for user in account_list(session):
                    where = f" ({user.region})" if user.region else ""
                    print(f"{user.email}\t{user.name}\t{user.role}{where}\t{'active' if user.active else 'disabled'}")
        else:  # every write of the dashboard goes through the one command runner
            print(run_command(write, None, what=f"{args.command} a user account from the command line"))
    except Invalid as err:
        print("error: " + "; ".join(f"{k}: {v}" for k, v in err.fields.items()), file=sys.stderr)
        return 2
    except CommandError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
