"""Metropolis dashboard: builds the Dash app, configures logging, binds the store. `server` is the WSGI app."""

from __future__ import annotations

import logging
import os

from dash import Dash, set_props

from dashboard.api import register_api
from dashboard.cache import init_cache
from dashboard.i18n import _
from dashboard.settings import Settings, load_settings
from db.session import init_engine

logger = logging.getLogger("dashboard")

VENDOR_STYLESHEETS = [
    "/assets/vendor/bootstrap/bootstrap.min.css",
    "/assets/vendor/bootstrap-icons/bootstrap-icons.min.css",
]


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def on_callback_error(err: Exception) -> None:
    """Log an unexpected callback failure and tell the user, without a traceback."""
    logger.error("callback failed", exc_info=err)
    from dashboard import ids

    set_props(ids.Shell.ERROR_TOAST, {"is_open": True,
                                      "children": _("Something went wrong while updating this view. The error was "
                                                    "logged; try again or change the filters.")})


def create_app(settings: Settings) -> Dash:
    """Create the Dash app against the store named by `settings` (migrated and seeded first if asked)."""
    engine = init_engine(settings.database_url)
    if settings.seed_on_start:
        from seed.load import init_store

        result = init_store(engine)
        logger.info("store ready (%s)", "seeded now" if result.seeded else "already seeded")
    os.environ.setdefault("DASH_DISABLE_VERSION_CHECK", "true")  # debug mode would ask a plotly server
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="dashboard/pages",
        assets_path_ignore=["vendor", "topojson"],
        external_stylesheets=VENDOR_STYLESHEETS,
        title=_("Metropolis dashboard"),
        update_title=None,
        suppress_callback_exceptions=True,
        on_error=on_callback_error,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    register_api(app.server)
    from dashboard.export_routes import register_exports
    from dashboard.health import register_health

    register_exports(app.server)
    register_health(app.server)
    init_cache(app.server, redis_url=settings.redis_url, timeout=settings.cache_timeout)
    from dashboard.shell import shell_layout

    app.layout = shell_layout
    return app


settings = load_settings()
configure_logging(settings.log_level)
app = create_app(settings)
server = app.server

if __name__ == "__main__":
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
