"""Alembic revisions of the server's database, one frozen file per schema change (`versions/`)."""
