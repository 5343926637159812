"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py app:server` (README 'Production').

Each worker imports the app on its own (no preload): its database pool and its export renderer are its own,
and nothing one worker holds is needed by another (shared state lives in PostgreSQL and Redis).
"""

from config.settings import load_settings

_settings = load_settings()

bind = f"{_settings.host}:{_settings.port}"
workers = _settings.workers
worker_class = "gthread"
threads = 4
timeout = 120  # exports of large charts and decks can take tens of seconds
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then, so no slow growth in memory lasts
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = _settings.log_level.lower()
preload_app = False
