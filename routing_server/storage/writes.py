"""The write path: a transaction's rows rendered when it ends, and batches of them written.

Rows are rendered when the engine finishes a command (`prepare`), not when the commit runs:
with group commit, later commands may already have changed the same objects in memory, and a
commit must write exactly what its own commands made. A batch then merges its transactions
(the last version of each row wins) and runs one statement per table, since every statement is
a round trip to the database's thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import Insert

from routing_server.engine.tx import Changes
from routing_server.storage import rows, schema
from routing_server.storage.base import PreparedWrite, StoredEvent

# Tables written by upsert, with their key column, in the order they are written.
UPSERTS: tuple[tuple[Table, str], ...] = (
    (schema.teams, "id"),
    (schema.users, "id"),
    (schema.presence, "user_id"),
    (schema.contacts, "id"),
    (schema.conversations, "id"),
    (schema.groups, "id"),
    (schema.settings, "id"),
)


def prepare(changes: Changes, events: list[StoredEvent], at: float) -> PreparedWrite:
    """Render a transaction's changes and events as rows."""
    upserts = {
        "teams": [rows.team_row(t) for t in changes.teams],
        "users": [rows.user_row(u) for u in changes.users],
        "presence": [rows.presence_row(p) for p in changes.presence],
        "contacts": [rows.contact_row(c) for c in changes.contacts],
        "conversations": [rows.conversation_row(c) for c in changes.conversations],
        "groups": [rows.group_row(g) for g in changes.groups],
        "settings": (
            [{"id": 1, "data": rows.settings_data(changes.settings)}]
            if changes.settings is not None
            else []
        ),
    }
    return PreparedWrite(
        upserts={name: values for name, values in upserts.items() if values},
        messages=[rows.message_row(m) for m in changes.new_messages],
        deliveries=[
            {"message_id": m.id, "new_delivery": m.delivery} for m in changes.updated_messages
        ],
        timeline=[rows.timeline_row(t) for t in changes.timeline],
        history=[rows.history_row(h) for h in changes.history],
        deleted_groups=list(changes.deleted_groups),
        events=[
            {
                "seq": e.seq,
                "name": e.name,
                "data": e.data,
                "audience": sorted(e.audience),
                "at": at,
            }
            for e in events
        ],
    )


class Statements:
    """The statements every commit runs, built once per dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self.upserts = {table.name: upsert(dialect, table, key) for table, key in UPSERTS}
        self.messages = insert(schema.messages)
        self.deliveries = (
            update(schema.messages)
            .where(schema.messages.c.id == bindparam("message_id"))
            .values(delivery=bindparam("new_delivery"))
        )
        self.timeline = insert(schema.timeline)
        self.history = insert(schema.contact_history)
        self.events = insert(schema.events)
        self.last_seq = (
            update(schema.meta)
            .where(schema.meta.c.key == "last_seq")
            .values(value=bindparam("seq"))
        )


# Columns a transaction never writes (they have their own commands): an upsert must leave them
# as they are. A user's password hash is set only by `create_user` and `set_password_hash`.
NOT_WRITTEN = {"users": frozenset({"password_hash"})}


def upsert(dialect: Dialect, table: Table, key: str) -> Insert:
    """An INSERT … ON CONFLICT (key) DO UPDATE for SQLite or PostgreSQL."""
    stmt: Any = postgresql.insert(table) if dialect.name == "postgresql" else sqlite.insert(table)
    kept = NOT_WRITTEN.get(table.name, frozenset())
    return stmt.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=[key],
        set_={
            c.name: stmt.excluded[c.name]
            for c in table.columns
            if c.name != key and c.name not in kept
        },
    )


async def write_batch(
    conn: AsyncConnection, st: Statements, batch: Sequence[PreparedWrite]
) -> None:
    """Write prepared transactions in order on an open database transaction."""
    keys = {table.name: key for table, key in UPSERTS}
    latest: dict[str, dict[Any, dict[str, Any]]] = {name: {} for name in keys}
    deleted: list[str] = []
    for write in batch:
        for group_id in write.deleted_groups:
            latest["groups"].pop(group_id, None)
            deleted.append(group_id)
        for name, values in write.upserts.items():
            by_key = latest[name]
            for row in values:
                by_key[row[keys[name]]] = row
    for table, _ in UPSERTS:
        await put(conn, st.upserts[table.name], latest[table.name].values())
    await put(conn, st.messages, (m for w in batch for m in w.messages))
    await put(conn, st.deliveries, (d for w in batch for d in w.deliveries))
    await put(conn, st.timeline, (t for w in batch for t in w.timeline))
    await put(conn, st.history, (h for w in batch for h in w.history))
    if deleted:
        await conn.execute(delete(schema.groups).where(schema.groups.c.id.in_(deleted)))
    events = [e for w in batch for e in w.events]
    if events:
        await put(conn, st.events, events)
        await conn.execute(st.last_seq, {"seq": events[-1]["seq"]})


async def put(conn: AsyncConnection, stmt: Any, values: Iterable[dict[str, Any]]) -> None:
    """Execute `stmt` for every row (one executemany), or not at all when there are none."""
    params = list(values)
    if params:
        await conn.execute(stmt, params)
