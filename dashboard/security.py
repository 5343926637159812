"""HTTP hardening on every answer: a Content-Security-Policy Dash and plotly work under, framing rules (only
/embed/ may be framed, by EMBED_ALLOWED_ORIGINS), nosniff, a referrer policy, and the trusted Host names.

Flask's own hooks rather than flask-talisman: Dash serves every page, the embeds included, from one catch-all
view, so Talisman's per-view options cannot tell /embed/ from /audit; the script hashes come from the Dash app
(`csp_hashes()`), which only exists after Talisman would be set up; and Talisman's HTTPS redirect and session
cookie settings overlap what dashboard/auth.py already sets.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from html import escape

import dash
from flask import Flask, Response, has_request_context, request
from werkzeug.exceptions import SecurityError

from dashboard.i18n import _
from dashboard.urls import current_url

logger = logging.getLogger(__name__)

EMBED_PREFIX = "/embed/"
# plotly.js writes <style> rules and style attributes as it draws, and Dash components set inline styles: styles
# need 'unsafe-inline' (they cannot run code). Scripts need no 'unsafe-inline' and no 'unsafe-eval': Dash's one
# inline script (the renderer's start) is allowed by its hash, everything else is a file served by the app.
# img-src data:/blob: are plotly's heatmap images and the "download as PNG" button.
_POLICY = {
    "default-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
REFERRER_POLICY = "same-origin"  # the dashboard's addresses (with their filters) never leave for another site


_PAGE_URL_META = re.compile(r'(<meta property="(?:twitter|og):url" content=")[^"]*(")')


@dash.hooks.index()
def _page_url_meta(index: str) -> str:
    """Dash Pages writes the request's own URL (its Host) into the page's meta tags: write the dashboard's."""
    if not has_request_context():
        return index
    return _PAGE_URL_META.sub(lambda m: m.group(1) + escape(current_url()) + m.group(2), index)


def content_security_policy(script_hashes: Sequence[str], frame_ancestors: str) -> str:
    """The CSP header value: `_POLICY`, scripts from this site or with one of `script_hashes`, and who may frame."""
    directives = {**_POLICY, "script-src": " ".join(["'self'", *script_hashes]), "frame-ancestors": frame_ancestors}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def init_security(server: Flask, *, script_hashes, trusted_hosts: Sequence[str], embed_origins: Sequence[str],
                  public_url: str | None) -> None:
    """Set the headers on every answer of `server`, answer an untrusted Host 400, and give links PUBLIC_URL.

    `script_hashes` is a callable returning the CSP hashes of the app's inline scripts (Dash's `csp_hashes`),
    asked on every answer so scripts added after start-up are covered too (it only hashes a few short strings).
    """
    server.config["TRUSTED_HOSTS"] = list(trusted_hosts)  # Flask 3.1 checks every request's Host against it
    server.config["PUBLIC_URL"] = public_url  # dashboard/urls.py: every printed link starts with it when set
    embed_ancestors = " ".join(embed_origins)

    def refuse_untrusted_host():
        # Flask stores the Host check's failure as the routing error, raised only after the before_request hooks;
        # raise it first, so no hook (sign-in, Dash, the access rule) runs for a request we will not answer.
        if isinstance(request.routing_exception, SecurityError):
            raise request.routing_exception
        return None

    server.before_request_funcs.setdefault(None, []).insert(0, refuse_untrusted_host)

    @server.errorhandler(SecurityError)
    def untrusted_host(err: SecurityError):
        logger.warning("refused a request for an untrusted Host (%s %s)", request.method, request.path[:200])
        message = _("This server does not answer for that host name. Use the dashboard's own address.")
        return Response(message + "\n", status=400, mimetype="text/plain")

    @server.after_request
    def security_headers(response: Response) -> Response:
        embed = request.path.startswith(EMBED_PREFIX)
        response.headers["Content-Security-Policy"] = content_security_policy(
            script_hashes(), embed_ancestors if embed else "'none'")
        if not embed:
            # For browsers without frame-ancestors; it cannot list origins, so the embeds rely on the CSP alone.
            response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = REFERRER_POLICY
        return response
