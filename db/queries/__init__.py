"""Read queries of the store: each takes a session and keyword-only filters and returns a tidy DataFrame."""
