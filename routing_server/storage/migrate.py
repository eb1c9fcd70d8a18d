"""Brings a database to the newest schema with Alembic, in the caller's transaction.

The revisions live in `migrations/versions/`, one frozen file per schema change. Databases from
before Alembic carry only `schema_version` (1, 2 or 3): they are stamped with the revision of that
version and upgraded from there. A database whose revision this server does not know was written
by a newer server and is refused, never changed.
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, inspect, text

MIGRATIONS = Path(__file__).with_name("migrations")
# The revision that holds each schema version released before Alembic kept the revision.
LEGACY_REVISIONS = {1: "0001", 2: "0002", 3: "0003"}


def _config(conn: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


@functools.cache
def head_revision() -> str:
    """The newest revision this server knows (read once: the revisions ship with the server)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise RuntimeError("no schema revisions found")
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision of the database on `conn` (None for an empty database)."""
    revision = MigrationContext.configure(conn).get_current_revision()
    if revision is not None or not inspect(conn).has_table("schema_version"):
        return revision
    version = conn.execute(text("SELECT version FROM schema_version")).scalar_one()
    if version not in LEGACY_REVISIONS:
        raise RuntimeError(
            f"the database is at schema version {version} without an Alembic revision; "
            "it was not written by this server"
        )
    return LEGACY_REVISIONS[version]


def migrate(conn: Connection) -> str | None:
    """Create or upgrade the schema on `conn`; returns the revision it was at (None: new)."""
    config = _config(conn)
    start = current_revision(conn)
    if start is not None:
        try:
            ScriptDirectory.from_config(config).get_revision(start)
        except CommandError:
            raise RuntimeError(
                f"the database is at schema revision {start}, newer than this server's "
                f"{head_revision()}; upgrade the server"
            ) from None
        if MigrationContext.configure(conn).get_current_revision() is None:
            command.stamp(config, start)
    if start != head_revision():
        command.upgrade(config, "head")
    return start


def downgrade(conn: Connection, revision: str) -> None:
    """Take the schema on `conn` back to `revision` ("base": empty). For tests and recovery."""
    command.downgrade(_config(conn), revision)
