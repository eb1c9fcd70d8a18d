"""Where a conversation goes: first routing of a new conversation and normal routing."""

from __future__ import annotations

from routing_server.engine.model import Contact, Conversation
from routing_server.engine.tx import Tx


def route_new(tx: Tx, conv: Conversation, contact: Contact) -> None:
    """Route a conversation that was just opened by a contact's message."""
    normal_routing(tx, conv, "no_dedicated_agent")


def normal_routing(tx: Tx, conv: Conversation, reason: str, actor_id: str | None = None) -> None:
    """Route by the team's distribution; `claim` puts it in the shared inbox."""
    tx.touch(conv)
    conv.state = "shared"
    conv.was_shared = True
    conv.assigned_to = None
    conv.share_at = None
    conv.wait_until = None
    conv.reason = reason
    conv.routed_at = tx.now
    conv.updated_at = tx.now
    tx.timeline(conv, "shared", reason, actor_id)


def assign(tx: Tx, conv: Conversation, user_id: str, reason: str, actor_id: str | None) -> None:
    """Make `user_id` the owner of `conv` (claimed)."""
    tx.touch(conv)
    conv.state = "claimed"
    conv.assigned_to = user_id
    conv.share_at = None
    conv.wait_until = None
    conv.reason = reason
    conv.routed_at = tx.now
    conv.updated_at = tx.now
    tx.timeline(conv, "claimed", reason, actor_id)
