"""Schema versions: a new database is stamped, an existing one is reopened as is, and a
database from a newer server is refused rather than damaged."""

from __future__ import annotations

import json
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


async def test_version_3_writes_phones_in_e164_and_merges_one_customer_typed_twice(
    tmp_path: Path,
) -> None:
    """A version-2 database with "+1 555 0100" (with a rep) and "+15550100" (with a
    conversation) as two contacts opens as one contact in E.164 form: the rep kept, the
    conversation and history moved to it, and the merge recorded in its history."""
    db = tmp_path / "db.sqlite3"
    storage = SqlStorage.sqlite(db)
    await storage.open()
    await storage.close()
    with sqlite3.connect(db) as conn:
        conn.execute("update schema_version set version = 2")
        conn.executemany(
            "insert into contacts (id, name, handle, phone, email, account_rep_id,"
            " priority_notifications) values (?, ?, ?, ?, ?, ?, ?)",
            [
                ("ct_a", "Maria", "+1 555 0100", "+1 555 0100", None, "u_ana", 1),
                ("ct_b", "+15550100", "+15550100", "+15550100", "maria@x.test", None, 0),
                ("ct_c", "Bo", "+1 555 0199", "+1 555 0199", None, None, 0),
            ],
        )
        conn.execute(
            "insert into contact_history (contact_id, at, kind, actor_id, source, details)"
            " values ('ct_a', 1.0, 'account_rep_assigned', null, 'manual', ?)",
            (json.dumps({"user_id": "u_ana"}),),
        )
        conn.execute(
            "insert into conversations (id, team_id, channel, contact_id, address, state,"
            " assigned_to, reason, routed_at, created_at, updated_at, unread, was_shared)"
            " values ('cv_1', 'support', 'sms', 'ct_b', '+15550100', 'shared', null,"
            " 'no_dedicated_agent', 1.0, 1.0, 1.0, 1, 1)"
        )
    await storage.open()
    state = await storage.load_state()
    history = await storage.contact_history("ct_a")
    await storage.close()
    assert sorted(state.contacts) == ["ct_a", "ct_c"]
    maria = state.contacts["ct_a"]
    assert (maria.phone, maria.handle, maria.email) == ("+15550100", "+15550100", "maria@x.test")
    assert maria.account_rep_id == "u_ana"
    assert state.contacts["ct_c"].phone == "+15550199"
    assert state.conversations["cv_1"].contact_id == "ct_a"
    assert state.find_contact("+15550100") is maria
    merged = [h for h in history if h.kind == "contacts_merged"]
    details = json.loads(json.dumps(merged[0].details))
    assert [m["id"] for m in details["merged"]] == ["ct_b"]


def _schema_of(db: Path) -> dict[str, object]:
    """Tables with their columns, and index names, as SQLite reports them."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        columns = {t: sorted(r[1] for r in conn.execute(f"pragma table_info({t})")) for t in tables}
        indexes = sorted(
            r[0]
            for r in conn.execute("select name from sqlite_master where type='index'")
            if not r[0].startswith("sqlite_autoindex")
        )
    return {"columns": columns, "indexes": indexes}


async def test_a_version_1_database_upgrades_to_what_a_fresh_one_is(tmp_path: Path) -> None:
    """A database at the first released schema upgrades to exactly the current schema, and a
    fresh database opened afterwards in the same process is created cleanly (no index defined
    twice)."""
    old = tmp_path / "old.sqlite3"
    storage = SqlStorage.sqlite(old)
    await storage.open()
    await storage.close()
    with sqlite3.connect(old) as conn:  # take it back to version 1
        conn.execute("drop table contact_history")
        conn.execute("drop table groups")
        conn.execute("drop index ix_contacts_name")
        conn.execute("drop index ix_timeline_at")
        conn.execute("alter table teams drop column rr_cursor")
        conn.execute("alter table contacts drop column reassignment")
        conn.execute("update schema_version set version = 1")
    await storage.open()
    await storage.close()
    fresh = tmp_path / "fresh.sqlite3"
    other = SqlStorage.sqlite(fresh)
    await other.open()
    await other.close()
    assert _schema_of(old) == _schema_of(fresh)
