"""Replies typed while disconnected, kept on disk until the server acknowledges them.

A reply is written here before it is sent; it leaves only when the server has answered with the
stored message. The `client_msg_id` makes resending safe: the server sends a reply once, however
often it is resubmitted — so a crash between sending and forgetting loses nothing and duplicates
nothing. SQLite does the durable part; calls run in a worker thread, off the UI thread.
"""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class QueuedReply:
    """One reply waiting for the server."""

    client_msg_id: str
    conversation_id: str
    body: str
    queued_at: float


class Outbox:
    """A durable queue of replies for one user on one server."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute(
                "create table if not exists outbox (client_msg_id text primary key,"
                " conversation_id text not null, body text not null, queued_at real not null)"
            )

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        db.execute("pragma journal_mode=wal")
        db.execute("pragma synchronous=full")
        return db

    async def add(self, reply: QueuedReply) -> None:
        """Keep a reply (durably) until `remove` is called for it."""
        await asyncio.to_thread(self._add, reply)

    def _add(self, reply: QueuedReply) -> None:
        with closing(self._connect()) as db, db:
            db.execute(
                "insert or ignore into outbox values (?, ?, ?, ?)",
                (reply.client_msg_id, reply.conversation_id, reply.body, reply.queued_at),
            )

    async def remove(self, client_msg_id: str) -> None:
        """Forget a reply the server has acknowledged."""
        await asyncio.to_thread(self._remove, client_msg_id)

    def _remove(self, client_msg_id: str) -> None:
        with closing(self._connect()) as db, db:
            db.execute("delete from outbox where client_msg_id = ?", (client_msg_id,))

    async def all(self) -> list[QueuedReply]:
        """Every queued reply, oldest first."""
        return await asyncio.to_thread(self._all)

    def _all(self) -> list[QueuedReply]:
        with closing(self._connect()) as db:
            rows = db.execute(
                "select client_msg_id, conversation_id, body, queued_at from outbox"
                " order by queued_at"
            ).fetchall()
        return [QueuedReply(*row) for row in rows]
