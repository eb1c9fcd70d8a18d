"""`sync`: a snapshot, or the events since a `seq` when the server can vouch for them all."""

from __future__ import annotations

from typing import Any

import inbox_protocol as p
from routing_server import wire
from routing_server.connection import Connection
from routing_server.core import Core, event_frame
from routing_server.dispatcher import caller, command
from routing_server.engine.model import User
from routing_server.engine.visibility import can_see
from routing_server.storage.base import StoredEvent


@command("sync", min_role=None)
async def handle_sync(conn: Connection, req: p.Sync) -> None:
    """Reply under the writer lock, so that every later event has a higher seq than the reply."""
    core = conn.ctx.core
    user = caller(conn)
    pending: list[str] = []
    async with core.lock:
        # Everything applied before the lock was taken is on disk, and pushed, first.
        await core.durable()
        state = core.state
        result: dict[str, Any] | None = None
        if req.since is not None and req.since <= state.last_seq:
            events = await core.storage.events_since(req.since, core.options.delta_limit)
            if events is not None:
                result = {
                    "mode": "delta",
                    "seq": state.last_seq,
                    "events": [
                        {"event": e.name, "seq": e.seq, "data": e.data}
                        for e in events
                        if user.id in e.audience and e.name != "outbound.message"
                    ],
                }
        if result is None:
            result = {"mode": "snapshot", "seq": state.last_seq, "snapshot": snapshot(core, user)}
        conn.send_result(req.id, result)
        conn.synced = True
        if user.role == "integration":
            pending = await _resend_undelivered(core, conn, state.last_seq)
    if pending:
        await core.mark_sent(pending)


def snapshot(core: Core, user: User) -> dict[str, Any]:
    """Everything `user` may see now."""
    state = core.state
    conversations = [
        wire.dump(wire.conversation(state, c))
        for c in state.conversations.values()
        if c.is_open and can_see(user, c)
    ]
    team = [
        wire.dump(wire.team_member(state, u))
        for u in state.users.values()
        if u.is_agent and set(u.team_ids) & set(user.team_ids)
    ]
    extra: dict[str, Any] = {}
    if user.is_staff and user.team_ids:
        extra["team_load"] = core.team_load.render(user.team_ids[0])
    return {
        **extra,
        "me": wire.dump(wire.user(user)),
        "presence": wire.dump(wire.presence(state.presence[user.id])),
        "settings": wire.dump(wire.settings(state.settings)),
        "conversations": conversations,
        "team": team,
    }


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
