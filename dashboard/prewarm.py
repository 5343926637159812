"""Pre-warm the shared cache after a write, so the first Board view of the new data is served from the cache.

Every cache key names the data version (dashboard.cache), so a write makes every cached page unreachable. After
each committed write (db.commands.base.on_write) a background thread builds the default views (every page without
path variables, at its default filters) for each audience the page cache tells apart (anonymous, signed in) and each
language, under the new version. With several workers sharing Redis only one of them does it: the first to claim
the version's key (an atomic add, SET NX on Redis); the others see the key and skip.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field

import dash
from flask import current_app, has_request_context, request
from flask_login import current_user, login_user

from dashboard.cache import cache, current_version
from dashboard.health import DATABASE_UNREACHABLE
from dashboard.i18n import available_locales
from dashboard.shell import shell_layout
from db.commands.base import on_write

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 600  # a claim outlives any warm-up; a worker that died mid-way leaves the next write to retry
_last: dict[str, threading.Thread] = {}  # the latest warm-up thread (tests and the benchmark wait for it)


@dataclass
class WarmResult:
    """What one warm-up did: the version, the views built (path, audience, locale) and how long it took."""

    version: int
    views: list[tuple[str, str, str]] = field(default_factory=list)
    seconds: float = 0.0


def claim(version: int, shared=cache) -> bool:
    """Claim the warm-up of `version` for this process: True for the first caller across every worker sharing
    the cache `shared`, False for the others (and when the cache is unavailable: nothing to warm then)."""
    try:
        return bool(shared.add(f"prewarm:v{version}", os.getpid(), timeout=CLAIM_SECONDS))
    except Exception as err:  # noqa: BLE001 - a cache outage: the pages are answered uncached anyway
        logger.warning("pre-warm: cache unavailable (%s); not warming", err.__class__.__name__)
        return False


def default_views() -> list[dict]:
    """The registered pages whose layout is cached and takes no path variables (their default view needs none)."""
    return [page for page in dash.page_registry.values()
            if not page.get("path_template") and getattr(page.get("layout"), "cached_namespace", None)]


def warm(server, *, url_root: str | None = None, user=None) -> WarmResult | None:
    """Build every default view under the current data version (None if another worker claimed it).
    `url_root` is the dashboard's address as the visitors use it (page keys name the page's address); `user`, a
    signed-in user (dashboard.auth.SignedInUser), adds the signed-in audience."""
    start = time.perf_counter()
    with server.app_context():
        version = current_version()
        if not claim(version):
            return None
    result = WarmResult(version)
    audiences = [("public", None)] + ([("signed-in", user)] if user is not None else [])
    for page in default_views():
        for audience, who in audiences:
            for locale in available_locales():
                # a request of its own for each view: locale, user and data version are kept per request
                with server.test_request_context(page["path"], base_url=url_root,
                                                 headers={"Accept-Language": locale}):
                    if who is not None:
                        login_user(who)
                    if page["path"] == "/":
                        shell_layout()  # the frame of every page: filters, member search
                    page["layout"]()
                result.views.append((page["path"], audience, locale))
    result.seconds = time.perf_counter() - start
    with server.app_context():
        try:  # for operators and the benchmark (bench/serve_bench.py): which process warmed what, how fast
            cache.set(f"prewarm-done:v{version}", {"pid": os.getpid(), "views": len(result.views),
                                                   "seconds": round(result.seconds, 3)}, timeout=CLAIM_SECONDS)
        except Exception as err:  # noqa: BLE001
            logger.warning("pre-warm: cache unavailable (%s)", err.__class__.__name__)
    logger.info("pre-warm: %d views of data version %d built in %.1f s", len(result.views), version, result.seconds)
    return result


def _after_write(server) -> threading.Thread | None:
    """Start the warm-up in a background thread, with the writer's address and (signed in) user: for a write
    made in a request to this app (not the CLI's, nor another app's in the same process)."""
    if not has_request_context() or current_app._get_current_object() is not server:
        return None
    url_root = request.url_root
    user = current_user._get_current_object() if getattr(current_user, "is_authenticated", False) else None

    def run() -> None:
        try:
            warm(server, url_root=url_root, user=user)
        except DATABASE_UNREACHABLE as err:  # a restart while it ran: not a bug, and the next visitor computes
            logger.warning("pre-warm stopped: the database is unreachable (%s)", err.__class__.__name__)
        except Exception:  # noqa: BLE001 - a failed warm-up only means the next visitor waits as before
            logger.exception("pre-warm failed")

    thread = threading.Thread(target=run, name="prewarm", daemon=True)
    _last["thread"] = thread
    thread.start()
    return thread


def wait(timeout: float = 120.0) -> None:
    """Wait for the latest warm-up of this process to finish."""
    thread = _last.get("thread")
    if thread is not None:
        thread.join(timeout)


def init_prewarm(server) -> None:
    """Warm the default views after every committed write of this process."""
    on_write(lambda: _after_write(server))
