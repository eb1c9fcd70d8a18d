"""Agent commands: presence, conversations, replies; and the read-only directory commands."""

from __future__ import annotations

from collections.abc import Callable

import inbox_protocol as p
from routing_server import wire
from routing_server.connection import Connection
from routing_server.dispatcher import caller, command
from routing_server.engine import conversations as conv_cmd
from routing_server.engine import presence
from routing_server.engine.errors import not_found
from routing_server.engine.model import Conversation


@command(p.SetPresence)
async def handle_set_presence(conn: Connection, req: p.SetPresence) -> p.PresenceResult:
    """Set the caller's presence; the result is the server's view of it."""
    user = caller(conn)
    async with conn.ctx.core.write() as tx:
        result = presence.set_presence(tx, user, req.status)
    shown = wire.presence(result)
    return p.PresenceResult(status=shown.status, since=shown.since)


@command(p.GetConversation)
async def handle_get_conversation(conn: Connection, req: p.GetConversation) -> p.ConversationPage:
    """A conversation, a page of its messages (oldest first) and its routing timeline."""
    core = conn.ctx.core
    user = caller(conn)
    conv = await core.visible_conversation(user, req.conversation_id)
    if conv is None:
        raise not_found()
    messages, has_more = await core.storage.messages_page(conv.id, req.before_message_id, req.limit)
    timeline = await core.storage.timeline(conv.id)
    return p.ConversationPage(
        conversation=wire.conversation(core.state, conv),
        messages=[wire.message(m) for m in messages],
        timeline=[wire.timeline_entry(t) for t in timeline],
        has_more=has_more,
    )


ConversationCommand = Callable[..., Conversation]


async def _on_conversation(
    conn: Connection, conversation_id: str, command: ConversationCommand, *args: str
) -> p.ConversationResult:
    """Run an engine command on one conversation (closed ones loaded) and return it."""
    core = conn.ctx.core
    async with core.write() as tx:
        user = caller(conn)
        await core.conversation_for_write(tx, conversation_id, user)
        conv = command(tx, user, conversation_id, *args)
        # Rendered inside the write: a closed conversation leaves memory when it ends.
        return p.ConversationResult(conversation=wire.conversation(core.state, conv))


@command(p.Claim)
async def handle_claim(conn: Connection, req: p.Claim) -> p.ConversationResult:
    """Claim a conversation: exactly one of any number of racing agents wins."""
    return await _on_conversation(conn, req.conversation_id, conv_cmd.claim)


@command(p.Release)
async def handle_release(conn: Connection, req: p.Release) -> p.ConversationResult:
    """Hand one's conversation back to normal routing."""
    return await _on_conversation(conn, req.conversation_id, conv_cmd.release)


@command(p.SendMessage)
async def handle_send_message(conn: Connection, req: p.SendMessage) -> p.MessageResult:
    """Reply; the same `client_msg_id` again returns the first message and sends nothing."""
    core = conn.ctx.core
    user = caller(conn)
    retry = await core.earlier_reply(user.id, req.client_msg_id)
    async with core.write() as tx:
        earlier = await retry.confirm()
        if earlier is not None:
            return p.MessageResult(message=wire.message(earlier))
        await core.conversation_for_write(tx, req.conversation_id, user)
        message = conv_cmd.send_message(tx, user, req.conversation_id, req.body, req.client_msg_id)
    return p.MessageResult(message=wire.message(message))


@command(p.Close)
async def handle_close(conn: Connection, req: p.Close) -> p.ConversationResult:
    """Close a conversation; the contact's next message opens a new one."""
    return await _on_conversation(conn, req.conversation_id, conv_cmd.close)


@command(p.Transfer)
async def handle_transfer(conn: Connection, req: p.Transfer) -> p.ConversationResult:
    """Make a team member the owner."""
    await conn.ctx.core.ensure_user(req.to_user_id)
    return await _on_conversation(conn, req.conversation_id, conv_cmd.transfer, req.to_user_id)


@command(p.MarkRead)
async def handle_mark_read(conn: Connection, req: p.MarkRead) -> p.ConversationResult:
    """Reset the unread count."""
    return await _on_conversation(conn, req.conversation_id, conv_cmd.mark_read)


@command(p.ListUsers)
async def handle_list_users(conn: Connection, req: p.ListUsers) -> p.UsersResult:
    """Every user."""
    await conn.ctx.core.refresh_directory()
    users = conn.ctx.core.state.users.values()
    return p.UsersResult(users=[wire.user(u) for u in sorted(users, key=lambda u: u.username)])


@command(p.ListTeams)
async def handle_list_teams(conn: Connection, req: p.ListTeams) -> p.TeamsResult:
    """Every team with its members."""
    await conn.ctx.core.refresh_directory()
    state = conn.ctx.core.state
    teams = sorted(state.teams.values(), key=lambda t: t.name)
    return p.TeamsResult(teams=[wire.team(state, t) for t in teams])


@command(p.GetSettings)
async def handle_get_settings(conn: Connection, req: p.GetSettings) -> p.SettingsResult:
    """The routing settings."""
    return p.SettingsResult(settings=wire.settings(conn.ctx.core.state.settings))
