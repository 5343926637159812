"""The dashboard's own address in the links it prints (exports, embed codes, copied links, printed pages).

One rule: PUBLIC_URL when it is set; otherwise the address the user reached, whose host Flask has already checked
against TRUSTED_HOSTS (dashboard/security.py), so a crafted Host header never reaches a link; outside a request
(the command line) PUBLIC_URL or its default.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

from config.settings import load_settings


def base_url() -> str:
    """The dashboard's address without a trailing slash, e.g. https://dashboard.metropolis.org."""
    if has_request_context():
        configured = current_app.config.get("PUBLIC_URL")
        return configured or request.url_root.rstrip("/")
    return load_settings().public_url  # outside a request only: the CLI has no app config


def absolute_url(path: str) -> str:
    """`path` (a path with its query, starting with /) on the dashboard's address."""
    return base_url() + path


def current_url() -> str:
    """This request's address (path and query) on the dashboard's address."""
    return absolute_url(request.full_path.rstrip("?"))


def same_site_url(url: str) -> str:
    """`url` (e.g. a Referer, which the client chooses) with its scheme and host replaced by the dashboard's."""
    parts = urlsplit(url)
    return absolute_url((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
