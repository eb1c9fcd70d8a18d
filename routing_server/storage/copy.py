"""`inbox-server migrate-db`: copy a team's whole database to another one (SQLite to
PostgreSQL, the upgrade path for a team that outgrows the embedded default).

Both databases are brought to the newest schema first, so rows copy column for column; then the
source is only read. The target must be new (nothing but what a new database is seeded with);
the copy runs in one transaction on the target, so an interrupted copy leaves it as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from routing_server.storage import schema
from routing_server.storage.sql import SqlStorage

# Rows per INSERT: bounded memory whatever the size of the database.
CHUNK = 2_000
# Tables that a new database already fills (the default team, the event counter) and whose
# rows the copy replaces.
SEEDED = frozenset({"teams", "meta", "schema_version"})
# Tables whose rows say the database is in use: the target must have none.
CONTENT = ("users", "contacts", "conversations", "messages", "events")


class CopyError(Exception):
    """The copy cannot start (the CLI prints it and exits 2)."""


def _tables() -> list[Table]:
    """Every table of the schema, parents before children."""
    return list(schema.metadata.sorted_tables)


async def copy_database(
    source: SqlStorage, target: SqlStorage, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every row of `source` into the new database `target`; returns rows per table."""
    await source.open()
    try:
        await target.open()
        try:
            async with source.engine.connect() as src, target.engine.begin() as dst:
                await _check_new(dst)
                return await _copy(src, dst, progress)
        finally:
            await target.close()
    finally:
        await source.close()


async def _check_new(dst: AsyncConnection) -> None:
    for name in CONTENT:
        table = schema.metadata.tables[name]
        found = (await dst.execute(select(func.count()).select_from(table))).scalar_one()
        if found:
            raise CopyError(
                f"the target database is not new: it has {found} rows in {name}; "
                "copy into an empty database"
            )


async def _copy(
    src: AsyncConnection, dst: AsyncConnection, progress: Callable[[str, int], None] | None
) -> dict[str, int]:
    copied: dict[str, int] = {}
    for table in _tables():
        if table.name in SEEDED:
            await dst.execute(delete(table))
        count = 0
        result = await src.stream(select(table))
        async for chunk in result.mappings().partitions(CHUNK):
            await dst.execute(insert(table), [dict(row) for row in chunk])
            count += len(chunk)
        copied[table.name] = count
        if progress is not None:
            progress(table.name, count)
    if dst.dialect.name == "postgresql":
        await _advance_sequences(dst)
    return copied


async def _advance_sequences(dst: AsyncConnection) -> None:
    """Rows came with their `pos`: move each serial counter past the largest one copied."""
    for table in _tables():
        for column in table.primary_key.columns:
            if column.autoincrement is True:
                await dst.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                    )
                )
