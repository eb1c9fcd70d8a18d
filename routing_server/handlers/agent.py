"""Agent commands: presence, conversations, replies; and the read-only directory commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import inbox_protocol as p
from routing_server import wire
from routing_server.connection import Connection
from routing_server.dispatcher import caller, command
from routing_server.engine import conversations as conv_cmd
from routing_server.engine import presence
from routing_server.engine.errors import not_found
from routing_server.engine.model import Conversation


@command(p.SetPresence)
async def handle_set_presence(conn: Connection, req: p.SetPresence) -> dict[str, Any]:
    """Set the caller's presence; the result is the server's view of it."""
    user = caller(conn)
    async with conn.ctx.core.write() as tx:
        result = presence.set_presence(tx, user, req.status)
    return wire.dump(wire.presence(result))


@command(p.GetConversation)
async def handle_get_conversation(conn: Connection, req: p.GetConversation) -> dict[str, Any]:
    """A conversation, a page of its messages (oldest first) and its routing timeline."""
    core = conn.ctx.core
    user = caller(conn)
    conv = await core.visible_conversation(user, req.conversation_id)
    if conv is None:
        raise not_found()
    messages, has_more = await core.storage.messages_page(conv.id, req.before_message_id, req.limit)
    timeline = await core.storage.timeline(conv.id)
    return {
        "conversation": wire.dump(wire.conversation(core.state, conv)),
        "messages": [wire.dump(wire.message(m)) for m in messages],
        "timeline": [wire.dump(wire.timeline_entry(t)) for t in timeline],
        "has_more": has_more,
    }


ConversationCommand = Callable[..., Conversation]


async def _on_conversation(
    conn: Connection, conversation_id: str, command: ConversationCommand, *args: str
) -> dict[str, Any]:
    """Run an engine command on one conversation (closed ones loaded) and return it."""
    core = conn.ctx.core
    async with core.write() as tx:
        user = caller(conn)
        await core.conversation_for_write(tx, conversation_id, user)
        conv = command(tx, user, conversation_id, *args)
        # Rendered inside the write: a closed conversation leaves memory when it ends.
        return {"conversation": wire.dump(wire.conversation(core.state, conv))}


@command(p.Claim)
async def handle_claim(conn: Connection, req: p.Claim) -> dict[str, Any]:
    """Claim a conversation: exactly one of any number of racing agents wins."""
    return await _on_conversation(conn, req.conversation_id, conv_cmd.claim)


@command(p.Release)
async def handle_release(conn: Connection, req: p.Release) -> dict[str, Any]:
    """Hand one's conversation back to normal routing."""
    return await _on_conversation(conn, req.conversation_id, conv_cmd.release)


@command(p.SendMessage)
async def handle_send_message(conn: Connection, req: p.SendMessage) -> dict[str, Any]:
    """Reply; the same `client_msg_id` again returns the first message and sends nothing."""
    core = conn.ctx.core
    user = caller(conn)
    retry = await core.earlier_reply(user.id, req.client_msg_id)
    async with core.write() as tx:
        earlier = await retry.confirm()
        if earlier is not None:
            return {"message": wire.dump(wire.message(earlier))}
        await core.conversation_for_write(tx, req.conversation_id, user)
        message = conv_cmd.send_message(tx, user, req.conversation_id, req.body, req.client_msg_id)
    return {"message": wire.dump(wire.message(message))}


@command(p.Close)
async def handle_close(conn: Connection, req: p.Close) -> dict[str, Any]:
    """Close a conversation; the contact's next message opens a new one."""
    return await _on_conversation(conn, req.conversation_id, conv_cmd.close)


@command(p.Transfer)
async def handle_transfer(conn: Connection, req: p.Transfer) -> dict[str, Any]:
    """Make a team member the owner."""
    await conn.ctx.core.ensure_user(req.to_user_id)
    return await _on_conversation(conn, req.conversation_id, conv_cmd.transfer, req.to_user_id)


@command(p.MarkRead)
async def handle_mark_read(conn: Connection, req: p.MarkRead) -> dict[str, Any]:
    """Reset the unread count."""
    return await _on_conversation(conn, req.conversation_id, conv_cmd.mark_read)


@command(p.ListUsers)
async def handle_list_users(conn: Connection, req: p.ListUsers) -> dict[str, Any]:
    """Every user."""
    await conn.ctx.core.refresh_directory()
    users = conn.ctx.core.state.users.values()
    return {"users": [wire.dump(wire.user(u)) for u in sorted(users, key=lambda u: u.username)]}


@command(p.ListTeams)
async def handle_list_teams(conn: Connection, req: p.ListTeams) -> dict[str, Any]:
    """Every team with its members."""
    await conn.ctx.core.refresh_directory()
    state = conn.ctx.core.state
    teams = sorted(state.teams.values(), key=lambda t: t.name)
    return {"teams": [wire.dump(wire.team(state, t)) for t in teams]}


@command(p.GetSettings)
async def handle_get_settings(conn: Connection, req: p.GetSettings) -> dict[str, Any]:
    """The routing settings."""
    return {"settings": wire.dump(wire.settings(conn.ctx.core.state.settings))}
