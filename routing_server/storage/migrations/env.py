"""Alembic's environment: migrations run on the connection (and in the transaction) that the
server opened, handed over in `config.attributes["connection"]` (see storage/migrate.py)."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection)
with context.begin_transaction():
    context.run_migrations()
