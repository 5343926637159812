"""The shared cache: Redis when REDIS_URL is set (several workers share it), else an in-process cache.

Keys hold the store's data version, so any write makes every older entry unreachable at once, in every
worker. If Redis fails, the app keeps answering uncached and tries Redis again a few seconds later.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from flask import g, has_app_context
from flask_caching import Cache

from dashboard.i18n import current_locale
from db.asof import viewed_meeting_slug
from db.session import Session
from db.versioning import data_version

logger = logging.getLogger(__name__)

cache = Cache()
RETRY_AFTER_SECONDS = 5.0
_state = {"down_until": 0.0, "type": "none"}


def init_cache(server, *, redis_url: str, timeout: int) -> str:
    """Configure the cache on the Flask `server`; return its type ('redis' or 'simple') and log it."""
    if redis_url:
        config = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url, "CACHE_KEY_PREFIX": "metropolis:",
                  "CACHE_DEFAULT_TIMEOUT": timeout,
                  "CACHE_OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}}
        kind = "redis"
        logger.info("cache: Redis at %s (shared by every worker)", redis_url.split("@")[-1])
    else:
        config = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": timeout, "CACHE_THRESHOLD": 2000}
        kind = "simple"
        logger.warning("cache: REDIS_URL is not set, using an in-process cache: fine for one process; several "
                       "workers each keep their own (set REDIS_URL in production)")
    cache.init_app(server, config=config)
    _state.update(type=kind, down_until=0.0)
    return kind


def current_version() -> int:
    """The store's data version, read once per request."""
    if has_app_context() and "data_version" in g:
        return g.data_version
    with Session() as session:
        version, _changed = data_version(session)
    if has_app_context():
        g.data_version = version
    return version


def _available() -> bool:
    return _state["type"] != "none" and time.monotonic() >= _state["down_until"]


def _failed(err: Exception) -> None:
    if time.monotonic() >= _state["down_until"]:
        logger.warning("cache unavailable (%s); answering uncached, retrying in %.0f s", err.__class__.__name__,
                       RETRY_AFTER_SECONDS)
    _state["down_until"] = time.monotonic() + RETRY_AFTER_SECONDS


def cache_key(namespace: str, *parts: Any) -> str:
    """A key from the namespace, the data version, the locale and the parts (hashed)."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    meeting = viewed_meeting_slug()  # a meeting's data version may equal the store's, not its "today"
    return f"{namespace}:v{current_version()}{':' + meeting if meeting else ''}:{current_locale()}:{digest}"


_MISS = object()


def cached(namespace: str, compute: Callable[[], Any], *parts: Any) -> Any:
    """Return the cached value for (namespace, parts) at the current data version, computing it on a miss."""
    if not has_app_context() or not _available():
        return compute()
    key = cache_key(namespace, *parts)
    try:
        value = cache.get(key)
        if value is not None:
            return value
    except Exception as err:  # noqa: BLE001 - any cache failure means: answer uncached
        _failed(err)
        return compute()
    value = compute()
    try:
        cache.set(key, value)
    except Exception as err:  # noqa: BLE001
        _failed(err)
    return value


def memoized(namespace: str):
    """Decorator: cache a function of plain, repr-able arguments (never a session) by data version."""
    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            return cached(namespace, lambda: fn(*args, **kwargs), args, sorted(kwargs.items()))
        inner.uncached = fn
        return inner
    return wrap


def health() -> dict:
    """The cache's state for /healthz."""
    if _state["type"] == "none":
        return {"type": "none", "ok": False}
    start = time.perf_counter()
    try:
        cache.set("healthz", "ok", timeout=10)
        ok = cache.get("healthz") == "ok"
    except Exception as err:  # noqa: BLE001
        _failed(err)
        return {"type": _state["type"], "ok": False, "error": err.__class__.__name__}
    return {"type": _state["type"], "ok": ok, "latency_ms": round(1000 * (time.perf_counter() - start), 1)}
