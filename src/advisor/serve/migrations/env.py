"""Alembic's entry point: runs the migrations on the connection store_schema.migrate hands over (in its
transaction), never on a URL of its own."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection)
with context.begin_transaction():
    context.run_migrations()
