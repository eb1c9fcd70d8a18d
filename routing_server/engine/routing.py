"""Where a conversation goes: first routing of a new conversation and normal routing."""

from __future__ import annotations

from routing_server.engine.model import Contact, Conversation, ConvState
from routing_server.engine.tx import Tx


def route_new(tx: Tx, conv: Conversation, contact: Contact) -> None:
    """Route a conversation that was just opened by a contact's message."""
    normal_routing(tx, conv, "no_dedicated_agent")


def normal_routing(tx: Tx, conv: Conversation, reason: str, actor_id: str | None = None) -> None:
    """Route by the team's distribution; `claim` puts it in the shared inbox."""
    _move(tx, conv, "shared", None, reason, actor_id)
    conv.was_shared = True


def assign(tx: Tx, conv: Conversation, user_id: str, reason: str, actor_id: str | None) -> None:
    """Make `user_id` the owner of `conv` (claimed)."""
    _move(tx, conv, "claimed", user_id, reason, actor_id)


def _move(
    tx: Tx,
    conv: Conversation,
    state: ConvState,
    assigned_to: str | None,
    reason: str,
    actor_id: str | None,
) -> None:
    """One routing step: the new state, no pending deadline, and a timeline entry."""
    tx.touch(conv)
    conv.state = state
    conv.assigned_to = assigned_to
    conv.share_at = None
    conv.wait_until = None
    conv.reason = reason
    conv.routed_at = tx.now
    conv.updated_at = tx.now
    tx.timeline(conv, state, reason, actor_id)
