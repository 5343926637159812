"""The Metropolis dashboard: Dash pages, figures, API and settings on top of the `db` store."""
