"""PostgreSQL storage on a real server: the same revisions build the same schema, one process
writes at a time, and `inbox-server migrate-db` moves a team from SQLite without losing a row."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from routing_client.rpc import RpcClient
from routing_server import admin
from routing_server.app import RoutingServer, ServerConfig
from routing_server.storage import migrate, schema
from routing_server.storage.sql import SqlStorage, database_url
from tests.postgres import PostgresCluster
from tests.server.harness import PASSWORD, start_harness


async def test_revisions_build_the_live_schema_on_postgresql(
    postgres_cluster: PostgresCluster,
) -> None:
    """On PostgreSQL too, what the revisions create is exactly what `schema.py` describes."""
    storage = SqlStorage(postgres_cluster.new_database())
    await storage.open()
    try:
        async with storage.engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), schema.metadata)
            )
            revision = await conn.run_sync(migrate.current_revision)
    finally:
        await storage.close()
    assert diff == []
    assert revision == migrate.head_revision()


async def test_servers_opening_one_new_database_together_set_it_up_once(
    postgres_cluster: PostgresCluster,
) -> None:
    """Several processes opening a new database at once: one creates the schema (the others
    wait on the migration lock and find it done), nobody fails."""
    url = postgres_cluster.new_database()
    storages = [SqlStorage(url) for _ in range(6)]
    await asyncio.gather(*(s.open() for s in storages))
    states = [await s.load_state() for s in storages]
    await asyncio.gather(*(s.close() for s in storages))
    assert all(list(state.teams) == ["support"] for state in states)


async def test_a_second_server_on_the_same_database_is_refused(
    postgres_cluster: PostgresCluster,
) -> None:
    """Only one server writes a PostgreSQL database: a second one fails to start, and starts
    once the first has stopped (the advisory lock goes with the first one's connection)."""
    url = postgres_cluster.new_database()
    first = await RoutingServer.start(SqlStorage(url), ServerConfig(port=0))
    with pytest.raises(RuntimeError, match="another server is writing"):
        await RoutingServer.start(SqlStorage(url), ServerConfig(port=0))
    await first.close()
    second = await RoutingServer.start(SqlStorage(url), ServerConfig(port=0))
    await second.close()


def test_postgres_urls_select_asyncpg() -> None:
    """`--db postgresql://…` selects PostgreSQL through asyncpg; a path or sqlite:/// SQLite; any
    other scheme is refused with a message."""
    assert database_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert database_url("sqlite:////tmp/x/db.sqlite3") == "sqlite+aiosqlite:////tmp/x/db.sqlite3"
    with pytest.raises(ValueError, match="mysql: not a database"):
        database_url("mysql://u@h/db")


async def _cli(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "routing_server.cli", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_migrate_db_from_a_missing_file_is_refused(tmp_path: Path) -> None:
    """A `--from` file that does not exist is a one-line error and exit 2, and no empty
    database is made in its place."""
    missing = tmp_path / "nope.sqlite3"
    code, _, err = await _cli("migrate-db", "--from", str(missing), "--to", "postgresql://x@h/y")
    assert code == 2
    assert err.strip() == f"inbox-server: error: --from {missing}: no such database file"
    assert not missing.exists()


@pytest.mark.slow
async def test_migrate_db_moves_a_team_from_sqlite_to_postgresql(
    tmp_path: Path, postgres_cluster: PostgresCluster
) -> None:
    """A SQLite team with users, a routed conversation and a reply is copied with
    `migrate-db`; a server on PostgreSQL then has all of it, the agent signs in with her password,
    new messages continue the same conversation, and copying into a non-empty database is
    refused with exit 2."""
    h = await start_harness(tmp_path)
    ana = await h.agent("ana")
    gateway = await h.gateway()
    first = await h.inbound(gateway, "+15550100", "Hello")
    conversation_id = first["conversation_id"]
    await ana.request("claim", conversation_id=conversation_id)
    await ana.request(
        "send_message", conversation_id=conversation_id, body="Hi!", client_msg_id="c1"
    )
    await h.close()

    target = postgres_cluster.new_database().replace("postgresql+asyncpg://", "postgresql://")
    code, out, err = await _cli("migrate-db", "--from", str(h.db), "--to", target)
    assert (code, err) == (0, "")
    assert "messages: 2 rows" in out

    storage = SqlStorage.at(target)
    server = await RoutingServer.start(storage, ServerConfig(port=0))
    try:
        client = await RpcClient.open(server.url)
        await client.request("login", username="ana", password=PASSWORD)
        await client.request("sync")
        got = await client.request("get_conversation", conversation_id=conversation_id)
        assert [m["body"] for m in got["messages"]] == ["Hello", "Hi!"]
        assert got["conversation"]["state"] == "claimed"
        await client.close()
        gateway = await RpcClient.open(server.url)
        await gateway.request("auth", token=await admin.integration_token(storage, "gw2"))
        again = await gateway.call(
            "inbound",
            {"channel": "sms", "from": "+15550100", "body": "Still there?", "external_id": "x2"},
        )
        assert again["conversation_id"] == conversation_id
        await gateway.close()
    finally:
        await server.close()

    code, _, err = await _cli("migrate-db", "--from", str(h.db), "--to", target)
    assert code == 2
    assert "not new" in err
