"""Storage on SQLAlchemy Core (async): SQLite in WAL mode by default.

Every write path runs in one transaction; the server calls `commit` once per command, before it
sends any result or event, so whatever a client was told is on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from sqlalchemy import delete, event, func, insert, select, update
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from routing_server.engine.model import (
    Conversation,
    HistoryEntry,
    Message,
    Presence,
    Team,
    TimelineEntry,
    User,
)
from routing_server.engine.state import State
from routing_server.engine.stats import DAY
from routing_server.engine.tx import Changes
from routing_server.storage import migrate, rows, schema
from routing_server.storage.base import Credentials, PreparedWrite, StoredEvent
from routing_server.storage.writes import Statements, prepare, upsert, write_batch

log = logging.getLogger(__name__)

# Events kept for delta sync; a client further behind than this gets a snapshot.
EVENTS_KEPT = 200_000


# Any 64-bit number held only while a schema is created or upgraded (pg_advisory_xact_lock).
MIGRATION_LOCK_KEY = 0x1B0C_5E7A
# Held by the one process that writes a PostgreSQL database (pg_try_advisory_lock).
WRITER_LOCK_KEY = 0x1B0C_3217


def sqlite_url(path: Path | str) -> str:
    """The SQLAlchemy URL of a SQLite database file."""
    return f"sqlite+aiosqlite:///{path}"


def database_url(database: Path | str) -> str:
    """The SQLAlchemy URL for a `--db` value: a PostgreSQL URL (`postgresql://user@host/name`),
    a SQLite URL (`sqlite:///path`) or a SQLite file's path."""
    text = str(database)
    for scheme in ("postgresql://", "postgres://"):
        if text.startswith(scheme):
            return "postgresql+asyncpg://" + text[len(scheme) :]
    if text.startswith("postgresql+asyncpg://"):
        return text
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    elif "://" in text:
        raise ValueError(f"{text.split('://')[0]}: not a database this server can use "
                         "(postgresql://… or a SQLite file)")  # fmt: skip
    Path(text).parent.mkdir(parents=True, exist_ok=True)
    return sqlite_url(text)


class SqlStorage:
    """The `Storage` interface on SQLAlchemy's asyncio engine."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: AsyncEngine | None = None
        self._events_floor = 0
        self._compiled: Statements | None = None
        self._writer: AsyncConnection | None = None

    @classmethod
    def sqlite(cls, path: Path | str) -> SqlStorage:
        """Storage in a SQLite file (created, with its folder, when missing)."""
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return cls(sqlite_url(path))

    @classmethod
    def at(cls, database: Path | str) -> SqlStorage:
        """Storage for a `--db` value (see `database_url`)."""
        return cls(database_url(database))

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return make_url(self.url).get_dialect().name

    @property
    def engine(self) -> AsyncEngine:
        """The open engine."""
        if self._engine is None:
            raise RuntimeError("storage is not open")
        return self._engine

    async def open(self) -> None:
        """Connect, set SQLite's durability pragmas, migrate and prune old events."""
        engine = create_async_engine(self.url)
        if engine.dialect.name == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        self._engine = engine
        async with self._migration_lock(engine), engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                # Servers and set-up commands starting together: one creates or upgrades the
                # schema, the others wait and find it done.
                await conn.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
            before = await conn.run_sync(migrate.migrate)
            head = migrate.head_revision()
            if before is not None and before != head:
                log.info("database migrated from revision %s to %s", before, head)
            await self._prune_events(conn)

    @contextlib.asynccontextmanager
    async def _migration_lock(self, engine: AsyncEngine) -> AsyncIterator[None]:
        """Serialise schema creation and upgrades between processes opening one SQLite file
        (several set-up commands run side by side on a new database)."""
        database = engine.url.database
        if engine.dialect.name != "sqlite" or not database or database == ":memory:":
            yield
            return
        lock = FileLock(f"{database}.migrate.lock")
        try:
            await asyncio.to_thread(lock.acquire, timeout=60)
        except Timeout:
            raise RuntimeError(
                f"{database} is being set up by another command; try again"
            ) from None
        try:
            yield
        finally:
            lock.release()

    async def close(self) -> None:
        """Dispose of the connection pool (and give up being the writer)."""
        if self._writer is not None:
            await self._writer.close()
            self._writer = None
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    async def claim_writer(self) -> bool:
        """Become the one process that writes this PostgreSQL database: a session advisory lock
        on a connection kept until `close` (the lock goes with the connection, also when the
        process dies). False when another process holds it. (SQLite: the CLI's file lock.)"""
        if self.engine.dialect.name != "postgresql":
            return True
        if self._writer is None:
            conn = await self.engine.connect()
            got = (await conn.execute(select(func.pg_try_advisory_lock(WRITER_LOCK_KEY)))).scalar()
            await conn.commit()
            if not got:
                await conn.close()
                return False
            self._writer = conn
        return True

    async def _prune_events(self, conn: AsyncConnection) -> None:
        last = (await conn.execute(select(func.max(schema.events.c.seq)))).scalar()
        floor_row = await conn.execute(
            select(schema.meta.c.value).where(schema.meta.c.key == "events_floor")
        )
        floor = floor_row.scalar() or 0
        if last is not None and last - EVENTS_KEPT > floor:
            floor = last - EVENTS_KEPT
            await conn.execute(delete(schema.events).where(schema.events.c.seq <= floor))
            await conn.execute(
                upsert(conn.dialect, schema.meta, "key"), [{"key": "events_floor", "value": floor}]
            )
        self._events_floor = int(floor)

    # -- the state ----------------------------------------------------------------------------

    async def load_state(self) -> State:
        """Users, teams, presence, contacts, open conversations, settings and the last seq."""
        state = State()
        async with self.engine.connect() as conn:
            for row in await _all(conn, select(schema.teams)):
                team = rows.team_from(row)
                state.teams[team.id] = team
            presences = {
                r["user_id"]: rows.presence_from(r)
                for r in await _all(conn, select(schema.presence))
            }
            for row in await _all(conn, select(schema.users)):
                user = rows.user_from(row)
                state.add_user(user, presences.get(user.id) or Presence(user.id, "offline", 0.0))
            for row in await _all(conn, select(schema.contacts)):
                state.add_contact(rows.contact_from(row))
            open_rows = await _all(
                conn, select(schema.conversations).where(schema.conversations.c.state != "closed")
            )
            for row in open_rows:
                state.add_conversation(rows.conversation_from(row))
            for row in await _all(conn, select(schema.groups)):
                group = rows.group_from(row)
                state.groups[group.id] = group
            await self._load_today(conn, state)
            settings_row = await _all(conn, select(schema.settings.c.data))
            if settings_row:
                state.settings = rows.settings_from(settings_row[0]["data"])
            seq = await conn.execute(
                select(schema.meta.c.value).where(schema.meta.c.key == "last_seq")
            )
            state.last_seq = int(seq.scalar() or 0)
        return state

    async def _load_today(self, conn: AsyncConnection, state: State) -> None:
        """Recount today's figures from today's routing steps."""
        now = time.time()
        midnight = now - now % DAY
        t, c = schema.timeline, schema.conversations
        q = (
            select(t, c.c.team_id, c.c.created_at)
            .join(c, c.c.id == t.c.conversation_id)
            .where(t.c.at >= midnight)
            .order_by(t.c.pos)
        )
        for row in await _all(conn, q):
            from_state = row["details"].get("from")
            state.stats.record(
                row["team_id"], row["at"], row["kind"], row["reason"], from_state, row["created_at"]
            )

    async def commit(self, changes: Changes, events: list[StoredEvent], at: float) -> None:
        """Write a transaction's changes and its events atomically."""
        await self.commit_prepared([prepare(changes, events, at)])

    def prepare(self, changes: Changes, events: list[StoredEvent], at: float) -> PreparedWrite:
        """Render a transaction's rows now, while they are what the transaction made them."""
        return prepare(changes, events, at)

    async def commit_prepared(self, batch: Sequence[PreparedWrite]) -> None:
        """Write prepared transactions, in order, in one commit (one fsync)."""
        async with self.engine.begin() as conn:
            await write_batch(conn, self._statements(conn.dialect), batch)

    def _statements(self, dialect: Dialect) -> Statements:
        # Built once: compiling an INSERT … ON CONFLICT per table per commit was most of the
        # cost of a small commit.
        if self._compiled is None:
            self._compiled = Statements(dialect)
        return self._compiled

    # -- users, teams and tokens --------------------------------------------------------------

    async def load_directory(self) -> tuple[list[Team], list[User]]:
        """Every team and user."""
        async with self.engine.connect() as conn:
            teams = [rows.team_from(r) for r in await _all(conn, select(schema.teams))]
            users = [rows.user_from(r) for r in await _all(conn, select(schema.users))]
        return teams, users

    async def load_user(self, user_id: str) -> User | None:
        """One user, straight from the database."""
        async with self.engine.connect() as conn:
            found = await _all(conn, select(schema.users).where(schema.users.c.id == user_id))
        return rows.user_from(found[0]) if found else None

    async def load_team(self, team_id: str) -> Team | None:
        """One team, straight from the database."""
        async with self.engine.connect() as conn:
            found = await _all(conn, select(schema.teams).where(schema.teams.c.id == team_id))
        return rows.team_from(found[0]) if found else None

    async def credentials(self, username: str) -> Credentials | None:
        """The user id and password hash for a username."""
        q = select(schema.users.c.id, schema.users.c.password_hash).where(
            schema.users.c.username == username
        )
        async with self.engine.connect() as conn:
            found = await _all(conn, q)
        return Credentials(found[0]["id"], found[0]["password_hash"]) if found else None

    async def set_password_hash(self, user_id: str, password_hash: str) -> None:
        """Replace a user's password hash."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(schema.users)
                .where(schema.users.c.id == user_id)
                .values(password_hash=password_hash)
            )

    async def create_user(self, user: User, password_hash: str | None) -> None:
        """Insert a new user with a presence of offline."""
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(schema.users).values(**rows.user_row(user), password_hash=password_hash)
            )
            await conn.execute(
                insert(schema.presence).values(user_id=user.id, status="offline", since=0.0)
            )

    async def create_team(self, team: Team) -> None:
        """Insert a new team."""
        async with self.engine.begin() as conn:
            await conn.execute(insert(schema.teams).values(**rows.team_row(team)))

    async def save_token(self, token_hash: str, user_id: str, now: float, expires: float) -> None:
        """Store a new token's hash."""
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(schema.tokens).values(
                    token_hash=token_hash,
                    user_id=user_id,
                    created_at=now,
                    expires_at=expires,
                    revoked=False,
                )
            )

    async def token_user(self, token_hash: str, now: float) -> str | None:
        """The user a live token belongs to."""
        t = schema.tokens
        q = select(t.c.user_id).where(
            t.c.token_hash == token_hash, t.c.revoked.is_(False), t.c.expires_at > now
        )
        async with self.engine.connect() as conn:
            return (await conn.execute(q)).scalar()

    async def revoke_token(self, token_hash: str) -> None:
        """Revoke one token."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(schema.tokens)
                .where(schema.tokens.c.token_hash == token_hash)
                .values(revoked=True)
            )

    # -- conversations and messages -----------------------------------------------------------

    async def load_conversation(self, conversation_id: str) -> Conversation | None:
        """One conversation, open or closed."""
        c = schema.conversations
        async with self.engine.connect() as conn:
            found = await _all(conn, select(c).where(c.c.id == conversation_id))
        return rows.conversation_from(found[0]) if found else None

    async def find_outbound(self, author_id: str, client_msg_id: str) -> Message | None:
        """The reply an author already sent with this `client_msg_id`."""
        m = schema.messages
        return await self._one_message(
            select(m).where(m.c.author_id == author_id, m.c.client_msg_id == client_msg_id)
        )

    async def find_inbound(self, external_id: str) -> Message | None:
        """The inbound message already delivered with this `external_id`."""
        m = schema.messages
        return await self._one_message(select(m).where(m.c.external_id == external_id))

    async def get_message(self, message_id: str) -> Message | None:
        """One message."""
        m = schema.messages
        return await self._one_message(select(m).where(m.c.id == message_id))

    async def _one_message(self, query: Any) -> Message | None:
        async with self.engine.connect() as conn:
            found = await _all(conn, query)
        return rows.message_from(found[0]) if found else None

    async def messages_page(
        self, conversation_id: str, before_message_id: str | None, limit: int
    ) -> tuple[list[Message], bool]:
        """Up to `limit` messages before a message (or the newest), oldest first; has_more."""
        m = schema.messages
        q = select(m).where(m.c.conversation_id == conversation_id)
        if before_message_id is not None:
            pos = (
                select(m.c.pos)
                .where(m.c.id == before_message_id, m.c.conversation_id == conversation_id)
                .scalar_subquery()
            )
            q = q.where(m.c.pos < pos)
        q = q.order_by(m.c.pos.desc()).limit(limit + 1)
        async with self.engine.connect() as conn:
            found = await _all(conn, q)
        has_more = len(found) > limit
        return [rows.message_from(r) for r in reversed(found[:limit])], has_more

    async def timeline(self, conversation_id: str) -> list[TimelineEntry]:
        """Every routing step of a conversation, oldest first."""
        t = schema.timeline
        q = select(t).where(t.c.conversation_id == conversation_id).order_by(t.c.pos)
        async with self.engine.connect() as conn:
            return [rows.timeline_from(r) for r in await _all(conn, q)]

    async def events_since(self, seq: int, limit: int) -> list[StoredEvent] | None:
        """Events after `seq`, or None when more than `limit` or some were pruned."""
        if seq < self._events_floor:
            return None
        e = schema.events
        q = select(e).where(e.c.seq > seq).order_by(e.c.seq).limit(limit + 1)
        async with self.engine.connect() as conn:
            found = await _all(conn, q)
        if len(found) > limit:
            return None
        return [
            StoredEvent(r["seq"], r["name"], r["data"], frozenset(r["audience"])) for r in found
        ]

    async def contact_history(self, contact_id: str) -> list[HistoryEntry]:
        """Every change of a contact's rep and priority notifications, oldest first."""
        h = schema.contact_history
        q = select(h).where(h.c.contact_id == contact_id).order_by(h.c.pos)
        async with self.engine.connect() as conn:
            return [rows.history_from(r) for r in await _all(conn, q)]

    async def revoke_user_tokens(self, user_id: str) -> None:
        """Revoke every token of a user."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(schema.tokens).where(schema.tokens.c.user_id == user_id).values(revoked=True)
            )

    async def undelivered_outbound(self) -> list[Message]:
        """Replies that no gateway has acknowledged yet, oldest first."""
        m = schema.messages
        q = (
            select(m)
            .where(m.c.direction == "out", m.c.delivery.in_(("pending", "sent")))
            .order_by(m.c.pos)
        )
        async with self.engine.connect() as conn:
            return [rows.message_from(r) for r in await _all(conn, q)]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; FULL makes every commit survive power loss.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


async def _all(conn: AsyncConnection, query: Any) -> Sequence[Any]:
    return (await conn.execute(query)).mappings().all()
