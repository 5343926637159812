"""Curated seed data of the store and its loader."""
