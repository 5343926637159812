"""Settings: the only module that reads the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{ROOT / 'instance' / 'metropolis.sqlite3'}"

# name -> (default, help). README's "Configuration" table documents every entry (tests check it).
SETTINGS_HELP: dict[str, tuple[str, str]] = {
    "DATABASE_URL": (
        "sqlite:///instance/metropolis.sqlite3",
        "SQLAlchemy URL of the store, e.g. postgresql+psycopg://user@host:5432/metropolis",
    ),
    "HOST": ("127.0.0.1", "Interface the development server listens on"),
    "PORT": ("8050", "Port the development server listens on"),
    "DASH_DEBUG": ("false", "Dash debug mode (hot reload, dev tools): true/false"),
    "LOG_LEVEL": ("INFO", "Logging level: DEBUG, INFO, WARNING, ERROR"),
    "REDIS_URL": ("", "Redis for the shared cache, e.g. redis://127.0.0.1:6379/0; empty: an in-process cache (one worker)"),
    "CACHE_TIMEOUT": ("3600", "Seconds a cached figure or query result is kept (a write invalidates it at once)"),
    "WORKERS": ("4", "gunicorn worker processes (gunicorn.conf.py)"),
    "SECRET_KEY": ("(a random key in instance/secret_key)",
                   "Signs the session cookies; set it (the same in every worker) in production"),
    "PUBLIC_ACCESS": ("aggregates", "What anonymous visitors see: 'aggregates' (every page and embed, never a member's "
                                    "fee payments) or 'none' (sign-in required)"),
    "COOKIE_SECURE": ("false", "Send the session cookies over HTTPS only (true behind HTTPS)"),
    "MAX_UPLOAD_MB": ("5", "Largest file accepted by the imports, in MB"),
    "PUBLIC_URL": ("http://127.0.0.1:8050", "Address of the dashboard printed on exports made outside a web request (the CLI)"),
    "SEED_ON_START": (
        "true",
        "Migrate and seed an empty database when the app starts (true/false); production runs `python -m db init` instead",
    ),
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    host: str
    port: int
    debug: bool
    log_level: str
    seed_on_start: bool
    public_url: str
    redis_url: str
    cache_timeout: int
    workers: int
    secret_key: str
    public_access: str
    cookie_secure: bool
    max_upload_mb: int


def _bool(environ: Mapping[str, str], name: str) -> bool:
    raw = environ.get(name, SETTINGS_HELP[name][0]).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}; see README 'Configuration'")


def _int(environ: Mapping[str, str], name: str, low: int, high: int) -> int:
    raw = environ.get(name, SETTINGS_HELP[name][0]).strip()
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise SettingsError(f"{name} must be a number from {low} to {high}, not {raw!r}; see README 'Configuration'")
    return int(raw)


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    """Read the settings from `environ`; raise SettingsError naming the variable on bad input."""
    port_raw = environ.get("PORT", SETTINGS_HELP["PORT"][0]).strip()
    if not port_raw.isdigit() or not 0 < int(port_raw) < 65536:
        raise SettingsError(f"PORT must be a number between 1 and 65535, not {port_raw!r}; see README 'Configuration'")
    log_level = environ.get("LOG_LEVEL", SETTINGS_HELP["LOG_LEVEL"][0]).strip().upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {log_level!r}")
    database_url = environ.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    if "://" not in database_url:
        raise SettingsError("DATABASE_URL must be an SQLAlchemy URL such as sqlite:///path or postgresql+psycopg://...")
    return Settings(
        database_url=database_url,
        host=environ.get("HOST", SETTINGS_HELP["HOST"][0]).strip() or "127.0.0.1",
        port=int(port_raw),
        debug=_bool(environ, "DASH_DEBUG"),
        log_level=log_level,
        seed_on_start=_bool(environ, "SEED_ON_START"),
        public_url=environ.get("PUBLIC_URL", SETTINGS_HELP["PUBLIC_URL"][0]).strip().rstrip("/")
        or SETTINGS_HELP["PUBLIC_URL"][0],
        redis_url=_redis_url(environ),
        cache_timeout=_int(environ, "CACHE_TIMEOUT", 1, 7 * 24 * 3600),
        workers=_int(environ, "WORKERS", 1, 64),
        secret_key=environ.get("SECRET_KEY", "").strip(),
        public_access=_choice(environ, "PUBLIC_ACCESS", ("aggregates", "none")),
        cookie_secure=_bool(environ, "COOKIE_SECURE"),
        max_upload_mb=_int(environ, "MAX_UPLOAD_MB", 1, 100),
    )


def _choice(environ: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    raw = environ.get(name, SETTINGS_HELP[name][0]).strip().lower()
    if raw not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {raw!r}; see README 'Configuration'")
    return raw


def _redis_url(environ: Mapping[str, str]) -> str:
    url = environ.get("REDIS_URL", "").strip()
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(f"REDIS_URL must start with redis://, rediss:// or unix://, not {url[:30]!r}")
    return url
