"""The pages: each module registers one Dash page (dash.register_page) with its layout and thin callbacks."""
