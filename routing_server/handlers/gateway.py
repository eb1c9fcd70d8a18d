"""Channel gateway commands: customers' messages in, delivery reports back."""

from __future__ import annotations

import inbox_protocol as p
from routing_server.connection import Connection
from routing_server.dispatcher import command
from routing_server.engine import conversations as conv_cmd
from routing_server.engine.errors import EngineError, not_found

GATEWAY = frozenset({"integration"})


@command(p.Inbound, roles=GATEWAY)
async def handle_inbound(conn: Connection, req: p.Inbound) -> p.InboundResult:
    """A customer's message; the same `external_id` again is a no-op."""
    core = conn.ctx.core
    retry = await core.earlier_inbound(req.external_id)
    async with core.write() as tx:
        earlier = await retry.confirm()
        if earlier is not None:
            return p.InboundResult(
                conversation_id=earlier.conversation_id, message_id=earlier.id, duplicate=True
            )
        conv, message = conv_cmd.inbound(
            tx, req.channel, req.from_, req.name, req.body, req.external_id, req.team_id
        )
    return p.InboundResult(conversation_id=conv.id, message_id=message.id, duplicate=False)


@command(p.OutboundStatus, roles=GATEWAY)
async def handle_outbound_status(conn: Connection, req: p.OutboundStatus) -> p.Empty:
    """Record that a reply was delivered or failed; the agent gets `message.updated`."""
    core = conn.ctx.core
    async with core.write() as tx:
        message = await core.storage.get_message(req.message_id)
        if message is None:
            raise not_found("message")
        conv = await core.conversation_for_write(tx, message.conversation_id)
        if conv is None:
            raise EngineError("internal", "the message's conversation is missing")
        conv_cmd.set_delivery(tx, message, conv, req.status)
    return p.Empty()
