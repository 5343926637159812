"""Configuration shared by every layer: db/, seed/ and dashboard/ read their settings from config.settings."""
