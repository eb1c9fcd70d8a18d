"""Deadlines kept in the state, and firing the ones that are due.

Every timer is a deadline field: a presence's `offline_at`, a priority conversation's `share_at`,
a waiting one's `wait_until`, a reassignment offer's `offer_expires`. The server arms one task for
the earliest and the engine fires what is due before each command, so after a restart every
overdue deadline fires at once.
"""

from __future__ import annotations

from routing_server.engine import groups
from routing_server.engine.presence import expire
from routing_server.engine.routing import normal_routing
from routing_server.engine.state import State
from routing_server.engine.tx import Tx


def next_deadline(state: State) -> float | None:
    """The earliest deadline in the state, or None when nothing is timed."""
    deadlines = [p.offline_at for p in state.presence.values() if p.offline_at is not None]
    sharing = state.settings.sharing_enabled
    for conv in state.conversations.values():
        if conv.state == "priority" and sharing and conv.share_at is not None:
            deadlines.append(conv.share_at)
        elif conv.state == "waiting" and conv.wait_until is not None:
            deadlines.append(conv.wait_until)
    for contact_id in state.reassigning:
        reassignment = state.contacts[contact_id].reassignment
        if reassignment is not None and reassignment.offer_expires is not None:
            deadlines.append(reassignment.offer_expires)
    return min(deadlines) if deadlines else None


def fire_due(tx: Tx) -> None:
    """Fire every deadline at or before `tx.now`, earliest first."""
    state, now = tx.state, tx.now
    due: list[tuple[float, int, str]] = []
    for presence in state.presence.values():
        if presence.offline_at is not None and presence.offline_at <= now:
            due.append((presence.offline_at, 0, presence.user_id))
    for conv in state.conversations.values():
        if conv.state == "priority" and conv.share_at is not None and conv.share_at <= now:
            due.append((conv.share_at, 1, conv.id))
        elif conv.state == "waiting" and conv.wait_until is not None and conv.wait_until <= now:
            due.append((conv.wait_until, 2, conv.id))
    for contact_id in list(state.reassigning):
        reassignment = state.contacts[contact_id].reassignment
        expires = reassignment.offer_expires if reassignment else None
        if expires is not None and expires <= now:
            due.append((expires, 3, contact_id))
    for _, kind, key in sorted(due):
        if kind == 0:
            expire(tx, state.presence[key])
        elif kind == 1:
            conv = state.conversations[key]
            if state.settings.sharing_enabled and conv.state == "priority":
                normal_routing(tx, conv, "time_to_share_elapsed")
        elif kind == 2:
            conv = state.conversations[key]
            if conv.state == "waiting":
                normal_routing(tx, conv, "capacity_wait_elapsed")
        else:
            groups.offer_expired(tx, state.contacts[key])


def recover(tx: Tx) -> None:
    """After a restart nobody is connected: start every present user's grace period now."""
    grace = tx.state.settings.presence_grace_seconds
    for presence in tx.state.presence.values():
        presence.connections = 0
        if presence.status != "offline":
            presence.offline_at = tx.now + grace
