"""Schema migrations (Alembic): a new database is built by the revisions, every released schema
upgrades to exactly what a new database is, the live table definitions agree with the revisions,
and a database from a newer server is refused rather than damaged."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from routing_server.engine.model import Contact
from routing_server.engine.tx import Changes
from routing_server.storage import migrate, schema
from routing_server.storage.sql import SqlStorage

RELEASED = Path(__file__).with_name("released")
RELEASED_VERSIONS = (1, 2, 3)


def _restore(version: int, db: Path) -> None:
    """A database exactly as the release with schema `version` left it."""
    with sqlite3.connect(db) as conn:
        conn.executescript((RELEASED / f"v{version}.sql").read_text())


def _schema_of(db: Path) -> dict[str, object]:
    """Every table with its columns as SQLite declares them, and every index with its SQL."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        columns = {
            t: sorted(tuple(r[1:]) for r in conn.execute(f"pragma table_info({t})")) for t in tables
        }
        found = conn.execute("select name, tbl_name, sql from sqlite_master where type='index'")
        indexes = sorted((r[0], r[1], " ".join(r[2].split())) for r in found if r[2] is not None)
        uniques = {
            t: sorted(
                tuple(c[2] for c in conn.execute(f"pragma index_info('{i[1]}')"))
                for i in conn.execute(f"pragma index_list({t})")
                if i[2]
            )
            for t in tables
        }
    return {"columns": columns, "indexes": indexes, "uniques": uniques}


async def _open_and_close(db: Path) -> None:
    storage = SqlStorage.sqlite(db)
    await storage.open()
    await storage.close()


async def test_new_database_is_built_by_the_revisions_and_seeded(tmp_path: Path) -> None:
    """A fresh database is at the head revision, says version 4 to older servers, runs in WAL
    mode and has the team `support`."""
    db = tmp_path / "db.sqlite3"
    storage = SqlStorage.sqlite(db)
    await storage.open()
    state = await storage.load_state()
    await storage.close()
    assert list(state.teams) == ["support"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("select version_num from alembic_version").fetchall() == [
            (migrate.head_revision(),)
        ]
        assert conn.execute("select version from schema_version").fetchall() == [(4,)]
        assert conn.execute("pragma journal_mode").fetchone() == ("wal",)


def test_live_tables_agree_with_the_revisions(tmp_path: Path) -> None:
    """What the revisions create is what `schema.py` describes: no table, column, index or
    constraint differs (Alembic's own comparison)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with engine.begin() as conn:
        migrate.migrate(conn)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    engine.dispose()
    assert diff == []


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


@pytest.mark.parametrize("version", RELEASED_VERSIONS)
async def test_every_released_schema_upgrades_to_what_a_fresh_one_is(
    tmp_path: Path, version: int
) -> None:
    """A database made by each released schema upgrades to exactly the schema of a new database
    (tables, columns, indexes, unique constraints), keeps its rows, and a fresh database opened
    afterwards in the same process is created cleanly."""
    old = tmp_path / "old.sqlite3"
    _restore(version, old)
    storage = SqlStorage.sqlite(old)
    await storage.open()
    state = await storage.load_state()
    messages, _ = await storage.messages_page("cv_1", None, 10)
    timeline = await storage.timeline("cv_1")
    await storage.close()
    fresh = tmp_path / "fresh.sqlite3"
    await _open_and_close(fresh)
    assert _schema_of(old) == _schema_of(fresh)
    maria = state.contacts["ct_maria"]
    assert (maria.phone, maria.account_rep_id) == ("+15550100", "u_ana")
    assert state.users["u_ana"].username == "ana"
    assert state.conversations["cv_1"].assigned_to == "u_ana"
    assert [m.body for m in messages] == ["Hello"]
    assert [t.reason for t in timeline] == ["dedicated_available"]


def test_downgrade_to_nothing_and_up_again_gives_a_fresh_schema(tmp_path: Path) -> None:
    """Every revision's downgrade undoes its upgrade: down to an empty database and up again
    is the same schema as a new database."""
    db = tmp_path / "db.sqlite3"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        migrate.migrate(conn)
    expected = _schema_of(db)
    with engine.begin() as conn:
        migrate.downgrade(conn, "base")
    with sqlite3.connect(db) as raw:
        left = {r[0] for r in raw.execute("select name from sqlite_master where type='table'")}
    assert left == {"alembic_version"}
    with engine.begin() as conn:
        migrate.migrate(conn)
    engine.dispose()
    assert _schema_of(db) == expected


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    """A database at a revision this server does not know is not opened, and not changed."""
    db = tmp_path / "db.sqlite3"
    await _open_and_close(db)
    with sqlite3.connect(db) as conn:
        conn.execute("update alembic_version set version_num = '0099'")
    before = _schema_of(db)
    storage = SqlStorage.sqlite(db)
    with pytest.raises(RuntimeError, match="newer than this server"):
        await storage.open()
    await storage.close()
    assert _schema_of(db) == before


async def test_an_unknown_pre_alembic_version_is_refused(tmp_path: Path) -> None:
    """A database with a `schema_version` no release wrote and no Alembic revision is refused."""
    db = tmp_path / "db.sqlite3"
    _restore(3, db)
    with sqlite3.connect(db) as conn:
        conn.execute("update schema_version set version = 7")
    storage = SqlStorage.sqlite(db)
    with pytest.raises(RuntimeError, match="schema version 7"):
        await storage.open()
    await storage.close()


async def test_version_3_writes_phones_in_e164_and_merges_one_customer_typed_twice(
    tmp_path: Path,
) -> None:
    """A version-2 database with "+1 555 0100" (with a rep) and "+15550100" (with a
    conversation) as two contacts opens as one contact in E.164 form: the rep kept, the
    conversation and history moved to it, and the merge recorded in its history."""
    db = tmp_path / "db.sqlite3"
    _restore(2, db)
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "insert into contacts (id, name, handle, phone, email, account_rep_id,"
            " priority_notifications) values (?, ?, ?, ?, ?, ?, ?)",
            [
                ("ct_a", "Maria", "+1 555 0111", "+1 555 0111", None, "u_ana", 1),
                ("ct_b", "+15550111", "+15550111", "+15550111", "maria@x.test", None, 0),
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
            " values ('cv_2', 'support', 'sms', 'ct_b', '+15550111', 'shared', null,"
            " 'no_dedicated_agent', 1.0, 1.0, 1.0, 1, 1)"
        )
    storage = SqlStorage.sqlite(db)
    await storage.open()
    state = await storage.load_state()
    history = await storage.contact_history("ct_a")
    await storage.close()
    assert sorted(state.contacts) == ["ct_a", "ct_c", "ct_maria"]
    maria = state.contacts["ct_a"]
    assert (maria.phone, maria.handle, maria.email) == ("+15550111", "+15550111", "maria@x.test")
    assert maria.account_rep_id == "u_ana"
    assert state.contacts["ct_c"].phone == "+15550199"
    assert state.conversations["cv_2"].contact_id == "ct_a"
    assert state.find_contact("+15550111") is maria
    merged = [h for h in history if h.kind == "contacts_merged"]
    details = json.loads(json.dumps(merged[0].details))
    assert [m["id"] for m in details["merged"]] == ["ct_b"]
