"""Agent commands on conversations, and customers' inbound messages."""

from __future__ import annotations

from routing_server.engine.errors import EngineError, not_found
from routing_server.engine.model import (
    DEFAULT_TEAM_ID,
    Channel,
    Contact,
    Conversation,
    Delivery,
    LastMessage,
    Message,
    User,
)
from routing_server.engine.phones import to_e164
from routing_server.engine.routing import assign, normal_routing, route_new
from routing_server.engine.tx import Notice, Tx
from routing_server.engine.visibility import can_see

PREVIEW_CHARS = 140


def _preview(body: str) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1] + "…"


def visible(tx: Tx, user: User, conversation_id: str) -> Conversation:
    """The conversation if `user` may see it; `not_found` otherwise (as for a missing id)."""
    conv = tx.state.conversations.get(conversation_id)
    if conv is None or not can_see(user, conv):
        raise not_found()
    return conv


def inbound(
    tx: Tx,
    channel: Channel,
    address: str,
    name: str | None,
    body: str,
    external_id: str,
    team_id: str | None,
) -> tuple[Conversation, Message]:
    """A customer's message: append it to their open conversation, or open and route a new one."""
    state = tx.state
    team_id = team_id or DEFAULT_TEAM_ID
    if team_id not in state.teams:
        raise EngineError("bad_request", f"team_id: no team {team_id!r}")
    # An SMS sender is a phone number: matched in E.164 form, however the gateway wrote it (a
    # sender that is not a phone number is matched and kept as it came, as a handle).
    phone = to_e164(address, state.settings.phone_region) if channel == "sms" else None
    address = phone or address
    contact = state.find_contact(address)
    if contact is None:
        contact = Contact(
            id=tx.new_id("ct"),
            name=name or address,
            handle=address,
            phone=phone,
            email=address if channel == "email" else None,
        )
        state.add_contact(contact)
        tx.touch_contact(contact)
    conv = state.open_conversation(contact.id, channel)
    is_new = conv is None
    if conv is None:
        conv = Conversation(
            id=tx.new_id("cv"),
            team_id=team_id,
            channel=channel,
            contact_id=contact.id,
            address=address,
            state="shared",
            assigned_to=None,
            reason="no_dedicated_agent",
            routed_at=tx.now,
            created_at=tx.now,
            updated_at=tx.now,
        )
        tx.created(conv)
    else:
        tx.touch(conv)
    message = Message(
        id=tx.new_id("m"),
        conversation_id=conv.id,
        direction="in",
        body=body,
        author_id=None,
        at=tx.now,
        external_id=external_id,
    )
    conv.last_message = LastMessage("in", _preview(body), tx.now)
    conv.unread += 1
    conv.updated_at = tx.now
    if is_new:
        route_new(tx, conv, contact)
    tx.message_new(message, conv)
    return conv, message


def claim(tx: Tx, user: User, conversation_id: str) -> Conversation:
    """Claim a shared conversation, or one's own priority one; claiming one's own is a no-op."""
    conv = tx.state.conversations.get(conversation_id)
    if (
        conv is not None
        and conv.state in ("claimed", "closed")
        and conv.assigned_to != user.id
        and conv.was_shared
        and conv.team_id in user.team_ids
    ):
        raise EngineError("already_claimed", "another agent claimed this conversation first")
    conv = visible(tx, user, conversation_id)
    if conv.state == "claimed" and conv.assigned_to == user.id:
        return conv
    if conv.state == "closed":
        raise EngineError("invalid_state", "the conversation is closed")
    if conv.state == "claimed":
        raise EngineError("already_claimed", "another agent owns this conversation")
    assign(tx, conv, user.id, "claimed", user.id)
    return conv


def release(tx: Tx, user: User, conversation_id: str) -> Conversation:
    """Hand one's own claimed (or priority) conversation to normal routing now."""
    conv = visible(tx, user, conversation_id)
    if conv.state not in ("claimed", "priority"):
        raise EngineError("invalid_state", f"a {conv.state} conversation cannot be released")
    if conv.assigned_to != user.id:
        raise EngineError("forbidden", "only the owner can release a conversation")
    normal_routing(tx, conv, "released_by_agent", user.id)
    return conv


def send_message(
    tx: Tx, user: User, conversation_id: str, body: str, client_msg_id: str
) -> Message:
    """Reply; a shared or own priority conversation is claimed first."""
    conv = visible(tx, user, conversation_id)
    if conv.state == "closed":
        raise EngineError("invalid_state", "the conversation is closed")
    if conv.state == "claimed" and conv.assigned_to != user.id:
        raise EngineError("forbidden", "only the owner can reply to a claimed conversation")
    if conv.state in ("shared", "priority"):
        assign(tx, conv, user.id, "claimed", user.id)
    tx.touch(conv)
    message = Message(
        id=tx.new_id("m"),
        conversation_id=conv.id,
        direction="out",
        body=body,
        author_id=user.id,
        at=tx.now,
        client_msg_id=client_msg_id,
        delivery="pending",
    )
    conv.last_message = LastMessage("out", _preview(body), tx.now)
    conv.unread = 0
    conv.updated_at = tx.now
    tx.message_new(message, conv)
    tx.outbound(message, conv)
    return message


def close(tx: Tx, user: User, conversation_id: str) -> Conversation:
    """Close a conversation: its owner (or dedicated agent) or a supervisor may."""
    conv = visible(tx, user, conversation_id)
    if conv.state == "closed":
        raise EngineError("invalid_state", "the conversation is already closed")
    if conv.assigned_to != user.id and not user.is_staff:
        raise EngineError("forbidden", "only the owner or a supervisor can close it")
    tx.touch(conv)
    closed_from = conv.state
    conv.state = "closed"
    conv.assigned_to = conv.assigned_to or user.id
    conv.share_at = None
    conv.wait_until = None
    conv.updated_at = tx.now
    tx.state.reindex(conv)
    tx.timeline(conv, "closed", None, user.id, **{"from": closed_from})
    return conv


def transfer(tx: Tx, user: User, conversation_id: str, to_user_id: str) -> Conversation:
    """Make a team member the owner: the owner or a supervisor may."""
    conv = visible(tx, user, conversation_id)
    if conv.state == "closed":
        raise EngineError("invalid_state", "the conversation is closed")
    if conv.assigned_to != user.id and not user.is_staff:
        raise EngineError("forbidden", "only the owner or a supervisor can transfer it")
    target = tx.state.users.get(to_user_id)
    if target is None or target.disabled or not target.is_agent:
        raise EngineError("bad_request", f"to_user_id: no such user {to_user_id!r}")
    if conv.team_id not in target.team_ids:
        raise EngineError("bad_request", "to_user_id: the user is not a member of the team")
    if conv.state == "claimed" and conv.assigned_to == target.id:
        return conv
    assign(tx, conv, target.id, "transferred", user.id)
    if target.id != user.id:
        contact = tx.state.contacts.get(conv.contact_id)
        tx.notify(
            target.id,
            Notice(
                kind="transferred_to_you",
                title="Conversation transferred to you",
                body=f"{user.display_name} transferred "
                f"{contact.name if contact else 'a conversation'} to you.",
                conversation_id=conv.id,
                contact_id=conv.contact_id,
            ),
        )
    return conv


def mark_read(tx: Tx, user: User, conversation_id: str) -> Conversation:
    """Reset the unread count of a visible conversation."""
    conv = visible(tx, user, conversation_id)
    if conv.unread:
        tx.touch(conv)
        conv.unread = 0
    return conv


def set_delivery(tx: Tx, message: Message, conv: Conversation, delivery: Delivery) -> bool:
    """Move an outbound message's delivery state forward; False when nothing changed."""
    order = {"pending": 0, "sent": 1, "delivered": 2, "failed": 2}
    if message.direction != "out" or message.delivery is None:
        raise EngineError("bad_request", "message_id: not an outbound message")
    if order[delivery] <= order[message.delivery]:
        return False
    message.delivery = delivery
    tx.message_updated(message, conv)
    return True
