"""The store: SQLAlchemy models, sessions, queries and migrations. Never imports `dashboard`."""
