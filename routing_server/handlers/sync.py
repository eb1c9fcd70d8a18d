"""`sync`: a snapshot, or the events since a `seq` when the server can vouch for them all."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import inbox_protocol as p
from routing_server import wire
from routing_server.connection import Connection
from routing_server.core import Core, event_frame
from routing_server.dispatcher import caller, command
from routing_server.engine.model import Contact, Conversation, User
from routing_server.engine.visibility import can_see
from routing_server.storage.base import StoredEvent


@command(p.Sync, min_role=None)
async def handle_sync(conn: Connection, req: p.Sync) -> None:
    """A delta or a snapshot as of one seq, sent before any later event.

    The writer lock is held only to fix that seq and to copy what the snapshot shows; it is
    rendered without the lock, while events committed meanwhile are held for this connection
    and pushed right after the result.
    """
    core = conn.ctx.core
    user = caller(conn)
    result: dict[str, Any] | None = None
    view: SnapshotView | None = None
    async with core.lock:
        # Everything applied before the lock was taken is on disk, and pushed, first.
        await core.durable()
        seq = core.state.last_seq
        if req.since is not None and req.since <= seq:
            events = await core.storage.events_since(req.since, core.options.delta_limit)
            if events is not None:
                result = {
                    "mode": "delta",
                    "seq": seq,
                    "events": [
                        {"event": e.name, "seq": e.seq, "data": e.data}
                        for e in events
                        if user.id in e.audience and e.name != "outbound.message"
                    ],
                }
        if result is None:
            view = capture(core, user)
        conn.hold_events()
    try:
        if view is not None:
            result = {"mode": "snapshot", "seq": seq, "snapshot": view.render()}
        assert result is not None
        conn.send_result(req.id, result)
    finally:
        conn.release_events()
    if user.role == "integration":
        pending = await _resend_undelivered(core, conn, seq)
        if pending:
            await core.mark_sent(pending)


@dataclass
class SnapshotView:
    """What a snapshot shows, copied under the writer lock and rendered after it."""

    conversations: list[tuple[Conversation, Contact | None]]
    rest: dict[str, Any]

    def render(self) -> dict[str, Any]:
        """The snapshot object."""
        conversations = [wire.dump(wire.conversation_with(c, ct)) for c, ct in self.conversations]
        return {**self.rest, "conversations": conversations}


def capture(core: Core, user: User) -> SnapshotView:
    """Copy everything `user` may see now (cheap; the expensive rendering comes later)."""
    state = core.state
    conversations = [
        (copy.copy(c), copy.copy(state.contacts.get(c.contact_id)))
        for c in state.conversations.values()
        if c.is_open and can_see(user, c)
    ]
    team = [
        wire.dump(wire.team_member(state, u))
        for u in state.users.values()
        if u.is_agent and set(u.team_ids) & set(user.team_ids)
    ]
    rest: dict[str, Any] = {}
    if user.is_staff and user.team_ids:
        rest["team_load"] = core.team_load.render(user.team_ids[0])
    rest.update(
        me=wire.dump(wire.user(user)),
        presence=wire.dump(wire.presence(state.presence[user.id])),
        settings=wire.dump(wire.settings(state.settings)),
        team=team,
    )
    return SnapshotView(conversations, rest)


async def _resend_undelivered(core: Core, conn: Connection, seq: int) -> list[str]:
    """Push every reply no gateway has acknowledged yet; returns those still `pending`.

    They go out with the snapshot's seq: gateways recognise a repeat by its `message_id`.
    """
    pending = []
    for message in await core.storage.undelivered_outbound():
        conv = await core.conversation_for_read(message.conversation_id)
        if conv is None:
            continue
        data = wire.outbound_data(message, conv)
        conn.send(event_frame(StoredEvent(seq, "outbound.message", data, frozenset())))
        if message.delivery == "pending":
            pending.append(message.id)
    return pending
