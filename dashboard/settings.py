"""Settings: the only module that reads the environment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import limits

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
    "PUBLIC_URL": ("http://127.0.0.1:8050", "Address of the dashboard in every link it prints (exports, embed codes, "
                   "the command line); unset, links in the app use the address the user reached (a TRUSTED_HOSTS host)"),
    "SEED_ON_START": (
        "true",
        "Migrate and seed an empty database when the app starts (true/false); production runs `python -m db init` instead",
    ),
    # --- sign-in and HTTP hardening (issue 18: rate limit, trusted hosts, framing) ---
    "TRUSTED_HOSTS": ("localhost, 127.0.0.1 (and the host of PUBLIC_URL)",
                      "Host names the app answers (comma-separated; '.example.org' takes its subdomains); a request "
                      "for another Host is answered 400"),
    "EMBED_ALLOWED_ORIGINS": ("*", "Sites allowed to frame /embed/ charts (comma-separated origins such as "
                                   "https://partner.example; * any site); no other page can be framed"),
    "SIGNIN_LIMIT_PER_ACCOUNT": ("10 per 15 minutes", "Failed sign-ins allowed per e-mail address before sign-in "
                                                      "is refused (429) until the window passes"),
    "SIGNIN_LIMIT_PER_ADDRESS": ("30 per 15 minutes", "Failed sign-ins allowed per client IP address (every account "
                                                      "together)"),
    # --- end of sign-in and HTTP hardening ---
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
    # --- sign-in and HTTP hardening (issue 18) ---
    public_url_set: bool = False  # PUBLIC_URL given in the environment (then every link uses it)
    trusted_hosts: tuple[str, ...] = ("localhost", "127.0.0.1")
    embed_allowed_origins: tuple[str, ...] = ("*",)
    signin_limit_per_account: str = "10 per 15 minutes"
    signin_limit_per_address: str = "30 per 15 minutes"
    # --- end of sign-in and HTTP hardening ---


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
        **_hardening(environ),
    )


# --- sign-in and HTTP hardening (issue 18) ---
_HOST = re.compile(r"^\.?[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$|^\*$")


def _list(environ: Mapping[str, str], name: str) -> list[str]:
    return [item.strip().lower() for item in environ.get(name, "").replace(" ", ",").split(",") if item.strip()]


def _rate(environ: Mapping[str, str], name: str) -> str:
    raw = environ.get(name, "").strip() or SETTINGS_HELP[name][0]
    try:
        limits.parse(raw)
    except ValueError:
        raise SettingsError(f"{name} must read like '10 per 15 minutes', not {raw[:40]!r}; see README 'Configuration'") from None
    return raw


def _hardening(environ: Mapping[str, str]) -> dict:
    """PUBLIC_URL given or not, TRUSTED_HOSTS, EMBED_ALLOWED_ORIGINS and the sign-in limits."""
    public_url = environ.get("PUBLIC_URL", "").strip().rstrip("/")
    if public_url and not urlsplit(public_url).hostname:
        raise SettingsError(f"PUBLIC_URL must be an address such as https://dashboard.example.org, not {public_url[:60]!r}")
    hosts = _list(environ, "TRUSTED_HOSTS") or ["localhost", "127.0.0.1"]
    for host in hosts:
        if not _HOST.match(host):
            raise SettingsError(f"TRUSTED_HOSTS must list host names such as dashboard.example.org (no scheme or port), "
                                f"not {host[:60]!r}; see README 'Configuration'")
    if public_url and urlsplit(public_url).hostname not in hosts:
        hosts.append(urlsplit(public_url).hostname)
    origins = _list(environ, "EMBED_ALLOWED_ORIGINS") or ["*"]
    for origin in origins:
        if not _ORIGIN.match(origin):
            raise SettingsError(f"EMBED_ALLOWED_ORIGINS must list origins such as https://partner.example (or *), "
                                f"not {origin[:60]!r}; see README 'Configuration'")
    return {"public_url_set": bool(public_url), "trusted_hosts": tuple(hosts),
            "embed_allowed_origins": ("*",) if "*" in origins else tuple(origins),
            "signin_limit_per_account": _rate(environ, "SIGNIN_LIMIT_PER_ACCOUNT"),
            "signin_limit_per_address": _rate(environ, "SIGNIN_LIMIT_PER_ADDRESS")}
# --- end of sign-in and HTTP hardening ---


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
