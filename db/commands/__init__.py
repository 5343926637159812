"""Writes to the store: validated commands that check permissions, audit, and bump the data version."""
