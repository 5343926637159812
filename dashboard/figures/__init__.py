"""Figure builders: pure functions DataFrame -> plotly Figure (no I/O, no Dash, no database)."""
