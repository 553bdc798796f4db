"""Alembic migrations of the answers store (run by store_schema.migrate when a store opens)."""
