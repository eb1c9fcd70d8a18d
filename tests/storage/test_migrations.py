"""Schema versions: a new database is stamped, an existing one is reopened as is, and a
database from a newer server is refused rather than damaged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from routing_server.engine.model import Contact
from routing_server.engine.tx import Changes
from routing_server.storage import schema
from routing_server.storage.sql import SqlStorage


async def test_new_database_is_stamped_and_seeded(tmp_path: Path) -> None:
    """A fresh database has the current version, WAL mode and the team `support`."""
    db = tmp_path / "db.sqlite3"
    storage = SqlStorage.sqlite(db)
    await storage.open()
    state = await storage.load_state()
    await storage.close()
    assert list(state.teams) == ["support"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("select version from schema_version").fetchone() == (
            schema.CURRENT_VERSION,
        )
        assert conn.execute("pragma journal_mode").fetchone() == ("wal",)


async def test_reopening_keeps_the_data(tmp_path: Path) -> None:
    """Opening an existing database again migrates nothing away."""
    db = tmp_path / "db.sqlite3"
    storage = SqlStorage.sqlite(db)
    await storage.open()
    await storage.commit(Changes(contacts=[Contact("ct_1", "Maria", "+1")]), [], 1.0)
    await storage.close()
    await storage.open()
    state = await storage.load_state()
    await storage.close()
    assert state.contacts["ct_1"].name == "Maria"


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    """A database written by a newer server is not opened."""
    db = tmp_path / "db.sqlite3"
    storage = SqlStorage.sqlite(db)
    await storage.open()
    await storage.close()
    with sqlite3.connect(db) as conn:
        conn.execute("update schema_version set version = ?", (schema.CURRENT_VERSION + 1,))
    with pytest.raises(RuntimeError, match="newer"):
        await storage.open()
    await storage.close()
