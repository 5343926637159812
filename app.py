"""Metropolis dashboard: builds the Dash app, configures logging, binds the store. `server` is the WSGI app."""

from __future__ import annotations

import logging
import os

from dash import set_props

from config.settings import ROOT, Settings, load_settings
from dashboard import ids
from dashboard.api import register_api
from dashboard.auth import init_auth, secret_key
from dashboard.cache import init_cache
from dashboard.dispatch import CheckedDash
from dashboard.export_routes import register_exports
from dashboard.health import DATABASE_UNREACHABLE, register_health
from dashboard.i18n import _, current_locale
from dashboard.meetings import init_meetings
from dashboard.packs import register_packs
from dashboard.prewarm import init_prewarm
from dashboard.records_api import register_records
from dashboard.security import init_security
from dashboard.shell import shell_layout, translate_page_titles
from dashboard.static import asset_url, init_static, on_demand_grid, plotly_script
from db.session import init_engine
from seed.load import init_store

logger = logging.getLogger("dashboard")

VENDOR_STYLESHEETS = [
    asset_url("/assets/vendor/bootstrap/bootstrap.min.css"),
    asset_url("/assets/vendor/bootstrap-icons/bootstrap-icons.min.css"),
]


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def on_callback_error(err: Exception) -> None:
    """Log an unexpected callback failure and tell the user, without a traceback."""
    if isinstance(err, DATABASE_UNREACHABLE):
        raise err  # not a bug in the view: the app's handler answers 503 with Retry-After (dashboard/health.py)
    logger.error("callback failed", exc_info=err)
    set_props(ids.Shell.ERROR_TOAST, {"is_open": True,
                                      "children": _("Something went wrong while updating this view. The error was "
                                                    "logged; try again or change the filters.")})


class MetropolisDash(CheckedDash):
    """Dash whose page says which language it is in (`<html lang>`: WCAG 3.1.1) and is titled in it, for pages
    and embeds alike."""

    def interpolate_index(self, **kwargs) -> str:
        title = kwargs.get("title")  # (outside the call: the catalogues' extraction reads a literal in _(...))
        if title:  # the window's title before a page sets its own (WCAG 2.4.2); _("") is the catalogue's header
            kwargs["title"] = _(title)
        return super().interpolate_index(**kwargs).replace("<html>", f'<html lang="{current_locale()}">', 1)


def create_app(settings: Settings) -> MetropolisDash:
    """Create the Dash app against the store named by `settings` (migrated and seeded first if asked)."""
    engine = init_engine(settings.database_url)
    if settings.seed_on_start:
        result = init_store(engine)
        logger.info("store ready (%s)", "seeded now" if result.seeded else "already seeded")
    # Configures Dash, not read by us: debug mode would otherwise ask a plotly server for the latest version.
    os.environ.setdefault("DASH_DISABLE_VERSION_CHECK", "true")
    app = MetropolisDash(
        __name__,
        use_pages=True,
        pages_folder="dashboard/pages",
        assets_path_ignore=["vendor", "topojson", "on-demand"],  # on-demand: added below, with its bundle
        external_stylesheets=VENDOR_STYLESHEETS,
        external_scripts=plotly_script(),  # loaded before dcc: dcc.Graph then never fetches its full plotly.js
        title=_("Metropolis dashboard"),
        update_title=None,
        suppress_callback_exceptions=True,
        on_error=on_callback_error,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    # dash-ag-grid's bundle only where a page draws a table (dashboard/static.py on_demand_grid)
    app.config.external_scripts.append(on_demand_grid(app.config.requests_pathname_prefix))
    translate_page_titles()  # the pages are registered now (use_pages imported them)
    server = app.server
    init_static(server)  # first: its compression hook then runs after every other one
    init_auth(server, secret=secret_key(settings.secret_key, ROOT / "instance"),
              cookie_secure=settings.cookie_secure, public_access=settings.public_access,
              signin_limits=(settings.signin_limit_per_account, settings.signin_limit_per_address),
              redis_url=settings.redis_url)
    init_meetings(server)  # after the access rule: `as_of` reads the store as of a Board meeting for the request
    init_cache(server, redis_url=settings.redis_url, timeout=settings.cache_timeout)
    init_prewarm(server)
    register_api(server)
    register_exports(server)
    register_health(server)
    register_records(server, max_upload_mb=settings.max_upload_mb)
    register_packs(server)
    app.layout = shell_layout
    init_security(server, script_hashes=app.csp_hashes, trusted_hosts=settings.trusted_hosts,
                  embed_origins=settings.embed_allowed_origins,
                  public_url=settings.public_url if settings.public_url_set else None)
    return app


settings = load_settings()
configure_logging(settings.log_level)
app = create_app(settings)
server = app.server

if __name__ == "__main__":
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
