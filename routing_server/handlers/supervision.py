"""Supervisor actions from the team-load panel: set a teammate away or offline, move their
pending priority work on."""

from __future__ import annotations

import inbox_protocol as p
from routing_server import wire
from routing_server.connection import Connection
from routing_server.dispatcher import caller, command
from routing_server.engine import supervision


@command(p.SetAgentPresence, min_role="supervisor")
async def handle_set_agent_presence(
    conn: Connection, req: p.SetAgentPresence
) -> p.AgentPresenceResult:
    """Set a teammate's presence; `presence.changed` names the supervisor in `set_by`."""
    core = conn.ctx.core
    await core.ensure_user(req.user_id)
    async with core.write() as tx:
        target = supervision.force_presence(tx, caller(conn), req.user_id, req.status)
        presence = tx.state.presence[target.id]
        return p.AgentPresenceResult(user_id=target.id, presence=wire.presence(presence))


@command(p.MovePriorityOn, min_role="supervisor")
async def handle_move_priority_on(conn: Connection, req: p.MovePriorityOn) -> p.MovedOnResult:
    """Send a teammate's pending priority conversations to normal routing now."""
    core = conn.ctx.core
    await core.ensure_user(req.user_id)
    async with core.write() as tx:
        target, moved = supervision.move_priority_on(tx, caller(conn), req.user_id)
        return p.MovedOnResult(user_id=target.id, moved=moved)
