"""Settings: the only module that reads the environment; every setting is declared once, on its Settings field."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import limits

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'instance' / 'metropolis.sqlite3'}"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


Parser = Callable[[str, str], Any]  # (variable name, raw text) -> value, or SettingsError naming the variable


def _bad(name: str, expected: str, raw: str) -> SettingsError:
    return SettingsError(f"{name} must be {expected}, not {raw[:60]!r}; see README 'Configuration'")


# ---- one parser per type ----------------------------------------------------------------------------------------

def text(name: str, raw: str) -> str:
    return raw


def boolean(name: str, raw: str) -> bool:
    value = raw.lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise _bad(name, "true or false", raw)


def integer(low: int, high: int) -> Parser:
    def parse(name: str, raw: str) -> int:
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise _bad(name, f"a number from {low} to {high}", raw)
        return int(raw)
    return parse


def choice(*allowed: str, upper: bool = False) -> Parser:
    def parse(name: str, raw: str) -> str:
        value = raw.upper() if upper else raw.lower()
        if value not in allowed:
            raise _bad(name, "one of " + ", ".join(allowed), raw)
        return value
    return parse


def url(*schemes: str) -> Parser:
    """An address whose scheme is one of `schemes` (any scheme when none is given) and, for http(s), a host."""
    def parse(name: str, raw: str) -> str:
        value = raw.rstrip("/")
        scheme, sep, _rest = value.partition("://")
        if not sep or (schemes and scheme not in schemes):
            raise _bad(name, "an address starting with " + (" or ".join(f"{s}://" for s in schemes) or "scheme://"),
                       raw)
        if scheme in ("http", "https") and not urlsplit(value).hostname:
            raise _bad(name, "an address such as https://dashboard.example.org", raw)
        return value
    return parse


def listing(item: re.Pattern[str], example: str) -> Parser:
    """Comma- or space-separated items (lower-cased), each matching `item`."""
    def parse(name: str, raw: str) -> tuple[str, ...]:
        items = tuple(i.strip().lower() for i in raw.replace(" ", ",").split(",") if i.strip())
        for i in items:
            if not item.match(i):
                raise _bad(name, f"a list such as {example}", i)
        return items
    return parse


def rate(name: str, raw: str) -> str:
    try:
        limits.parse(raw)
    except ValueError:
        raise _bad(name, "a rate such as '10 per 15 minutes'", raw) from None
    return raw


_HOST = re.compile(r"^\.?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$|^\*$")


def setting(env: str, parse: Parser, default: str, help: str, *, shown: str | None = None):
    """A Settings field read from the variable `env` (`default` when it is unset or blank); `shown` is the default
    as README's "Configuration" table gives it, when it is not the literal text."""
    return field(metadata={"env": env, "parse": parse, "default": default, "help": help,
                           "shown": default if shown is None else shown})


@dataclass(frozen=True)
class Settings:
    """Every setting: its variable, parser, default and help (README's "Configuration" table lists each; tests check)."""

    database_url: str = setting(
        "DATABASE_URL", url(), DEFAULT_DATABASE_URL, shown="sqlite:///instance/metropolis.sqlite3",
        help="SQLAlchemy URL of the store, e.g. postgresql+psycopg://user@host:5432/metropolis")
    host: str = setting("HOST", text, "127.0.0.1", "Interface the development server listens on")
    port: int = setting("PORT", integer(1, 65535), "8050", "Port the development server listens on")
    debug: bool = setting("DASH_DEBUG", boolean, "false", "Dash debug mode (hot reload, dev tools): true/false")
    log_level: str = setting("LOG_LEVEL", choice("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", upper=True),
                             "INFO", "Logging level: DEBUG, INFO, WARNING, ERROR")
    seed_on_start: bool = setting(
        "SEED_ON_START", boolean, "true",
        "Migrate and seed an empty database when the app starts (true/false); production runs `python -m seed init` "
        "instead")
    public_url: str = setting(
        "PUBLIC_URL", url("http", "https"), "http://127.0.0.1:8050",
        "Address of the dashboard in every link it prints (exports, embed codes, the command line); unset, links in "
        "the app use the address the user reached (a TRUSTED_HOSTS host)")
    redis_url: str = setting(
        "REDIS_URL", url("redis", "rediss", "unix"), "", shown="(empty)",
        help="Redis for the shared cache, e.g. redis://127.0.0.1:6379/0; empty: an in-process cache (one worker)")
    cache_timeout: int = setting("CACHE_TIMEOUT", integer(1, 7 * 24 * 3600), "3600",
                                 "Seconds a cached figure or query result is kept (a write invalidates it at once)")
    workers: int = setting("WORKERS", integer(1, 64), "4", "gunicorn worker processes (gunicorn.conf.py)")
    secret_key: str = setting("SECRET_KEY", text, "", shown="(a random key in instance/secret_key)",
                              help="Signs the session cookies; set it (the same in every worker) in production")
    public_access: str = setting(
        "PUBLIC_ACCESS", choice("aggregates", "none"), "aggregates",
        "What anonymous visitors see: 'aggregates' (every page and embed, never a member's fee payments) or 'none' "
        "(sign-in required)")
    cookie_secure: bool = setting("COOKIE_SECURE", boolean, "false",
                                  "Send the session cookies over HTTPS only (true behind HTTPS)")
    max_upload_mb: int = setting("MAX_UPLOAD_MB", integer(1, 100), "5", "Largest file accepted by the imports, in MB")
    trusted_hosts: tuple[str, ...] = setting(
        "TRUSTED_HOSTS", listing(_HOST, "dashboard.example.org (no scheme or port)"), "localhost,127.0.0.1",
        shown="localhost, 127.0.0.1 (and the host of PUBLIC_URL)",
        help="Host names the app answers (comma-separated; '.example.org' takes its subdomains); a request for "
             "another Host is answered 400")
    embed_allowed_origins: tuple[str, ...] = setting(
        "EMBED_ALLOWED_ORIGINS", listing(_ORIGIN, "https://partner.example (or *)"), "*",
        "Sites allowed to frame /embed/ charts (comma-separated origins such as https://partner.example; * any "
        "site); no other page can be framed")
    signin_limit_per_account: str = setting(
        "SIGNIN_LIMIT_PER_ACCOUNT", rate, "10 per 15 minutes",
        "Failed sign-ins allowed per e-mail address before sign-in is refused (429) until the window passes")
    signin_limit_per_address: str = setting(
        "SIGNIN_LIMIT_PER_ADDRESS", rate, "30 per 15 minutes",
        "Failed sign-ins allowed per client IP address (every account together)")
    # derived from the others by load_settings, not read from a variable of its own:
    public_url_set: bool = False  # PUBLIC_URL given in the environment (then every link uses it)


SETTINGS = tuple(f for f in dataclasses.fields(Settings) if "env" in f.metadata)
# variable -> (default as README shows it, help). README's "Configuration" table documents every entry (tests check it).
SETTINGS_HELP: dict[str, tuple[str, str]] = {f.metadata["env"]: (f.metadata["shown"], f.metadata["help"])
                                             for f in SETTINGS}


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    """Read the settings from `environ`; raise SettingsError naming the variable on bad input."""
    values: dict[str, Any] = {}
    for f in SETTINGS:
        name = f.metadata["env"]
        raw = (environ.get(name) or "").strip() or f.metadata["default"]
        values[f.name] = f.metadata["parse"](name, raw) if raw else raw
    values["public_url_set"] = bool((environ.get("PUBLIC_URL") or "").strip())
    public_host = urlsplit(values["public_url"]).hostname
    if values["public_url_set"] and public_host not in values["trusted_hosts"]:
        values["trusted_hosts"] += (public_host,)
    if "*" in values["embed_allowed_origins"]:
        values["embed_allowed_origins"] = ("*",)
    return Settings(**values)
